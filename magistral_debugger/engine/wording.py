"""How a run's outcome and stats are said to a person, from plain values.

The view says them in the page's language and the export in the reader's; RunState says
its outcome in English for the CLI and logs. Taking plain values rather than a RunState
keeps this module below state: state imports it, and it imports nothing of state.
"""

from __future__ import annotations

from ..events import FinishReason
from ..i18n import DEFAULT_LANGUAGE, Message, duration, in_language, number, t


def outcome_words(
    finish_reason: FinishReason | None,
    error: Message | None,
    *,
    answer: str,
    reasoning: str,
    model: str,
    max_tokens: int,
    lang: str | None = DEFAULT_LANGUAGE,
) -> str:
    """How the run ended, said for a person in ``lang`` (empty while it runs)."""
    if finish_reason is None:
        return ""
    if finish_reason == "error":
        return in_language(error, lang) or t("outcome_failed", lang)
    if finish_reason == "cancelled":
        stopped = t("outcome_stopped_by_you", lang)
        return f"{stopped} {in_language(error, lang)}" if error else stopped
    if finish_reason == "length":
        key = "outcome_answer_cut_off" if answer else "outcome_out_of_tokens_thinking"
        return t(key, lang, max_tokens=max_tokens)
    if not answer:
        key = "outcome_no_answer" if reasoning else "outcome_empty_reply"
        return t(key, lang, model=repr(model))
    return t("outcome_finished", lang)


def stats_words(
    first_token_s: float | None,
    thinking_s: float | None,
    reasoning_tokens: int,
    answer_tokens: int,
    tokens_per_s: float | None,
    lang: str | None = DEFAULT_LANGUAGE,
) -> str:
    """The stats line from its numbers (a live run's, or an export's snapshot)."""
    parts = []
    if first_token_s is not None:
        parts.append(t("stats_first_token", lang, duration=duration(first_token_s, lang, 1)))
    if thinking_s is not None:
        parts.append(t("stats_thought", lang, duration=duration(thinking_s, lang)))
    parts.append(t("stats_tokens", lang, reasoning=reasoning_tokens, answer=answer_tokens))
    if tokens_per_s is not None:
        parts.append(t("stats_rate", lang, rate=number(tokens_per_s, lang, 1)))
    return " · ".join(parts)
