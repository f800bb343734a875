"""Pure functions from run state to what the page shows; no Gradio, no wire formats."""

from __future__ import annotations

from .backends import Health
from .state import RunState

# Gradio's Markdown renders only $$…$$ by default; Magistral writes all four forms.
LATEX_DELIMITERS = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "\\[", "right": "\\]", "display": True},
    {"left": "\\(", "right": "\\)", "display": False},
    {"left": "$", "right": "$", "display": False},
]

IDLE_STATUS = "Paste an argument or pick an example, then press **Debug**."


def reasoning_header(state: RunState | None) -> str:
    if state is None or state.reasoning_started_at is None:
        return "Reasoning"
    seconds = state.thinking_seconds() or 0.0
    if state.thinking:
        return f"Thinking… {seconds:.0f} s"
    return f"Thought for {seconds:.0f} s"


def status_markdown(state: RunState | None) -> str:
    if state is None:
        return IDLE_STATUS
    notes = "".join(f"\n\nℹ️ {note}" for note in state.notices)
    if not state.done:
        if state.first_token_at is None:
            waited = state.clock() - state.started_at
            return f"⏳ Waiting for {state.model or 'the model'}… {waited:.0f} s{notes}"
        doing = "Thinking" if state.answer_started_at is None else "Answering"
        return f"⏳ {doing}… · {state.stats_line()}{notes}"
    icon = {"stop": "✅", "length": "⚠️", "cancelled": "⏹️", "error": "❌"}[state.finish_reason or "error"]
    if state.finish_reason == "stop" and not state.answer:
        icon = "⚠️"
    outcome = state.outcome()
    if state.finish_reason == "cancelled":
        outcome = "Stopped."
    stats = "" if state.first_token_at is None else f" · {state.stats_line()}"
    return f"{icon} {outcome}{stats}{notes}"


def health_markdown(health: Health) -> str:
    icon = {"ready": "🟢", "model_missing": "🟠", "unreachable": "🔴"}[health.state]
    return f"{icon} {health.message}"


def pane_texts(state: RunState) -> tuple[str, str]:
    return state.reasoning.strip(), state.answer.strip()
