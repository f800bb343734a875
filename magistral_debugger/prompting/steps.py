"""Cut a pasted proof into the numbered steps that the model and the page both refer to.

The model is asked to name the flawed step by its number, and the page lights up the
step with that number, so both must number the proof the same way, and a person must
be able to predict that numbering (the proof box previews it before a run; a person
who disagrees adds line breaks). Hence a rule simple enough to say in one breath:

- two or more non-empty lines: one step per line, whatever is on it;
- a single paragraph: one step per sentence, and a sentence that chains three or more
  clauses with "so", "then", "therefore", "hence", "thus" (pt "então", "logo",
  "portanto"; es "entonces", "luego", "por lo tanto"; zh "所以", "因此", "那么"; vi
  "vì vậy", "do đó", "nên", "suy ra") is cut before each of those words. One such
  word ("x = y, so 2 = 1") is an ordinary sentence and stays whole; "then" after an
  "if" in the same clause (and their equivalents) closes a condition, not a step.

Decimals, "e.g.", "i.e.", "etc.", "..."/"…" and LaTeX (``$…$``, ``$$…$$``, ``\\(…\\)``,
``\\[…\\]``) never end a sentence, and nothing inside LaTeX cuts a step.

A list marker the line already carries ("3.", "2)", "- ", "Step 3:") is left out of the
step: the app's numbers replace it, so the model never sees two numberings that
disagree and answers with the one the page shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Spans inside which nothing ends a sentence or cuts a step. An inline $…$ opens on a
# non-space and closes on a non-space not followed by a digit (as pandoc reads it), so
# "$30, so he pays $10" is prose, not one formula.
_PROTECTED = (
    r"\$\$.+?\$\$"
    r"|\\\(.+?\\\)"
    r"|\\\[.+?\\\]"
    r"|\$(?=\S)[^$]*?(?<=\S)\$(?!\d)"
    r"|\.{2,}|…"
    r"|(?<!\w)(?:e\.g|i\.e|etc|vs|cf|approx|resp|p\.\s?ex|p\.\s?ej|fig|eq|thm|def|prop|lem|dr|prof|mr|mrs|ms)\."
)
_SENTENCE_END = r"[.!?][\"'”’»)\]]*(?=\s)|[。！？][”’」』）)]*"
# Clause-chaining words, each with the word that, earlier in the same clause, makes it
# the second half of a condition or a cause ("if … then", "因为 … 所以").
_LINKS = {
    "so": None,
    "then": r"if",
    "therefore": None,
    "hence": None,
    "thus": None,
    "então": r"se",
    "logo": None,
    "portanto": None,
    "entonces": r"si",
    "luego": None,
    "por lo tanto": None,
    "vì vậy": None,
    "do đó": None,
    "nên": r"vì(?!\s+vậy)",
    "suy ra": None,
}
_CJK_LINKS = {"所以": "因为", "因此": None, "那么": "如果"}
_LINK = (
    r"(?<![\w-])(?:so(?!\s+(?:that|on|far|called)\b)|"
    + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in _LINKS if word != "so")
    + r")(?![\w-])|"
    + "|".join(_CJK_LINKS)
)
_SCAN = re.compile(rf"(?P<skip>{_PROTECTED})|(?P<end>{_SENTENCE_END})|(?P<link>{_LINK})", re.IGNORECASE)
_OPENERS = {word: re.compile(rf"(?<!\w){opener}(?!\w)", re.IGNORECASE) for word, opener in _LINKS.items() if opener} | {
    word: re.compile(opener) for word, opener in _CJK_LINKS.items() if opener
}

_MARKER = re.compile(
    r"^(?:[-*•](?:\s+|$)"
    r"|\(?\d{1,3}[.)](?:\s+|$)"
    r"|(?:step|passo|paso|bước)\s*\d{1,3}\s*[:.)]\s*"
    r"|(?:第\s*\d{1,3}\s*步|步骤\s*\d{1,3})\s*[:：.、]?\s*)",
    re.IGNORECASE,
)
_MARKER_ONLY = re.compile(r"\(?\d{1,3}[.)]|(?:step|passo|paso|bước)\s*\d{1,3}\s*[:.]", re.IGNORECASE)


def split_steps(text: str) -> tuple[str, ...]:
    """The steps of ``text`` in order, each without surrounding space or its own list marker."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) >= 2:
        pieces = lines
    else:
        pieces = [clause for sentence in _sentences(text.strip()) for clause in _clauses(sentence)]
    steps = (_MARKER.sub("", piece, count=1).strip() for piece in pieces)
    return tuple(step for step in steps if step)


def numbered(steps: Sequence[str]) -> str:
    """``1. …`` then ``2. …``, one step a line: the preview in the proof box and the
    form in which the model reads the proof. A step given with line breaks of its own (a
    dataset's) keeps them, its later lines indented under its number, so that no line of
    it reads as a step of its own."""
    return "\n".join(
        f"{number}. " + "\n".join(step.splitlines()).replace("\n", "\n" + " " * (len(str(number)) + 2))
        for number, step in enumerate(steps, 1)
    )


@dataclass(frozen=True)
class Proof:
    """What the model is asked to check: the steps it numbers, and the problem they solve
    when a dataset states one (a pasted proof has none: it is all steps).

    A pasted proof is cut by the rule above; a dataset's steps are taken as given (one may
    span lines), so that the model, the page and the dataset's label count the same steps.
    """

    steps: tuple[str, ...]
    problem: str = ""

    @classmethod
    def of(cls, text: str) -> Proof:
        return cls(split_steps(text))

    def text(self) -> str:
        """The proof as a person reads it: the problem, then the numbered steps."""
        return f"{self.problem}\n\n{numbered(self.steps)}" if self.problem else numbered(self.steps)

    def as_json(self) -> dict[str, object]:
        return {"problem": self.problem, "steps": list(self.steps)}


def _sentences(paragraph: str) -> list[str]:
    sentences, start = [], 0
    for match in _SCAN.finditer(paragraph):
        if match.lastgroup != "end":
            continue
        sentence = paragraph[start : match.end()].strip()
        if _MARKER_ONLY.fullmatch(sentence):  # "1." opening a numbered sentence ends nothing
            continue
        sentences.append(sentence)
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _clauses(sentence: str) -> list[str]:
    """The sentence cut before each chaining word, when there are at least two cuts."""
    cuts, start = [], 0
    for match in _SCAN.finditer(sentence):
        if match.lastgroup != "link":
            continue
        clause = sentence[start : match.start()]
        opener = _OPENERS.get(re.sub(r"\s+", " ", match.group().lower()))
        if not clause.strip() or (opener and opener.search(clause)):
            continue
        cuts.append(match.start())
        start = match.start()
    if len(cuts) < 2:
        return [sentence]
    bounds = [0, *cuts, len(sentence)]
    return [sentence[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
