"""The same sheet as a LaTeX document, for a teacher who has TeX and wants to edit it.

Formulas go in as the proof wrote them (they are LaTeX already), normalised to ``\\(…\\)``
and ``\\[…\\]``; one the handout's converter could not read (an unknown macro, braces that do
not close) goes in as text, as on the PDF, so the file compiles as given. Text is escaped.
It is written for XeLaTeX or LuaLaTeX (``fontspec``: the steps are Unicode, "x² − y²"), with
``xeCJK`` and Noto CJK for Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable

from .latex_math import Unconvertible, to_typst
from .prose import Paragraph, Piece
from .sheet import Sheet

_BABEL = {"en": "english", "pt": "portuguese", "es": "spanish", "vi": "vietnamese"}
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def tex_source(sheet: Sheet) -> str:
    words = sheet.words
    preamble = [
        f"% {words['app']}: {sheet.title}",
        "% Compile with xelatex (or lualatex): the text is Unicode.",
        r"\documentclass[11pt,a4paper]{article}",
        r"\usepackage[margin=2.2cm]{geometry}",
        r"\usepackage{amsmath,amssymb}",
        r"\usepackage{fontspec}",
    ]
    if sheet.lang == "zh-CN":
        preamble += [r"\usepackage{xeCJK}", r"\setCJKmainfont{Noto Serif CJK SC}"]
    else:
        preamble += [rf"\usepackage[{_BABEL.get(sheet.lang, 'english')}]{{babel}}"]
    preamble += [
        r"\setlength{\parindent}{0pt}",
        r"\pagestyle{empty}",
        r"\newcommand{\stepmark}{\fbox{$\checkmark$ / $\times$}}",
        r"\begin{document}",
    ]
    body = [
        rf"{{\LARGE\bfseries {_escape(sheet.title)}\par}}",
        r"\bigskip",
        rf"{_escape(words['name'])}: \rule{{8cm}}{{0.4pt}} \hfill {_escape(words['date'])}: \rule{{4cm}}{{0.4pt}}",
        "",
        r"\medskip",
        rf"\emph{{{_escape(words['instructions'])}}}",
        "",
    ]
    if sheet.problem:
        body += [rf"\textbf{{{_escape(words['problem'])}}}", "", _paragraphs(sheet.problem), ""]
    body.append(r"\begin{enumerate}")
    for step in sheet.steps:
        body += [rf"  \item {_paragraphs(step)}", "", r"  \stepmark\ \hrulefill", r"  \bigskip"]
    body.append(r"\end{enumerate}")
    if sheet.key is not None:
        body += [r"\newpage", *_key(sheet)]
    return "\n".join([*preamble, *body, r"\end{document}"]) + "\n"


def _key(sheet: Sheet) -> list[str]:
    key, words = sheet.key, sheet.words
    assert key is not None
    lines = [rf"{{\Large\bfseries {_escape(words['key'])} --- {_escape(sheet.title)}\par}}", r"\medskip", ""]
    if not (key.verdict or key.flaw or key.explanation):
        return [*lines, _escape(words["key_empty"])]
    if key.verdict:
        lines += [rf"\textbf{{{_escape(words['verdict'])}:}} {_escape(key.verdict)}", ""]
    for label, part in ((words["flaw"], key.flaw), (words["explanation"], key.explanation)):
        if part:
            lines += [r"\medskip", rf"\textbf{{{_escape(label)}}}", "", _paragraphs(part), ""]
    return lines


def _paragraphs(paragraphs: Iterable[Paragraph]) -> str:
    return "\n\n".join("".join(_piece(piece) for piece in paragraph) for paragraph in paragraphs)


def _piece(piece: Piece) -> str:
    if piece.kind == "text":
        return _escape(piece.text)
    if piece.kind == "bold":
        return rf"\textbf{{{_escape(piece.text)}}}"
    try:
        to_typst(piece.text)  # the converter reads it: braces balance, every macro is a known one
    except Unconvertible:
        return rf"\texttt{{{_escape(piece.source)}}}"
    return rf"\[{piece.text}\]" if piece.kind == "display" else rf"\({piece.text}\)"


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)
