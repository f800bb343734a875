"""A sheet typeset as a PDF by the Typst compiler, in-process (the ``typst`` package).

Why Typst: it typesets math itself (no TeX, no browser), embeds its own text and math fonts
(Libertinus Serif, New Computer Modern Math) so Latin and Vietnamese text and every formula
look the same on any machine, and finds the Chinese in the system's fonts (Debian's
``fonts-noto-cjk``). It needs no network: the document imports no package, and all text of a
proof is passed as Typst string literals (``#"…"``), never as markup or code.

A formula goes in through :func:`latex_math.to_typst`; one outside its subset, or one Typst
still refuses, is shown as its LaTeX source in monospace, so a handout is always made.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from functools import lru_cache

import typst

from .latex_math import Unconvertible, to_typst
from .prose import Paragraph, Piece
from .sheet import Sheet

# Latin and Vietnamese from Typst's own Libertinus, symbols it lacks (✓ ✗) from DejaVu Sans, Chinese from Noto CJK.
FONTS = ("Libertinus Serif", "DejaVu Sans", "Noto Serif CJK SC", "Noto Sans CJK SC")
# Typst's language and region for each of the page's languages (line breaking, quotes, CJK spacing).
TYPST_LANGUAGES = {"en": ("en", ""), "pt": ("pt", ""), "es": ("es", ""), "zh-CN": ("zh", "cn"), "vi": ("vi", "")}

_lock = threading.Lock()  # one compile at a time: the compiler's font book is shared


class HandoutError(RuntimeError):
    """Typst refused the document even with every formula shown as text (a bug of ours)."""


@lru_cache(maxsize=1)
def _fonts() -> typst.Fonts:
    """The fonts, found once per process (reading the system's takes longer than a compile)."""
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)


def compile_pdf(source: str) -> bytes:
    with _lock:
        pdf = typst.Compiler(font_paths=_fonts()).compile(source.encode("utf-8"), format="pdf")
    assert isinstance(pdf, bytes)
    return pdf


def pdf(sheet: Sheet) -> bytes:
    """The sheet as PDF bytes; formulas Typst refuses are shown as their source instead."""
    as_text: set[str] = set()
    while True:
        source = typst_source(sheet, as_text)
        try:
            return compile_pdf(source)
        except typst.TypstError as error:
            refused = {formula.source for formula in formulas(sheet) if not _typesets(formula)} - as_text
            if not refused:
                everything = {formula.source for formula in formulas(sheet)}
                if as_text >= everything:
                    raise HandoutError(f"Typst refused the handout: {error}") from error
                refused = everything
            as_text |= refused


def _typesets(formula: Piece) -> bool:
    try:
        compile_pdf(_math(formula, set()))
    except typst.TypstError:
        return False
    return True


def formulas(sheet: Sheet) -> Iterable[Piece]:
    key = (*sheet.key.flaw, *sheet.key.explanation) if sheet.key else ()
    for paragraph in (*sheet.problem, *(p for step in sheet.steps for p in step), *key):
        yield from (piece for piece in paragraph if piece.kind in ("math", "display"))


def typst_source(sheet: Sheet, as_text: AbstractSet[str] = frozenset()) -> str:
    """The whole document as Typst markup: the worksheet, then the key on a page of its own."""
    words = sheet.words
    language, region = TYPST_LANGUAGES.get(sheet.lang, ("en", ""))
    region_arg = f', region: "{region}"' if region else ""
    lines = [
        f"#set document(title: {_string(sheet.title)})",
        '#set page(paper: "a4", margin: (x: 2.2cm, top: 2cm, bottom: 2.4cm), footer: context align(center,'
        f" text(size: 8pt, fill: luma(110))[{_text(words['app'])} · #counter(page).display()]))",
        f"#set text(font: ({', '.join(_string(font) for font in FONTS)}), size: 11pt, lang: {_string(language)}"
        f"{region_arg})",
        "#set par(leading: 0.75em)",
        "#let mark = box(stroke: 0.6pt, inset: (x: 6pt, y: 3pt), baseline: 25%,"
        ' text(font: "DejaVu Sans", size: 10pt)[✓ #h(3pt) / #h(3pt) ✗])',
        "#let rule = box(width: 1fr, line(length: 100%, stroke: 0.4pt + luma(90)))",
        f'#text(size: 18pt, weight: "bold")[{_text(sheet.title)}]',
        "#v(6pt)",
        f"{_text(words['name'] + ':')} #box(width: 8cm, line(length: 100%, stroke: 0.4pt)) #h(1fr)"
        f" {_text(words['date'] + ':')} #box(width: 4cm, line(length: 100%, stroke: 0.4pt))",
        "#v(10pt)",
        f"#emph({_string(words['instructions'])})",
        "#v(6pt)",
    ]
    if sheet.problem:
        lines += [f"#strong({_string(words['problem'])})", "", _paragraphs(sheet.problem, as_text), "#v(6pt)"]
    cells = []
    for number, step in enumerate(sheet.steps, 1):
        body = _paragraphs(step, as_text)
        cells.append(f"  [#strong({_string(f'{number}.')})], [{body}\n\n  #v(2pt) #mark #h(6pt) #rule],")
    lines += ["#grid(columns: (1.8em, 1fr), row-gutter: 16pt, column-gutter: 4pt,", *cells, ")"]
    if sheet.key is not None:
        lines += ["#pagebreak()", *_key(sheet, as_text)]
    return "\n".join(lines) + "\n"


def _key(sheet: Sheet, as_text: AbstractSet[str]) -> list[str]:
    key, words = sheet.key, sheet.words
    assert key is not None
    lines = [f'#text(size: 16pt, weight: "bold")[{_text(words["key"])} — {_text(sheet.title)}]', "#v(8pt)"]
    if not (key.verdict or key.flaw or key.explanation):
        return [*lines, _text(words["key_empty"])]
    if key.verdict:
        lines += [f"#strong({_string(words['verdict'] + ':')}) {_text(key.verdict)}", ""]
    for label, part in ((words["flaw"], key.flaw), (words["explanation"], key.explanation)):
        if part:
            lines += ["#v(6pt)", f"#strong({_string(label)})", "", _paragraphs(part, as_text), ""]
    return lines


def _paragraphs(paragraphs: Iterable[Paragraph], as_text: AbstractSet[str]) -> str:
    return "\n\n".join("".join(_piece(piece, as_text) for piece in paragraph) for paragraph in paragraphs)


def _piece(piece: Piece, as_text: AbstractSet[str]) -> str:
    if piece.kind == "text":
        return _text(piece.text)
    if piece.kind == "bold":
        return f"#strong({_string(piece.text)})"
    return _math(piece, as_text)


def _math(piece: Piece, as_text: AbstractSet[str]) -> str:
    """A formula typeset, or (outside the converter's subset, or refused by Typst) its source as text."""
    if piece.source not in as_text:
        try:
            converted = to_typst(piece.text)
        except Unconvertible:
            pass
        else:
            return f"$ {converted} $" if piece.kind == "display" else f"${converted}$"
    return f"#raw({_string(piece.source)})"


def _text(text: str) -> str:
    """Text as a string literal in markup: set as it is, whatever characters it has."""
    return f"#{_string(text)}" if text else ""


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "").replace("\t", " ")
    return f'"{escaped}"'
