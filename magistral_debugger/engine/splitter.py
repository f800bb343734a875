"""Turn a model's output stream into reasoning and answer, whatever the wire.

Reasoning arrives either in its own field or inline in the content between
``[THINK]…[/THINK]`` (Magistral 2507/2509) or ``<think>…</think>`` (2506), with the
tags cut at any point between chunks. The splitter is incremental: each chunk is
scanned once (plus at most 7 held-back characters), so the cost per chunk is
O(chunk), never O(text so far).
"""

from __future__ import annotations

import re

from ..events import Answer, AnswerWasReasoning, Reasoning, SplitEvent

OPEN_TAGS = ("[THINK]", "<think>")
CLOSE_TAGS = ("[/THINK]", "</think>")
_TAG = re.compile(r"\[/?THINK\]|</?think>")
# Every proper prefix of a tag: a chunk ending in one of these may be the start of a tag.
_PARTIAL_TAGS = frozenset(tag[:i] for tag in OPEN_TAGS + CLOSE_TAGS for i in range(1, len(tag)))
_LONGEST_PARTIAL = max(len(p) for p in _PARTIAL_TAGS)


class ReasoningSplitter:
    """A pure state machine: feed it chunks, get back what to show where."""

    __slots__ = ("_inline_reasoning", "_held", "_opened", "_answer_started", "_reasoning_started", "_answer_emitted")

    def __init__(self) -> None:
        self._inline_reasoning = False  # between an inline opening and closing tag
        self._held = ""  # a possible partial tag at the end of the last chunk
        self._opened = False  # an opening tag has been seen at some point
        self._reasoning_started = False  # leading whitespace of each pane is dropped
        self._answer_started = False
        self._answer_emitted = False  # answer text shown before any tag (may be reclassified)

    def reasoning(self, text: str) -> list[SplitEvent]:
        """Reasoning the server delivered in its own field."""
        out: list[SplitEvent] = []
        self._emit_reasoning(text, out)
        return out

    def content(self, text: str) -> list[SplitEvent]:
        """Content that may carry inline think tags, cut anywhere."""
        out: list[SplitEvent] = []
        if not self._held and "[" not in text and "<" not in text:
            self._emit(text, out)  # the common case: no tag can start in this chunk
            return out
        buffer = self._held + text
        self._held = ""
        position = 0
        for match in _TAG.finditer(buffer):
            self._emit(buffer[position : match.start()], out)
            self._on_tag(match.group(), out)
            position = match.end()
        tail = buffer[position:]
        held_from = _partial_tag_start(tail)
        if held_from is not None:
            self._held = tail[held_from:]
            tail = tail[:held_from]
        self._emit(tail, out)
        return out

    def finish(self) -> list[SplitEvent]:
        """The stream ended: release held text unless it was the start of a tag."""
        held, self._held = self._held, ""
        out: list[SplitEvent] = []
        if len(held) == 1:  # a lone "[" or "<" is just text
            self._emit(held, out)
        return out

    def _on_tag(self, tag: str, out: list[SplitEvent]) -> None:
        if tag in OPEN_TAGS:
            self._opened = True
            self._inline_reasoning = True
            return
        # A closing tag.
        if self._inline_reasoning:
            self._inline_reasoning = False
        elif not self._opened and self._answer_emitted and not self._reasoning_started:
            # No opening tag ever came (the server's template opened it): all that was
            # shown as answer was reasoning.
            out.append(AnswerWasReasoning())
            self._reasoning_started = True
        self._opened = True  # later stray closing tags are just dropped
        self._answer_started = False
        self._answer_emitted = False

    def _emit(self, text: str, out: list[SplitEvent]) -> None:
        if self._inline_reasoning:
            self._emit_reasoning(text, out)
            return
        if not self._answer_started:
            text = text.lstrip()
            self._answer_started = bool(text)
        if text:
            self._answer_emitted = True
            out.append(Answer(text))

    def _emit_reasoning(self, text: str, out: list[SplitEvent]) -> None:
        # A pane starts at its first visible character: the blank lines a model puts after a tag are not shown.
        if not self._reasoning_started:
            text = text.lstrip()
            self._reasoning_started = bool(text)
        if text:
            out.append(Reasoning(text))


def _partial_tag_start(tail: str) -> int | None:
    """Index where a possible partial tag begins at the end of ``tail``, if any."""
    start = max(0, len(tail) - _LONGEST_PARTIAL)
    for index in range(start, len(tail)):
        if tail[index] in "[<" and tail[index:] in _PARTIAL_TAGS:
            return index
    return None
