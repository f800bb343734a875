"""How a request fits the model's context: the one place that budgets it.

Two rules share one context size: a conversation too long for it loses its oldest
turns (never the current question), keeping room for the reply; and max tokens is
lowered to what is left after the prompt when the server reports its context (vLLM's
``max_model_len``), instead of letting the server refuse the request with a 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..i18n import Message
from ..prompting.messages import estimate_tokens

# Room left for the prompt estimate's error when max tokens must shrink to fit.
PROMPT_TOKEN_ALLOWANCE = 512


@dataclass(frozen=True)
class Fitted:
    messages: list[dict[str, Any]]
    max_tokens: int
    dropped_turns: int = 0
    notices: tuple[Message, ...] = ()


def reply_room(context: int, max_tokens: int) -> int:
    """Tokens kept free for the reply when history is trimmed: max tokens, but at most half
    the context, since a reasoning model needs thousands of tokens to think."""
    return min(max_tokens, context // 2)


def trim_history(
    build: Callable[[int], list[dict[str, Any]]], turns: int, budget_tokens: int
) -> tuple[list[dict[str, Any]], int]:
    """The messages ``build(n)`` makes with the fewest of the oldest turns left out for the
    estimate to fit ``budget_tokens`` (the current question is always sent), and that ``n``."""
    dropped = 0
    messages = build(0)
    while dropped < turns and estimate_tokens(messages) > budget_tokens:
        dropped += 1
        messages = build(dropped)
    return messages, dropped


def fit_to_context(
    build: Callable[[int], list[dict[str, Any]]],
    turns: int,
    max_tokens: int,
    reported_context: int | None,
    assumed_context: int,
) -> Fitted:
    """``build(n)`` makes the messages without the ``n`` oldest of ``turns`` earlier turns.
    ``reported_context`` is what the server says (None: it does not), ``assumed_context``
    the setting used in its place for trimming."""
    context = reported_context or assumed_context
    notices: list[Message] = []
    messages, dropped = trim_history(build, turns, context - reply_room(context, max_tokens))
    if dropped:
        key = "dropped_oldest_turn" if dropped == 1 else "dropped_oldest_turns"
        notices.append(Message(key, count=dropped, context=context))
    if reported_context:
        room = reported_context - estimate_tokens(messages) - PROMPT_TOKEN_ALLOWANCE
        if max_tokens > room:
            fitted = max(1, room)
            notices.append(
                Message("openai_max_tokens_lowered", requested=max_tokens, fitted=fitted, limit=reported_context)
            )
            max_tokens = fitted
    return Fitted(messages, max_tokens, dropped, tuple(notices))
