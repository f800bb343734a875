"""Pure functions from run state to what the page shows; no Gradio, no wire formats."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .backends import BackendError, Health
from .i18n import DEFAULT_LANGUAGE, in_language, t
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
    if state is None or state.reasoning_started_at is None:
        return t("reasoning_label", lang)
    seconds = f"{state.thinking_seconds() or 0.0:.0f}"
    if state.thinking:
        return t("reasoning_thinking", lang, seconds=seconds)
    return t("reasoning_thought", lang, seconds=seconds)


def status_markdown(state: RunState | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The status line in ``lang``; a server's own words quoted in an error stay as they came."""
    if state is None:
        return t("status_idle", lang)
    notes = "".join(f"\n\nℹ️ {in_language(note, lang)}" for note in state.notices)
    if not state.done:
        if state.first_token_at is None:
            waited = f"{state.clock() - state.started_at:.0f}"
            if state.model:
                return f"⏳ {t('status_waiting', lang, model=state.model, seconds=waited)}{notes}"
            return f"⏳ {t('status_waiting_model', lang, seconds=waited)}{notes}"
        doing = t("status_thinking" if state.answer_started_at is None else "status_answering", lang)
        return f"⏳ {doing} · {stats_text(state, lang)}{notes}"
    icon = {"stop": "✅", "length": "⚠️", "cancelled": "⏹️", "error": "❌"}[state.finish_reason or "error"]
    if state.finish_reason == "stop" and not state.answer:
        icon = "⚠️"
    outcome = outcome_text(state, lang)
    if state.finish_reason == "cancelled":
        outcome = t("outcome_stopped", lang)
    stats = "" if state.first_token_at is None else f" · {stats_text(state, lang)}"
    return f"{icon} {outcome}{stats}{notes}"


def health_markdown(health: Health, lang: str = DEFAULT_LANGUAGE) -> str:
    icon = {"ready": "🟢", "model_missing": "🟠", "unreachable": "🔴"}[health.state]
    return f"{icon} {in_language(health.message, lang)}"


def pane_texts(state: RunState) -> tuple[str, str]:
    return state.reasoning.strip(), state.answer.strip()


def render(state: RunState, label: str = "", lang: str = DEFAULT_LANGUAGE) -> tuple[str, str, str, str]:
    """A snapshot as the page shows it: reasoning pane, answer pane, status (under ``label``,
    a replay's notice) and the reasoning pane's header, as text the page puts in its components."""
    reasoning, answer = pane_texts(state)
    status = status_markdown(state, lang)
    return reasoning, answer, f"{label}\n\n{status}" if label else status, reasoning_header(state, lang)


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


def thread_markdown(history: list[Turn], lang: str = DEFAULT_LANGUAGE) -> str:
    """Earlier turns of the conversation; the newest one is in the live panes."""
    blocks = []
    for number, turn in enumerate(history, 1):
        asked = t("thread_proof" if number == 1 else "thread_asked", lang)
        question = html.escape(turn.question or t("thread_photo", lang))
        reasoning = html.escape(turn.reasoning)
        summary = html.escape(t("reasoning_label", lang))
        blocks.append(
            f"**{asked}:** {question}\n\n<details><summary>{summary}</summary>\n\n{reasoning}\n\n</details>\n\n"
            f"{turn.answer}"
        )
    return "\n\n---\n\n".join(blocks)


def replay_label(run: DebugRun, lang: str = DEFAULT_LANGUAGE) -> str:
    """Said plainly on every update of a replay, so nobody takes it for a live model."""
    if run.backend.live:
        return ""
    try:
        recording = run.backend.recording()
        return f"🎞️ {t('replay_label', lang, date=recording.recorded_on, model=recording.model)}"
    except BackendError as error:
        return f"🎞️ {in_language(error.message, lang)}"
