"""One debugging run: settings → prompt → backend → splitter → run state.

``DebugRun.events()`` yields what the person should see as it arrives (for the CLI
and the JSON stream); ``live_snapshots()`` coalesces the same run into at most one
update per interval (for the UI, where every update is a message on the wire).
Closing either iterator closes the backend's stream and so its HTTP connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import AsyncIterator, Union

from .backends import Backend, BackendError, ChatRequest, make_backend
from .events import Answer, AnswerWasReasoning, ContentText, Finished, Notice, Reasoning, ReasoningText, Usage
from .prompt import InputError, build_messages, clean_argument, detect_version
from .settings import Settings
from .splitter import ReasoningSplitter
from .state import RunState

log = logging.getLogger(__name__)


@dataclass(slots=True, frozen=True)
class Ended:
    """The run is over; ``state`` says how."""

    state: RunState


RunEvent = Union[Reasoning, Answer, AnswerWasReasoning, Notice, Ended]


class DebugRun:
    def __init__(self, settings: Settings, argument: str, *, backend: Backend | None = None, clock=time.monotonic):
        self.settings = settings
        self.argument = argument
        self.backend = backend or make_backend(settings)
        self.state = RunState(server_url=self.backend.url, max_tokens=settings.max_tokens, clock=clock)
        self._task: asyncio.Task | None = None  # set while live_snapshots drives the run

    def cancel(self) -> None:
        """Stop now: the drain task's cancellation closes the backend stream, so the
        server sees the hang-up without waiting for the UI framework's own cancel."""
        self.state.finish("cancelled")
        if self._task is not None:
            self._task.cancel()

    async def events(self) -> AsyncIterator[RunEvent]:
        state = self.state
        try:
            argument = clean_argument(self.argument, self.settings.max_input_chars)
            model = self.settings.model or await self.backend.default_model()
            state.model = model
            version = detect_version(model, self.settings.model_version)
            request = ChatRequest(
                model=model,
                messages=build_messages(argument, version),
                temperature=self.settings.temperature,
                top_p=self.settings.top_p,
                max_tokens=self.settings.max_tokens,
            )
            # Close the inner generator here, not through garbage collection: that is what
            # makes closing this iterator hang up on the server before aclose() returns.
            async with contextlib.aclosing(self._split(request)) as split:
                async for event in split:
                    yield event
        except (InputError, BackendError) as error:
            state.finish("error", str(error))
        except (asyncio.CancelledError, GeneratorExit):
            state.finish("cancelled")
            raise
        except Exception as error:  # a bug, or a server far off its documented format: still no traceback shown
            log.warning("run against %s failed unexpectedly", self.backend.url, exc_info=True)
            state.finish(
                "error",
                f"Something unexpected went wrong talking to {self.backend.url} ({type(error).__name__}); what "
                "arrived is kept. Try again, and check that the URL points at the right kind of server.",
            )
        yield Ended(state)

    async def _split(self, request: ChatRequest) -> AsyncIterator[RunEvent]:
        state = self.state
        splitter = ReasoningSplitter()
        loop = asyncio.get_running_loop()
        # Until the first event the server may be loading the model; after it, a long
        # silence means the stream is stuck.
        budget = self.settings.first_token_timeout
        try:
            async with contextlib.aclosing(self.backend.stream(request)) as stream:
                async with asyncio.timeout(budget) as deadline:
                    async for event in stream:
                        kind = type(event)
                        if kind is ContentText:
                            split = splitter.content(event.text)
                        elif kind is ReasoningText:
                            split = splitter.reasoning(event.text)
                        elif kind is Usage:
                            state.usage = event
                            continue
                        elif kind is Notice:
                            state.notices.append(event.message)
                            yield event
                            continue
                        elif kind is Finished:
                            for item in splitter.finish():
                                state.apply(item)
                                yield item
                            state.finish(event.reason)
                            return
                        else:
                            continue
                        for item in split:
                            state.apply(item)
                            yield item
                        budget = self.settings.read_timeout
                        deadline.reschedule(loop.time() + budget)
        except TimeoutError:
            raise BackendError(self._silence_message(budget), kind="timeout") from None
        finally:
            for item in splitter.finish():
                state.apply(item)

    def _silence_message(self, seconds: float) -> str:
        if self.state.first_token_at is None:
            return (
                f"No reply from {self.backend.url} within {seconds:g} s (model {self.state.model!r}). "
                "The model may still be loading: try again, or raise MAGISTRAL_FIRST_TOKEN_TIMEOUT."
            )
        return (
            f"The stream from {self.backend.url} stalled for {seconds:g} s; what arrived is kept. "
            "Try again, or raise MAGISTRAL_READ_TIMEOUT."
        )


async def live_snapshots(
    run: DebugRun, interval: float = 0.08, abandon_after: float = 3.0
) -> AsyncIterator[RunState]:
    """The run's state, at most once per ``interval`` while it runs, and always at the end.

    A separate task drains the stream so that a burst of tokens costs one update,
    and a silent server still gets a fresh "Thinking… N s" at each tick. A consumer
    that leaves this generator suspended for ``abandon_after`` seconds has gone away
    without closing it (a cancel that landed between two updates): the run is then
    stopped, so the model server does not go on generating for nobody.
    """
    changed = asyncio.Event()
    away_since: float | None = None

    async def drain() -> None:
        async for _ in run.events():
            changed.set()

    async def stop_when_abandoned() -> None:
        while not task.done():
            await asyncio.sleep(abandon_after / 3)
            if away_since is not None and time.monotonic() - away_since > abandon_after:
                run.cancel()
                return

    task = run._task = asyncio.create_task(drain())
    watchdog = asyncio.create_task(stop_when_abandoned())
    try:
        last_update = float("-inf")
        while not task.done():
            await asyncio.wait({task}, timeout=interval)
            now = time.monotonic()
            # Send an update when text arrived, and once a second anyway so the clock moves.
            if not task.done() and (changed.is_set() or now - last_update >= 1.0):
                changed.clear()
                last_update = now
                away_since = now
                yield run.state
                away_since = None
        if not task.cancelled():
            await task  # re-raise anything unexpected
        yield run.state
    finally:
        watchdog.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        run.state.finish("cancelled")
