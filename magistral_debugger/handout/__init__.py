"""Handouts: any proof as a worksheet PDF (the numbered steps, math typeset, a box and a line
to mark each) with its answer key on page 2, and the same document as ``.tex``.

No Gradio here: the page, the command line and the classroom call the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .sheet import Sheet, example_sheet, make_sheet, run_sheet
from .tex_source import tex_source
from .typst_pdf import HandoutError, pdf

if TYPE_CHECKING:
    from ..engine.state import RunState
    from ..engine.verdict import NoVerdict, Verdict
    from ..prompting.examples import Example
    from ..prompting.steps import Proof

__all__ = ["Handout", "HandoutError", "from_example", "from_run", "render", "worksheet"]


@dataclass(frozen=True)
class Handout:
    pdf: bytes
    tex: str


def render(sheet: Sheet) -> Handout:
    return Handout(pdf(sheet), tex_source(sheet))


def worksheet(
    proof: Proof | str,
    verdict: Verdict | NoVerdict | None = None,
    explanation: str = "",
    flaw: str = "",
    lang: str = "en",
    title: str = "",
    answer_key: bool = True,
) -> Handout:
    """A proof (its steps, or a text cut into steps as the page cuts it) as a handout; the key
    holds what is known: a verdict, the flaw, the model's explanation (``answer_key=False``:
    no key page, for a run still covered in guess-first mode)."""
    return render(make_sheet(proof, verdict, explanation, flaw, lang, title, answer_key))


def from_example(example: Example, lang: str = "en", run: RunState | None = None, answer_key: bool = True) -> Handout:
    """An example of the gallery: its recorded step and flaw are the key, beside a run's verdict
    and explanation when ``run`` is one of it."""
    return render(example_sheet(example, lang, run, answer_key))


def from_run(run: RunState, lang: str = "en", title: str = "", answer_key: bool = True) -> Handout:
    return render(run_sheet(run, lang, title, answer_key))
