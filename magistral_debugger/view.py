"""Pure functions from run state to what the page shows; no Gradio, no wire formats."""

from __future__ import annotations

from .backends import Health
from .i18n import DEFAULT_LANGUAGE, in_language, outcome_text, stats_text, t
from .state import RunState

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
