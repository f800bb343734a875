"""Pure functions from run state to what the page shows; no Gradio, no wire formats."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .backends import BackendError, Health
from .i18n import DEFAULT_LANGUAGE, duration, in_language, t
from .state import RunState
from .wording import outcome_words, stats_words

if TYPE_CHECKING:
    from .prompt import Turn
    from .run import DebugRun

# Gradio's Markdown renders only $$…$$ by default; Magistral writes all four forms.
LATEX_DELIMITERS = [
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
        doing = t("status_thinking" if state.answer_started_at is None else "status_answering", lang)
        return f"⏳ {doing} · {stats_text(state, lang)}"
    icon = {"stop": "✅", "length": "⚠️", "cancelled": "⏹️", "error": "❌"}[state.finish_reason or "error"]
    if state.finish_reason == "stop" and not state.answer:
        icon = "⚠️"
    outcome = outcome_text(state, lang)
    if state.finish_reason == "cancelled":
        outcome = t("outcome_stopped", lang)
    stats = "" if state.first_token_at is None else f" · {stats_text(state, lang)}"
    return f"{icon} {outcome}{stats}"


def notes_markdown(state: RunState | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The run's technical notices (max tokens lowered, turns left out, not recording…), for
    the small line under the status: worth knowing, not worth the room's attention."""
    if state is None or not state.notices:
        return ""
    return "ℹ️ " + " ".join(in_language(note, lang) for note in state.notices)


def health_markdown(health: Health, lang: str = DEFAULT_LANGUAGE) -> str:
    icon = {"ready": "🟢", "model_missing": "🟠", "unreachable": "🔴"}[health.state]
    return f"{icon} {in_language(health.message, lang)}"


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


def outcome_text(state: RunState, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """How the run ended, said for a person in ``lang`` (empty while it runs)."""
    return outcome_words(
        state.finish_reason,
        state.error,
        answer=state.answer,
        reasoning=state.reasoning,
        model=state.model,
        max_tokens=state.max_tokens,
        lang=lang,
    )


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
        return f"🎞️ {t('replay_label', lang, date=recording.recorded_on, model=recording.model)}"
    except BackendError as error:
        return f"🎞️ {in_language(error.message, lang)}"
