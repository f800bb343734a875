"""Typed events that flow one way: backend → splitter → run state → UI/CLI.

Backends speak in *stream events* (what the server sent, already decoded from its
wire format); the splitter turns those into *run events* (what the person sees).
Nothing downstream of a backend ever looks at JSON, SSE or NDJSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FinishReason = Literal["stop", "length", "cancelled", "error"]


@dataclass(slots=True, frozen=True)
class _Text:
    """A piece of text, the one field of four kinds of events; each kind is a class of its own,
    as the stream and the run dispatch on an event's exact type."""

    text: str


# --- stream events: yielded by backends -------------------------------------------------


class ReasoningText(_Text):
    """Reasoning that the server already separated (Ollama ``thinking``, vLLM ``reasoning``)."""

    __slots__ = ()


class ContentText(_Text):
    """Content as the server sent it; it may still carry inline ``[THINK]``/``<think>`` tags."""

    __slots__ = ()


@dataclass(slots=True, frozen=True)
class Usage:
    """Token counts as the server reports them (None where it does not say)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    reasoning_tokens: int | None = None


@dataclass(slots=True, frozen=True)
class Notice:
    """Something the person should know that is not an error (e.g. max tokens lowered)."""

    message: str


@dataclass(slots=True, frozen=True)
class Finished:
    """The server ended the stream normally; ``reason`` is its own finish reason."""

    reason: Literal["stop", "length"]


StreamEvent = ReasoningText | ContentText | Usage | Notice | Finished


# --- run events: yielded by the splitter -------------------------------------------------


class Reasoning(_Text):
    """Reasoning as the person sees it, think tags already taken out."""

    __slots__ = ()


class Answer(_Text):
    """The answer as the person sees it, think tags already taken out."""

    __slots__ = ()


@dataclass(slots=True, frozen=True)
class AnswerWasReasoning:
    """A closing think tag arrived with no opening one: what looked like answer was reasoning."""


SplitEvent = Reasoning | Answer | AnswerWasReasoning
