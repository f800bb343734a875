"""The page's Handout button: the proof in the box as a worksheet PDF and its .tex, files the
browser downloads.

Which key goes on page 2 is decided here, from what the page knows: an example's recorded
step and flaw, and the session's run when it was of this very proof (the same steps) and is
finished. In guess-first mode nothing of the answer is printed before Reveal, as nothing of it
is shown.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..engine.state import RunState
from ..handout import Handout, from_example, from_run, worksheet
from ..prompting.examples import Example, given_proof
from ..prompting.steps import Proof


def make_handout(
    text: str, examples: Sequence[Example], run: RunState | None, hide_key: bool, lang: str
) -> tuple[str, Handout] | None:
    """The file name and the handout for the text in the box (None: no step to print)."""
    text = (text or "").strip()
    proof = given_proof(text, examples) or Proof.of(text)
    if not proof.steps:
        return None
    example = next((e for e in examples if e.argument == text), None)
    finished = run if run is not None and run.done and run.steps == proof.steps else None
    if example is not None:
        return example.slug, from_example(example, lang, finished, answer_key=not hide_key)
    if finished is not None:
        return "handout", from_run(finished, lang, answer_key=not hide_key)
    return "handout", worksheet(proof, lang=lang, answer_key=not hide_key)


def write_handout(name: str, made: Handout) -> list[Path]:
    """The PDF and the .tex in a folder of their own (Gradio serves files from the temp folder)."""
    folder = Path(tempfile.mkdtemp(prefix="magistral-handout-"))
    pdf, tex = folder / f"{name}.pdf", folder / f"{name}.tex"
    pdf.write_bytes(made.pdf)
    tex.write_text(made.tex, encoding="utf-8")
    return [pdf, tex]
