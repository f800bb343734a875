"""What a handout says, in the reader's language, before any typesetting: the worksheet's
title, problem and numbered steps, and the answer key (the verdict, the flaw, the model's
explanation).

A handout is made from any proof: an example of the gallery (whose recorded flawed step
and flaw are the key), a student's text (cut into steps as the page cuts it, so the sheet
numbers it as the room saw it), or a finished run (the model's verdict and explanation).
The two renderers (``typst_pdf``, ``tex_source``) only lay this out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine.verdict import NoVerdict, Verdict
from ..i18n import EN, normalize_language, t
from ..prompting.steps import Proof
from .prose import Paragraph, paragraphs

if TYPE_CHECKING:
    from ..engine.state import RunState
    from ..prompting.examples import Example

# The verdict's kinds are the English words of the "kind_…" ids (as the page reads them).
_KIND_IDS = {text: key for key, text in EN.items() if key.startswith("kind_") and "{" not in text}
# The fixed words of a sheet, by the name the renderers use.
WORD_IDS = {
    "title": "handout_title",
    "name": "handout_name",
    "date": "handout_date",
    "instructions": "handout_instructions",
    "problem": "handout_problem",
    "key": "handout_key",
    "verdict": "handout_verdict",
    "flaw": "handout_flaw",
    "explanation": "handout_explanation",
    "key_empty": "handout_key_empty",
    "app": "app_title",
}


@dataclass(frozen=True)
class Key:
    """The answer key: each part may be empty (an example has no explanation before a run)."""

    verdict: str
    flaw: tuple[Paragraph, ...]
    explanation: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Sheet:
    lang: str  # one of the page's codes ("zh-CN")
    title: str
    problem: tuple[Paragraph, ...]
    steps: tuple[tuple[Paragraph, ...], ...]
    key: Key | None  # None: no answer key (guess-first has not revealed it)
    words: dict[str, str]


def verdict_words(verdict: Verdict | NoVerdict | None, lang: str) -> str:
    """The verdict as the page's badge says it: "Step 5: division by zero", "No flaw found"."""
    if verdict is None:
        return ""
    if isinstance(verdict, NoVerdict):
        return t("verdict_missing", lang)
    if verdict.step is None:
        return t("verdict_no_flaw", lang)
    if verdict.words:
        kind = t("kind_other_named", lang, words=verdict.words)
    elif verdict.kind:
        kind = t(_KIND_IDS.get(verdict.kind, "kind_other"), lang)
    else:  # a step known without its kind (an example's recorded answer)
        return t("handout_step", lang, step=verdict.step)
    return t("verdict_flawed_step", lang, step=verdict.step, kind=kind)


def make_sheet(
    proof: Proof | str,
    verdict: Verdict | NoVerdict | None = None,
    explanation: str = "",
    flaw: str = "",
    lang: str = "en",
    title: str = "",
    answer_key: bool = True,
) -> Sheet:
    code = normalize_language(lang)
    given = proof if isinstance(proof, Proof) else Proof.of(proof)
    key = Key(
        verdict_words(verdict, code),
        tuple(paragraphs(flaw, markdown=True)),
        tuple(paragraphs(explanation, markdown=True)),
    )
    return Sheet(
        lang=code,
        title=title.strip() or t("handout_title", code),
        problem=tuple(paragraphs(given.problem, markdown=True)),
        steps=tuple(tuple(paragraphs(step)) for step in given.steps),
        key=key if answer_key else None,
        words={name: t(key_id, code) for name, key_id in WORD_IDS.items()},
    )


def example_sheet(example: Example, lang: str = "en", run: RunState | None = None, answer_key: bool = True) -> Sheet:
    """An example of the gallery: its recorded step and flaw are the key, and a run's verdict
    and explanation, when there is one, stand beside them."""
    verdict = run.verdict if run is not None and run.verdict is not None else Verdict(example.flawed_step or None)
    return make_sheet(
        example.proof,
        verdict,
        explanation=run.answer if run is not None else "",
        flaw=example.flaw,
        lang=lang,
        title=example.title,
        answer_key=answer_key,
    )


def run_sheet(run: RunState, lang: str = "en", title: str = "", answer_key: bool = True) -> Sheet:
    """A finished run: its steps as the page numbered them, the model's verdict and answer."""
    return make_sheet(Proof(run.steps), run.verdict, run.answer, lang=lang, title=title, answer_key=answer_key)
