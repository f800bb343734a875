"""A step or the model's explanation as paragraphs of pieces: text, bold text and formulas.

Both renderers (Typst for the PDF, LaTeX for the ``.tex``) read this one reading of the
text, so the two files say the same thing. A formula is whatever the page renders as one
(``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``; an inline ``$`` opens on a non-space and closes on
a non-space not followed by a digit, so "$30 and $10" stays prose). The explanation is
Markdown, of which a printed sheet needs little: paragraphs, list items, headings and bold;
other marks are left as they were typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

_MATH = re.compile(
    r"\$\$(?P<display>.+?)\$\$"
    r"|\\\[(?P<display2>.+?)\\\]"
    r"|\\\((?P<inline>.+?)\\\)"
    r"|\$(?=[^\s$])(?P<inline2>[^$\n]*?[^\s$\\])\$(?!\d)",
    re.DOTALL,
)
# A formula stands in the text as one private-use character while lines are read.
_HOLE = "\ue000"
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_HEADING = re.compile(r"^#{1,6}\s+")
_BULLET = re.compile(r"^[-*+]\s+")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")


@dataclass(frozen=True)
class Piece:
    kind: Literal["text", "bold", "math", "display"]
    text: str  # for a formula, its LaTeX without delimiters
    source: str = ""  # for a formula, as it was written (delimiters and all): the fallback shows it


Paragraph = tuple[Piece, ...]


def paragraphs(text: str, *, markdown: bool = False) -> list[Paragraph]:
    """``text`` cut into paragraphs (a step's lines are one paragraph; with ``markdown``, blank
    lines, list items and headings start new ones)."""
    formulas: list[Piece] = []

    def hole(match: re.Match[str]) -> str:
        display = match.group("display") or match.group("display2")
        inner = display if display is not None else (match.group("inline") or match.group("inline2") or "")
        formulas.append(Piece("display" if display is not None else "math", inner.strip(), match.group()))
        return _HOLE

    holed = _MATH.sub(hole, text.replace(_HOLE, ""))
    lines = _markdown_lines(holed) if markdown else [" ".join(line.strip() for line in holed.splitlines())]
    found = iter(formulas)
    return [pieces for line in lines if (pieces := _pieces(line, found, markdown))]


def _markdown_lines(text: str) -> list[str]:
    """One string per paragraph; a heading's is marked bold as a whole."""
    out: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            out.append(" ".join(current))
            current.clear()

    for raw in text.splitlines():
        line = raw.strip().removeprefix("> ").strip()
        if not line or _RULE.match(line):
            close()
        elif _HEADING.match(line):
            close()
            out.append(f"**{_HEADING.sub('', line)}**")
        elif _BULLET.match(line):
            close()
            current.append("• " + _BULLET.sub("", line))
        elif _NUMBERED.match(line):
            close()
            current.append(line)
        else:
            current.append(line)
    close()
    return out


def _pieces(line: str, formulas: Iterator[Piece], markdown: bool) -> Paragraph:
    pieces: list[Piece] = []
    if not markdown:
        _add(pieces, "text", line, formulas)
    else:
        # re.split with _BOLD's two groups gives: text, bold or None, bold or None, text, …
        spans = _BOLD.split(line.replace("`", ""))
        for index in range(0, len(spans), 3):
            _add(pieces, "text", spans[index], formulas)
            if index + 1 < len(spans):
                _add(pieces, "bold", spans[index + 1] or spans[index + 2] or "", formulas)
    while pieces and pieces[-1].kind == "text" and not pieces[-1].text.strip():
        pieces.pop()
    return tuple(pieces)


def _add(pieces: list[Piece], kind: Literal["text", "bold"], text: str, formulas: Iterator[Piece]) -> None:
    for index, part in enumerate(text.split(_HOLE)):
        if index:
            pieces.append(next(formulas))
        if not part:
            continue
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(kind, pieces[-1].text + part)
        else:
            pieces.append(Piece(kind, part))


def plain(paragraph: Paragraph) -> str:
    """The paragraph as plain text, formulas as written: what a test or a fallback reads."""
    return "".join(piece.source or piece.text for piece in paragraph)
