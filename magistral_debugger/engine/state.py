"""What one debugging run has produced so far, and how it ended, in words fit for a person.

The UI and the CLI render this; they never look at the stream themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..events import Answer, AnswerWasReasoning, FinishReason, Reasoning, SplitEvent, Usage
from ..i18n import DEFAULT_LANGUAGE, Message
from .wording import outcome_words

if TYPE_CHECKING:
    from .verdict import NoVerdict, Verdict


@dataclass
class RunState:
    model: str = ""
    server_url: str = ""
    max_tokens: int = 0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    started_at: float = 0.0
    first_token_at: float | None = None
    reasoning_started_at: float | None = None
    answer_started_at: float | None = None
    finished_at: float | None = None
    # "Answer now": when the reasoning was cut short for the model to answer from it.
    thinking_stopped_at: float | None = None

    reasoning_chunks: int = 0
    answer_chunks: int = 0
    usage: Usage | None = None
    # Messages, or a recording's notices as plain text.
    notices: list[str] = field(default_factory=list)

    finish_reason: FinishReason | None = None
    # Why it ended; for a run stopped by its person, what the stop could not do (None: nothing to say).
    error: Message | None = None
    # What kind of server failure ended the run ("server", "cut", … as backends name them; "" for
    # none or not the server's), and how long the server asked to wait before asking again.
    error_kind: str = ""
    retry_after_s: int | None = None
    # The reasoning effort the request carried (None: none was sent); "none" answers without thinking.
    effort: str | None = None

    # The proof as numbered steps (empty for a photo), the step the reasoning is on,
    # and the model's verdict once the answer is complete.
    steps: tuple[str, ...] = ()
    focus: int | None = None
    verdict: Verdict | NoVerdict | None = None

    # Text is kept as parts (appending is O(chunk)); joined lazily and cached per render.
    _reasoning_parts: list[str] = field(default_factory=list, repr=False)
    _answer_parts: list[str] = field(default_factory=list, repr=False)
    _joined: dict[str, tuple[int, str]] = field(default_factory=dict, repr=False)
    # Reasoning and answer tokens of the part before "Answer now": the continuation's usage
    # counts only the continuation.
    _earlier_tokens: tuple[int, int] = field(default=(0, 0), repr=False)

    def __post_init__(self) -> None:
        if not self.started_at:
            self.started_at = self.clock()

    # --- updates ----------------------------------------------------------------------

    def apply(self, event: SplitEvent) -> None:
        if type(event) is Answer:
            if self.answer_started_at is None:
                self.answer_started_at = self._first_token_now()
            self._answer_parts.append(event.text)
            self.answer_chunks += 1
        elif type(event) is Reasoning:
            if self.reasoning_started_at is None:
                self.reasoning_started_at = self._first_token_now()
            self._reasoning_parts.append(event.text)
            self.reasoning_chunks += 1
        elif type(event) is AnswerWasReasoning:
            self._reasoning_parts.extend(self._answer_parts)
            self._answer_parts.clear()
            self._joined.clear()
            self.reasoning_chunks += self.answer_chunks
            self.answer_chunks = 0
            if self.reasoning_started_at is None:
                self.reasoning_started_at = self.answer_started_at
            self.answer_started_at = None

    def _first_token_now(self) -> float:
        """Now, which is also the first token's time if neither pane had one yet."""
        now = self.clock()
        if self.first_token_at is None:
            self.first_token_at = now
        return now

    def stop_thinking(self) -> None:
        """The reasoning part is over, cut short: its token counts are kept, and the
        continuation that answers from it is counted from zero (its own usage, its chunks)."""
        self.thinking_stopped_at = self.clock()
        self._earlier_tokens = (self.reasoning_tokens(), self.answer_tokens())
        self.usage = None
        self.reasoning_chunks = self.answer_chunks = 0

    def finish(
        self, reason: FinishReason, error: Message | None = None, *, kind: str = "", retry_after_s: int | None = None
    ) -> None:
        if self.finish_reason is not None:
            return  # the first ending wins: a cancel after an error stays an error
        self.finish_reason = reason
        self.error = error
        self.error_kind, self.retry_after_s = kind, retry_after_s
        self.finished_at = self.clock()

    # --- reading ----------------------------------------------------------------------

    @property
    def reasoning(self) -> str:
        return self._join("reasoning", self._reasoning_parts)

    @property
    def answer(self) -> str:
        return self._join("answer", self._answer_parts)

    def _join(self, key: str, parts: list[str]) -> str:
        cached = self._joined.get(key)
        if cached is not None and cached[0] == len(parts):
            return cached[1]
        if len(parts) > 1:
            parts[:] = ["".join(parts)]  # keep the list short so later joins stay cheap
        text = parts[0] if parts else ""
        self._joined[key] = (len(parts), text)
        return text

    @property
    def done(self) -> bool:
        return self.finish_reason is not None

    @property
    def thinking(self) -> bool:
        """Reasoning has started, not been stopped, and no answer yet, while the run goes on."""
        return (
            not self.done
            and self.reasoning_started_at is not None
            and self.answer_started_at is None
            and self.thinking_stopped_at is None
        )

    def thinking_seconds(self) -> float | None:
        if self.reasoning_started_at is None:
            return None
        end = self.thinking_stopped_at or self.answer_started_at or self.finished_at or self.clock()
        return max(0.0, end - self.reasoning_started_at)

    def time_to_first_token(self) -> float | None:
        return None if self.first_token_at is None else self.first_token_at - self.started_at

    def reasoning_tokens(self) -> int:
        earlier = self._earlier_tokens[0]
        if self.usage and self.usage.reasoning_tokens is not None:
            return earlier + self.usage.reasoning_tokens
        return earlier + self.reasoning_chunks

    def answer_tokens(self) -> int:
        return self._earlier_tokens[1] + self._part_answer_tokens()

    def _part_answer_tokens(self) -> int:
        if self.usage and self.usage.completion_tokens is not None:
            if self.usage.reasoning_tokens is not None:
                return max(0, self.usage.completion_tokens - self.usage.reasoning_tokens)
            if not self.reasoning_chunks:
                return self.usage.completion_tokens
            return max(0, self.usage.completion_tokens - self.reasoning_chunks)
        return self.answer_chunks

    def tokens_per_second(self) -> float | None:
        if self.first_token_at is None:
            return None
        end = self.finished_at or self.clock()
        elapsed = end - self.first_token_at
        tokens = self.reasoning_tokens() + self.answer_tokens()
        return tokens / elapsed if elapsed >= 0.2 and tokens > 1 else None  # a rate over a blink is noise

    def outcome(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        """How the run ended, said for a person in ``lang``, English unless asked (empty while it runs)."""
        return outcome_words(
            self.finish_reason,
            self.error,
            answer=self.answer,
            reasoning=self.reasoning,
            model=self.model,
            max_tokens=self.max_tokens,
            lang=lang,
        )

    @property
    def ok(self) -> bool:
        return self.finish_reason == "stop" and bool(self.answer)
