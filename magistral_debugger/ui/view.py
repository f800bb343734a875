"""Pure functions from run state to what the page shows; no Gradio, no wire formats."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..backends import BackendError, Health
from ..engine.state import RunState
from ..engine.verdict import NoVerdict, Verdict
from ..engine.wording import stats_words
from ..i18n import DEFAULT_LANGUAGE, duration, in_language, t

if TYPE_CHECKING:
    from ..engine.run import DebugRun
    from ..prompting.messages import Turn

# Gradio's Markdown renders only $$…$$ by default; Magistral writes all four forms.
LATEX_DELIMITERS: list[dict[str, str | bool]] = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "\\[", "right": "\\]", "display": True},
    {"left": "\\(", "right": "\\)", "display": False},
    {"left": "$", "right": "$", "display": False},
]


def reasoning_header(state: RunState | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The reasoning pane's title: a clock while it thinks, then how long and how many
    tokens it took (what the room sees once the pane folds away for the answer)."""
    if state is None or state.reasoning_started_at is None:
        return t("reasoning_label", lang)
    spent = duration(state.thinking_seconds() or 0.0, lang)
    if state.thinking:
        return t("reasoning_thinking", lang, duration=spent)
    return t("reasoning_thought", lang, duration=spent, tokens=state.reasoning_tokens())


def status_markdown(state: RunState | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The status line in ``lang``; a server's own words quoted in an error stay as they came.
    Technical notices are not part of it (see :func:`notes_markdown`)."""
    if state is None:
        return t("status_idle", lang)
    if not state.done:
        if state.first_token_at is None:
            waited = duration(state.clock() - state.started_at, lang)
            if state.model:
                return f"⏳ {t('status_waiting', lang, model=state.model, duration=waited)}"
            return f"⏳ {t('status_waiting_model', lang, duration=waited)}"
        doing = t("status_thinking" if state.thinking else "status_answering", lang)
        return f"⏳ {doing} · {stats_text(state, lang)}{_effort_in_status(state, lang)}{_said_in_status(state, lang)}"
    icon = {"stop": "✅", "length": "⚠️", "cancelled": "⏹️", "error": "❌"}[state.finish_reason or "error"]
    if state.finish_reason == "stop" and not state.answer:
        icon = "⚠️"
    outcome = outcome_text(state, lang)
    if state.finish_reason == "cancelled":
        outcome = t("outcome_stopped", lang)
        if state.error is not None:  # what the stop could not do (Ollama reading the prompt)
            outcome = f"{outcome} {in_language(state.error, lang)}"
    stats = "" if state.first_token_at is None else f" · {stats_text(state, lang)}"
    return f"{icon} {outcome}{stats}{_effort_in_status(state, lang)}{_said_in_status(state, lang)}"


def _effort_in_status(state: RunState, lang: str) -> str:
    """Which reasoning effort the run asked for, where it asked for one: a room comparing
    "none" with "high" reads it next to the time and tokens it cost."""
    return "" if state.effort is None else f" · {t('status_effort', lang, effort=state.effort)}"


def shows_reasoning_pane(state: RunState) -> bool:
    """Effort "none" answers without thinking: no pane, unless some reasoning came anyway."""
    return state.effort != "none" or bool(state.reasoning)


# Notices the room should see in the status itself: why the thinking ended early.
STATUS_NOTICES = frozenset({"thinking_stopped_by_you", "thinking_budget_reached"})


def _said_in_status(state: RunState, lang: str) -> str:
    said = [in_language(note, lang) for note in state.notices if getattr(note, "key", None) in STATUS_NOTICES]
    return "".join(f" · {words}" for words in said)


def notes_markdown(state: RunState | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The run's technical notices (max tokens lowered, turns left out, not recording…), for
    the small line under the status: worth knowing, not worth the room's attention."""
    notes = [note for note in state.notices if getattr(note, "key", None) not in STATUS_NOTICES] if state else []
    if not notes:
        return ""
    return "ℹ️ " + " ".join(in_language(note, lang) for note in notes)


# The three ways to a model server, as typed: a newcomer with none running is told all of them.
WAYS_TO_A_MODEL = {
    "ollama": "`ollama serve` + `ollama pull magistral`",
    "vllm": "`MAGISTRAL_BACKEND=openai MAGISTRAL_OPENAI_BASE_URL=http://host:8000/v1`",
    "mistral": "`MAGISTRAL_BACKEND=mistral MISTRAL_API_KEY=…`",
}


def health_markdown(health: Health, lang: str = DEFAULT_LANGUAGE) -> str:
    """The header's health line; with no server reachable, the three ways to one (whichever
    backend was chosen: the newcomer may not have the one the app starts with)."""
    icon = {"ready": "🟢", "model_missing": "🟠", "unreachable": "🔴"}[health.state]
    line = f"{icon} {in_language(health.message, lang)}"
    if health.state == "unreachable":
        line += " " + t("health_three_ways", lang, **WAYS_TO_A_MODEL)
    return line


def pane_texts(state: RunState) -> tuple[str, str]:
    return state.reasoning.strip(), state.answer.strip()


def render(state: RunState, label: str = "", lang: str = DEFAULT_LANGUAGE) -> tuple[str, str, str, str, str]:
    """A snapshot as the page shows it: reasoning pane, answer pane, status (under ``label``,
    a replay's notice), the reasoning pane's header and the notes line, as text the page puts
    in its components."""
    reasoning, answer = pane_texts(state)
    status = status_markdown(state, lang)
    header = reasoning_header(state, lang)
    return reasoning, answer, f"{label}\n\n{status}" if label else status, header, notes_markdown(state, lang)


def covered_status(state: RunState, lang: str = DEFAULT_LANGUAGE) -> str:
    """Guess-first mode's progress line: time and tokens while the model works, then that the
    answer is ready; never a word of the reasoning or the answer."""
    stats = "" if state.first_token_at is None else f" · {stats_text(state, lang)}"
    if not state.done:
        return (
            status_markdown(state, lang) if state.first_token_at is None else f"🙈 {t('covered_working', lang)}{stats}"
        )
    if state.finish_reason == "stop" and state.answer:
        return f"✅ {t('covered_ready', lang)}{stats}"
    return status_markdown(state, lang)  # stopped or failed: nothing to guess against


def covered_render(
    state: RunState, label: str = "", lang: str = DEFAULT_LANGUAGE, show_reasoning: bool = False
) -> tuple[str, str, str, str, str]:
    """:func:`render` for guess-first mode: placeholders where the answer and (until the
    presenter shows it) the reasoning would be, so nothing of them reaches the browser before
    its reveal. The reasoning usually names the flaw, hence a reveal of its own."""
    reasoning, _, _, header, notes = render(state, "", lang)
    status = covered_status(state, lang)
    return (
        reasoning if show_reasoning else t("covered_reasoning", lang),
        t("covered_answer", lang),
        f"{label}\n\n{status}" if label else status,
        header,
        notes,
    )


def outcome_text(state: RunState, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """How the run ended, said for a person in ``lang`` (empty while it runs)."""
    return state.outcome(lang)


def stats_text(state: RunState, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """Time to first token, token counts and rate, in ``lang``."""
    return stats_words(
        state.time_to_first_token(),
        state.thinking_seconds(),
        state.reasoning_tokens(),
        state.answer_tokens(),
        state.tokens_per_second(),
        lang,
    )


def thread_markdown(history: list[Turn], lang: str = DEFAULT_LANGUAGE, asking: str = "") -> str:
    """The conversation in the order it happened — the proof, its answer, each question and
    its answer — ending with the question being answered now (``asking``), whose reasoning
    and answer are in the live panes just below."""
    blocks = []
    for number, turn in enumerate(history, 1):
        reasoning = html.escape(turn.reasoning)
        summary = html.escape(t("reasoning_label", lang))
        blocks.append(
            f"{_asked(turn.question, number == 1, lang)}\n\n<details><summary>{summary}</summary>\n\n{reasoning}\n\n"
            f"</details>\n\n{turn.answer}"
        )
    if asking and history:
        blocks.append(_asked(asking, False, lang))
    return "\n\n---\n\n".join(blocks)


def _asked(question: str, is_proof: bool, lang: str) -> str:
    said = html.escape(question or t("thread_photo", lang))
    if is_proof:  # line by line, as it was pasted
        lines = (f"> {line}  " for line in said.splitlines() if line.strip())  # two spaces: a line break
        return f"**{t('thread_proof', lang)}:**\n\n" + "\n".join(lines)
    return f"**{t('thread_asked', lang)}:** {said}"


def replay_label(run: DebugRun, lang: str = DEFAULT_LANGUAGE) -> str:
    """Said plainly on every update of a replay, so nobody takes it for a live model."""
    if run.backend.live:
        return ""
    try:
        recording = run.backend.recording()
        assert recording is not None  # a backend that is not live plays one back
        return f"🎞️ {t('replay_label', lang, date=recording.recorded_on, model=recording.model)}"
    except BackendError as error:
        return f"🎞️ {in_language(error.message, lang)}"


# --- the proof as numbered steps, and the verdict on them ---------------------------------

KIND_IDS = {
    "division by zero": "kind_division_by_zero",
    "invalid cancellation": "kind_invalid_cancellation",
    "square-root sign": "kind_square_root_sign",
    "circular reasoning": "kind_circular_reasoning",
    "unproven assumption": "kind_unproven_assumption",
    "hasty generalization": "kind_hasty_generalization",
    "induction gap": "kind_induction_gap",
    "affirming the consequent": "kind_affirming_the_consequent",
    "false dilemma": "kind_false_dilemma",
    "correlation is not causation": "kind_correlation_not_causation",
    "misuse of infinity or divergent series": "kind_misuse_of_infinity",
    "algebra or arithmetic slip": "kind_algebra_slip",
    "misused definition": "kind_misused_definition",
    "other": "kind_other",
}


@dataclass(frozen=True)
class StepMark:
    """How the page marks one step once the verdict is in: ``state`` for its looks
    ("checked", "flawed", "after" the flawed one, or "" for no mark) and ``words`` that
    say the same without colour."""

    state: Literal["checked", "flawed", "after", ""]
    words: str


def kind_words(verdict: Verdict, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """The kind of flaw in ``lang``; a kind outside the list in the model's own words."""
    if verdict.words:  # the model named a kind outside the list
        return t("kind_other_named", lang, words=verdict.words)
    return t(KIND_IDS.get(verdict.kind, "kind_other"), lang)


def badge_words(outcome: Verdict | NoVerdict, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """The badge beside the answer: the flawed step and its kind, "No flaw found", or the
    quiet note that the model gave no usable verdict."""
    if isinstance(outcome, NoVerdict):
        return t("verdict_missing", lang)
    if outcome.step is None:
        return t("verdict_no_flaw", lang)
    return t("verdict_flawed_step", lang, step=outcome.step, kind=kind_words(outcome, lang))


def step_marks(
    outcome: Verdict | NoVerdict, step_count: int, lang: str | None = DEFAULT_LANGUAGE
) -> tuple[StepMark, ...]:
    """One mark per step: checked before the flawed step, the flawed step with its kind,
    "built on a broken step" after it; every step checked for none; no marks without a verdict."""
    if isinstance(outcome, NoVerdict):
        return (StepMark("", ""),) * step_count
    checked = StepMark("checked", t("step_checked", lang))
    if outcome.step is None:
        return (checked,) * step_count
    flawed = StepMark("flawed", kind_words(outcome, lang))
    after = StepMark("after", t("step_built_on_broken", lang))
    return tuple(
        checked if n < outcome.step else flawed if n == outcome.step else after for n in range(1, step_count + 1)
    )


STEP_ICONS = {"checked": "✓", "flawed": "✗", "after": "↳"}


def proof_html(
    steps: Sequence[str],
    verdict: Verdict | NoVerdict | None = None,
    focus: int | None = None,
    lang: str | None = DEFAULT_LANGUAGE,
) -> str:
    """The proof as the model sees it, numbered, with the verdict's marks: an icon and words
    beside the colour (washed-out projectors, colour-blind viewers). The flawed step carries
    ``data-flawed="true"``; the step the reasoning is on, ``data-focus``."""
    if not steps:
        return ""
    marks = step_marks(verdict, len(steps), lang) if verdict is not None else ()
    items = []
    for number, step in enumerate(steps, 1):
        mark = marks[number - 1] if marks else StepMark("", "")
        attributes = f' data-step="{number}"'
        if mark.state:
            attributes += f' data-state="{mark.state}"'
        if mark.state == "flawed":
            attributes += ' data-flawed="true"'
        if number == focus:
            attributes += " data-focus"
        said = (
            f'<span class="step-mark">{STEP_ICONS[mark.state]} {html.escape(mark.words)}</span>' if mark.state else ""
        )
        items.append(
            f'<li{attributes}><span class="step-number">{number}.</span>'
            f'<span class="step-text">{html.escape(step)}</span>{said}</li>'
        )
    badge = ""
    if verdict is not None:
        kind = "missing" if isinstance(verdict, NoVerdict) else "none" if verdict.step is None else "flawed"
        icon = {"missing": "", "none": "✓ ", "flawed": "✗ "}[kind]
        badge = f'<p class="verdict-badge" data-verdict="{kind}" role="status">{icon}{html.escape(badge_words(verdict, lang))}</p>'
    label = html.escape(t("steps_label", lang))
    return f'<section class="proof-steps" aria-label="{label}">{badge}<ol>{"".join(items)}</ol></section>'


def verdict_output(state: RunState | None) -> dict[str, Any] | None:
    """The API's last output, the object ``--json`` prints: while the model reasons, the step
    it is on (``{"type": "focus", "step": N}``); once it answered, its verdict; else None."""
    if state is None:
        return None
    if isinstance(state.verdict, Verdict):
        return state.verdict.as_json()
    if not state.done and state.focus is not None:
        return {"type": "focus", "step": state.focus}
    return None
