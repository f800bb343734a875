"""One debugging run: settings → prompt → backend → splitter → run state.

``DebugRun.events()`` yields what the person should see as it arrives (for the CLI
and the JSON stream); ``live_snapshots()`` coalesces the same run into at most one
update per interval (for the UI, where every update is a message on the wire).
Closing either iterator closes the backend's stream and so its HTTP connection.

``DebugRun.answer_now()`` (and the thinking budget) cuts the reasoning short the same way,
then continues the model's own turn with the reasoning so far, so that it answers from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..backends import Backend, BackendError, ChatRequest, ModelInfo, make_backend
from ..backends.recording import Recording
from ..events import (
    Answer,
    AnswerWasReasoning,
    ContentText,
    Finished,
    Notice,
    Reasoning,
    ReasoningText,
    StreamEvent,
    Usage,
)
from ..i18n import Message
from ..prompting.families import format_label
from ..prompting.images import ImageSource, PreparedImage, prepare_image_for
from ..prompting.input_errors import InputError
from ..prompting.messages import Turn, answer_now_messages, build_messages, clean_argument, detect_version, has_images
from ..prompting.own_files import OwnFileError
from ..prompting.steps import Proof
from ..settings import Settings
from .context_fit import fit_to_context
from .effort import choose_effort
from .pacing import LIVE_RUNS, update_interval
from .splitter import ReasoningSplitter
from .state import RunState
from .verdict import FocusTracker, NoVerdict, Verdict, VerdictReader

log = logging.getLogger(__name__)
# A stall is reported between read_timeout and 1 % later: the deadline need not move on every token.
STALL_SLACK = 1.01
# The stream is read again this share of the interval before an update: time for the event loop,
# however busy, to handle what came since the last one.
READ_AHEAD = 0.25


@dataclass(slots=True, frozen=True)
class Focused:
    """The reasoning turned to another step of the proof (its number, from 1)."""

    step: int


@dataclass(slots=True, frozen=True)
class Judged:
    """The model's verdict on the steps, read from its answer's last line (or why there is none)."""

    verdict: Verdict | NoVerdict


@dataclass(slots=True, frozen=True)
class Ended:
    """The run is over; ``state`` says how."""

    state: RunState


RunEvent = Reasoning | Answer | AnswerWasReasoning | Notice | Focused | Judged | Ended


class DebugRun:
    def __init__(
        self,
        settings: Settings,
        argument: str,
        *,
        backend: Backend | None = None,
        clock: Callable[[], float] = time.monotonic,
        image: ImageSource | None = None,
        history: Sequence[Turn] = (),
        conversation_id: str = "",
        proof: Proof | None = None,
    ) -> None:
        """``image``: a photo of the proof (a path, bytes, a Pillow image or a PreparedImage);
        ``history``: the conversation's earlier turns, which makes ``argument`` a follow-up;
        ``conversation_id``: the id of the conversation it follows up, which its requests carry
        (empty: a new conversation, with a random id, so that a class debugging the same proof
        is still a class of conversations a router can spread);
        ``proof``: the steps as a dataset gives them, which ``argument`` then only shows (None:
        the steps are cut from ``argument``, as the page previews them)."""
        self.settings = settings
        self.argument = argument
        self.proof = proof
        self.image_source = image
        self.history = tuple(history)
        self.conversation_id = conversation_id or uuid.uuid4().hex
        self.question = argument  # cleaned once the run starts
        self.image: PreparedImage | None = None  # prepared once the run starts
        self.dropped_turns = 0  # oldest turns left out to fit the context
        self._owns_backend = backend is None  # a backend made here is closed here
        self.backend = backend or make_backend(settings)
        self.state = RunState(server_url=self.backend.url, max_tokens=settings.max_tokens, clock=clock)
        self._task: asyncio.Task | None = None  # set while live_snapshots drives the run
        # Set while live_snapshots wants the stream read (None: read as tokens come); see there.
        self._read_gate: asyncio.Event | None = None
        # What was asked of the backend (for exports), and when in the presenter's time zone.
        self.request: ChatRequest | None = None
        # The recorded run a replay played, once read (None for a live server, or an unreadable file).
        self.recording: Recording | None = None
        self.started = datetime.now().astimezone()
        # "Answer now": while the model reasons, a cancel scope around its stream (None otherwise),
        # the loop it runs on, why the thinking is to stop, and whether the stream was cut for it.
        self._cut: asyncio.Timeout | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_why: Message | None = None
        self._thinking_cut = False

    def cancel(self) -> None:
        """Stop now: the drain task's cancellation closes the backend stream, so the
        server sees the hang-up without waiting for the UI framework's own cancel."""
        self._stopped()
        if self._task is not None:
            self._task.cancel()

    def _stopped(self) -> None:
        """Ends the state as stopped; before the first token the server may still be reading the
        prompt, where a hang-up can go unnoticed, and the backend says what that means."""
        state = self.state
        state.finish("cancelled", self.backend.stop_before_first_token() if state.first_token_at is None else None)

    def answer_now(self) -> bool:
        """Stop the thinking and have the model answer from its reasoning so far (budget forcing):
        the reasoning stream is closed, so the server sees the hang-up as with Stop, then a
        continuation sends the reasoning back as the model's own closed turn and its reply
        fills the answer. Only while a live model reasons; says whether it will happen.
        Callable from any thread: the cut itself happens on the run's event loop."""
        if self._cut is None or self._loop is None or not self.state.thinking or self._stop_why is not None:
            return False
        self._stop_why = Message("thinking_stopped_by_you")
        try:
            self._loop.call_soon_threadsafe(self._cut_now)
        except RuntimeError:  # the loop closed meanwhile: the run is over
            return False
        return True

    def _cut_now(self) -> None:
        """Wakes a stream read that is waiting for the next token; between tokens, the
        stream loop sees ``_stop_why`` itself."""
        if self._cut is not None and self.state.thinking:
            self._cut.reschedule(asyncio.get_running_loop().time())

    def gate_reads(self) -> asyncio.Event:
        """From now on the stream is read only while the event returned is set: live_snapshots sets
        it just before each update, so that the tokens that came meanwhile are one read."""
        self._read_gate = asyncio.Event()
        return self._read_gate

    def start_draining(self, changed: asyncio.Event) -> asyncio.Task:
        """Runs the run to its end in a task of its own, setting ``changed`` at each event; the task
        is the run's, so that ``cancel()`` cancels it and its cancellation closes the backend stream."""
        self._task = asyncio.create_task(self._drain(changed))
        return self._task

    async def _drain(self, changed: asyncio.Event) -> None:
        async for _ in self.events():
            changed.set()

    async def events(self) -> AsyncIterator[RunEvent]:
        state = self.state
        self._loop = asyncio.get_running_loop()
        try:
            if not self.backend.live:
                await self._read_recording()
            if self.image_source is not None:
                self.image = prepare_image_for(self.image_source, self.settings)
            argument = self.question = clean_argument(
                self.argument, self.settings.max_input_chars, allow_empty=self.image is not None
            )
            state.steps = self._steps(argument)
            info = await self.backend.model_info(self.settings.model)
            state.model = info.name
            request, notices = self._request(argument, info)
            for notice in notices:
                state.notices.append(notice)
                yield Notice(notice)
            if self.recording is not None:
                request = self.recording.request
                state.model = request.model
            state.effort = request.reasoning_effort
            # The limit the server got, which fitting to its context may have lowered:
            # "ran out of tokens" then names the one that ran out, not the one asked for.
            state.max_tokens = request.max_tokens
            self.request = request
            # One verdict reader and focus tracker for the whole run: an answer-now continuation
            # goes on with the same verdict line and the same steps.
            reader, tracker = VerdictReader(), FocusTracker(len(state.steps))
            # Close the inner generator here, not through garbage collection: that is what
            # makes closing this iterator hang up on the server before aclose() returns.
            async with contextlib.aclosing(self._split(request, reader, tracker, thinking=True)) as split:
                async for event in split:
                    yield event
            if self._thinking_cut and not state.done:
                state.stop_thinking()
                continuation, notices = self._continuation(request, info)
                for notice in notices:
                    state.notices.append(notice)
                    yield Notice(notice)
                async with contextlib.aclosing(self._split(continuation, reader, tracker, thinking=False)) as split:
                    async for event in split:
                        yield event
        except BackendError as error:
            state.finish("error", error.message, kind=error.kind, retry_after_s=error.retry_after_s)
        except (InputError, OwnFileError) as error:  # OwnFileError: the app's fault, not the server's
            state.finish("error", error.message)
        except (asyncio.CancelledError, GeneratorExit):
            self._stopped()
            raise
        except Exception as error:  # a bug, or a server far off its documented format: still no traceback shown
            log.warning("run against %s failed unexpectedly", self.backend.url, exc_info=True)
            state.finish("error", Message("unexpected_failure", url=self.backend.url, detail=type(error).__name__))
        finally:
            if self._owns_backend:
                await self.backend.aclose()
        yield Ended(state)

    async def _read_recording(self) -> None:
        """A replay plays what its recorded request got, and sends nothing: with no text typed it
        shows the recorded text, and it numbers the steps as the recorded request did."""
        self.recording = await asyncio.to_thread(self.backend.recording)
        assert self.recording is not None  # a backend that is not live plays one back
        if not (self.argument or "").strip():
            self.argument = self.recording.argument
        self.proof = self.recording.request.proof or self.proof

    def _steps(self, argument: str) -> tuple[str, ...]:
        """The steps the verdict names: follow-ups keep those of the proof that began the conversation."""
        if self.history:
            first = self.history[0]
            return (first.proof or Proof.of(first.question)).steps
        return (self.proof or Proof.of(argument)).steps

    def _request(self, argument: str, info: ModelInfo) -> tuple[ChatRequest, tuple[Message, ...]]:
        """The request for this turn, fit to the model's context: a conversation too long for
        it loses its oldest turns (never the current question), and the person is told."""
        settings, backend = self.settings, self.backend
        version = detect_version(info.name, settings.model_version, info.prompt_format)
        notices = []
        # Say why only where the server overruled the name (an alias that hides the version).
        if settings.model_version == "auto" and info.prompt_format_reason is not None:
            if format_label(version) != format_label(detect_version(info.name)):
                notices.append(info.prompt_format_reason)
        if info.thinking is False:
            notices.append(backend.no_thinking_message(info.name))
        effort, effort_notices = choose_effort(settings.reasoning_effort, info)
        notices += [*effort_notices, *([info.deprecation] if info.deprecation else [])]

        def build(drop_oldest: int) -> list[dict]:
            return build_messages(
                argument,
                version,
                self.image,
                history=self.history,
                keep_reasoning=settings.keeps_reasoning(info.keeps_reasoning),
                thinking_field=backend.thinking_field,
                drop_oldest=drop_oldest,
                proof=None if self.history else self.proof,
            )

        fitted = fit_to_context(
            build, len(self.history), settings.max_tokens, info.context_tokens, settings.context_tokens
        )
        self.dropped_turns = fitted.dropped_turns
        if has_images(fitted.messages) and not info.takes_images(settings.vision):
            message = (
                Message("images_turned_off") if settings.vision == "false" else backend.no_vision_message(info.name)
            )
            raise InputError(message)
        request = ChatRequest(
            model=info.name,
            messages=fitted.messages,
            temperature=settings.temperature,
            top_p=settings.top_p,
            max_tokens=fitted.max_tokens,
            argument=argument,
            think=bool(info.thinking),
            reasoning_effort=effort,
            conversation_id=self.conversation_id,
            proof=None if self.history else self.proof,
        )
        return request, (*notices, *fitted.notices)

    def _continuation(self, request: ChatRequest, info: ModelInfo) -> tuple[ChatRequest, tuple[Message, ...]]:
        """The request that makes the model answer from the reasoning it has, and the notices
        that say why the thinking stopped and how the model was asked to go on. Max tokens
        keeps to what the reasoning left, and to the context the longer prompt leaves."""
        state, settings = self.state, self.settings
        why = self._stop_why or Message("thinking_budget_reached", seconds=settings.thinking_budget)
        messages = answer_now_messages(
            request.messages,
            state.reasoning,
            detect_version(info.name, settings.model_version, info.prompt_format),
            thinking_field=self.backend.thinking_field,
            prefill=info.prefill,
        )
        left = max(1, request.max_tokens - state.reasoning_tokens())
        max_tokens = fit_to_context(
            lambda _: messages, 0, left, info.context_tokens, settings.context_tokens
        ).max_tokens
        if info.prefill:
            continuation = replace(request, messages=messages, max_tokens=max_tokens, continue_final=True)
            return continuation, (why, Message("answer_now_prefill"))
        continuation = replace(request, messages=messages, max_tokens=max_tokens)
        return continuation, (why, Message("answer_now_second_turn"))

    def turn(self) -> Turn:
        """This run as a turn of the conversation, to pass in the next run's ``history``
        (keep it only when ``state.answer`` is not empty: the model cannot build on nothing)."""
        state = self.state
        return Turn(
            question=self.question,
            answer=state.answer,
            reasoning=state.reasoning,
            image=self.image,
            proof=None if self.history else self.proof,
        )

    async def _split(
        self, request: ChatRequest, reader: VerdictReader, tracker: FocusTracker, *, thinking: bool
    ) -> AsyncGenerator[RunEvent, None]:
        """Server events → reasoning and answer (the splitter) → the answer without its verdict
        line, and the step the reasoning is on (the verdict reader, the focus tracker) → state.

        ``thinking``: the run's first stream, which "Answer now" and the thinking budget may
        cut short while the model reasons (then ``_thinking_cut`` is set and this just ends);
        else the continuation after such a cut, which must bring some answer."""
        splitter = ReasoningSplitter()
        loop = asyncio.get_running_loop()
        # Until the first event the server may be loading the model; after it, silence means a stuck stream.
        budget = self.settings.first_token_timeout
        watching, thinking_budget = self._may_cut_short(thinking)
        finished = spoke = False
        cut: asyncio.Timeout | None = None
        try:
            events = contextlib.aclosing(self.backend.stream(request))
            async with events as stream, self._cut_scope(watching) as cut, asyncio.timeout(budget) as deadline:
                async for event in stream:
                    if isinstance(event, ContentText):
                        split = splitter.content(event.text)
                    elif isinstance(event, ReasoningText):
                        split = splitter.reasoning(event.text)
                    elif isinstance(event, Finished):
                        for item in self._last_words(splitter, reader, tracker):
                            yield item
                        finished = True
                        for item in self._end_of_stream(event, reader, wordless=not (thinking or spoke)):
                            yield item
                        return
                    else:
                        for item in self._aside(event):
                            yield item
                        continue
                    items = self._judged(split, reader, tracker)
                    spoke = spoke or bool(split)
                    if watching:
                        watching, thinking_budget = self._rearm_cut(cut, thinking_budget)
                    for item in items:
                        yield item
                    if watching and self._answer_now_came():
                        return
                    budget = self.settings.read_timeout
                    self._keep_deadline(deadline, budget, loop.time())
                    if self._read_gate is not None:
                        await self._read_gate.wait()  # inside the cut and stall scopes: they still apply
        except (BackendError, TimeoutError) as error:
            finished = True  # cut short: every word that came is shown, a verdict-like line too
            for item in self._shown_as_kept(splitter, reader):
                yield item
            if not isinstance(error, TimeoutError):
                raise
            if cut is None or not cut.expired():  # neither "Answer now" nor the thinking budget: silence
                raise BackendError(self._silence_message(budget), kind="timeout") from None
            self._thinking_cut = True
        finally:
            if not finished:  # stopped: nothing more can be shown, but the state keeps every word
                self._keep_every_word(splitter, reader)

    def _may_cut_short(self, thinking: bool) -> tuple[bool, float]:
        """Whether "Answer now" and the thinking budget may cut this stream short, and the budget:
        only the reasoning of a live run (a recording cannot be continued: a replay plays as it was)."""
        watching = thinking and self.backend.live
        return watching, self.settings.thinking_budget if watching else 0.0

    def _answer_now_came(self) -> bool:
        """Whether "Answer now" came between tokens, which ends the stream here for the continuation."""
        if self._stop_why is None:
            return False
        self._thinking_cut = True
        return True

    def _shown_as_kept(self, splitter: ReasoningSplitter, reader: VerdictReader) -> Iterator[RunEvent]:
        """What the splitter and the verdict reader still hold when the stream is cut short, each
        applied to the state as it is handed on."""
        for item in self._kept(splitter, reader):
            self.state.apply(item)
            yield item

    def _keep_every_word(self, splitter: ReasoningSplitter, reader: VerdictReader) -> None:
        """A stream stopped early can show nothing more, but the state keeps every word that came."""
        for item in self._kept(splitter, reader):
            self.state.apply(item)

    def _aside(self, event: StreamEvent) -> list[RunEvent]:
        """A stream event that is no text: token counts are kept for the stats, a notice is kept
        and shown; anything else a backend may send is no concern of the run."""
        if isinstance(event, Usage):
            self.state.usage = event
        elif isinstance(event, Notice):
            self.state.notices.append(event.message)
            return [event]
        return []

    def _last_words(
        self, splitter: ReasoningSplitter, reader: VerdictReader, tracker: FocusTracker
    ) -> Iterator[RunEvent]:
        """At the end of the stream, what the splitter and the verdict reader still hold, applied
        to the state as it is shown (lazily: a consumer that leaves midway leaves the rest unapplied)."""
        yield from self._judged(splitter.finish(), reader, tracker)
        rest = reader.finish()
        if rest:
            self.state.apply(Answer(rest))
            yield Answer(rest)

    def _end_of_stream(self, event: Finished, reader: VerdictReader, *, wordless: bool) -> Iterator[RunEvent]:
        """The server ended the stream: a continuation that brought not a word (``wordless``) is an
        error, a stopped answer is judged on the steps (its verdict line), and the run ends as the server said."""
        state = self.state
        if wordless:
            state.finish("error", Message("answer_now_no_answer", url=self.backend.url))
        if event.reason == "stop" and state.steps:
            state.verdict = reader.verdict(state.steps)
            yield Judged(state.verdict)
        state.finish(event.reason)

    def _rearm_cut(self, cut: asyncio.Timeout, thinking_budget: float) -> tuple[bool, float]:
        """Whether "Answer now" still watches the stream, and the thinking budget not yet armed:
        once the answer began there is nothing to cut short; the budget counts from the first reasoning."""
        state = self.state
        if state.answer_started_at is not None:
            cut.reschedule(None)
            return False, thinking_budget
        if thinking_budget and state.reasoning_started_at is not None:
            cut.reschedule(asyncio.get_running_loop().time() + thinking_budget)
            return True, 0.0
        return True, thinking_budget

    @staticmethod
    def _keep_deadline(deadline: asyncio.Timeout, budget: float, now: float) -> None:
        """A new timer per token was the run loop's largest cost (bench/, measurement 1): keep the
        deadline between budget and budget + 1 % from now, and move it only when it leaves that
        window (about once per 1 % of the budget)."""
        when = deadline.when()
        if when is None or not now + budget <= when <= now + budget * STALL_SLACK:
            deadline.reschedule(now + budget * STALL_SLACK)

    @staticmethod
    def _kept(splitter: ReasoningSplitter, reader: VerdictReader) -> list:
        """What the splitter and the verdict reader still hold when the stream ends early."""
        held = reader.take_back()  # came before what the splitter still holds
        return [*([Answer(held)] if held else []), *splitter.finish()]

    @contextlib.asynccontextmanager
    async def _cut_scope(self, active: bool) -> AsyncIterator[asyncio.Timeout]:
        """A cancel scope for "Answer now": answer_now() or the thinking budget moves its deadline
        to wake a read that waits for the next token. It is ``_cut`` only while ``active`` (the
        reasoning part of a live run) and inside it: a cut must not land on the stream's closing."""
        async with asyncio.timeout(None) as cut:
            self._cut = cut if active else None
            try:
                yield cut
            finally:
                self._cut = None

    def _judged(self, split: list, reader: VerdictReader, tracker: FocusTracker) -> list[RunEvent]:
        """The splitter's events with the verdict line held out of the answer, applied to
        the state, plus a Focused event where the reasoning moved to another step."""
        state = self.state
        out: list[RunEvent] = []
        for item in split:
            if isinstance(item, Answer):
                text = reader.feed(item.text)
                if not text:
                    continue
                item = Answer(text)
            elif isinstance(item, Reasoning):
                step = tracker.feed(item.text)
                if step is not None:
                    state.apply(item)
                    state.focus = step
                    out += (item, Focused(step))
                    continue
            elif isinstance(item, AnswerWasReasoning):
                held = reader.take_back()  # a line held as maybe-a-verdict was reasoning too
                state.apply(item)
                out.append(item)
                if held:
                    item = Reasoning(held)
                else:
                    continue
            state.apply(item)
            out.append(item)
        return out

    def _silence_message(self, seconds: float) -> Message:
        if self.state.first_token_at is None:
            return Message("no_first_token", url=self.backend.url, seconds=seconds, model=self.state.model)
        return Message("stream_stalled", url=self.backend.url, seconds=seconds)


async def live_snapshots(
    run: DebugRun, interval: float | None = None, abandon_after: float = 3.0
) -> AsyncIterator[RunState]:
    """The run's state, at most once per ``interval`` while it runs, and always at the end.
    ``interval`` None: the run's settings say (MAGISTRAL_UPDATE_INTERVAL; by default it
    adapts to how many runs stream in this process, see pacing.py).

    A separate task drains the stream so that a burst of tokens costs one update,
    and a silent server still gets a fresh "Thinking… N s" at each tick. Between two
    updates it leaves the stream unread: the tokens wait in the socket and are read in
    one go just before the update that shows them, rather than waking the process one
    by one (with a class streaming, reading tokens was a third of the app's CPU). A consumer
    that leaves this generator suspended for ``abandon_after`` seconds has gone away
    without closing it (a cancel that landed between two updates): the run is then
    stopped, so the model server does not go on generating for nobody.
    """
    changed = asyncio.Event()
    reading = run.gate_reads()
    reader = _Reader()
    fixed = interval if interval is not None else run.settings.fixed_update_interval
    task = run.start_draining(changed)
    watchdog = asyncio.create_task(reader.stop_when_gone(run, task, abandon_after))
    LIVE_RUNS.started()
    try:
        last_update = float("-inf")
        while not task.done():
            await _read_before_update(task, reading, fixed or update_interval(LIVE_RUNS.count))
            now = time.monotonic()
            # Send an update when text arrived, and once a second anyway so the clock moves.
            if not task.done() and (changed.is_set() or now - last_update >= 1.0):
                changed.clear()
                last_update = now
                reader.away = True
                yield run.state
                reader.came_back()
        if not task.cancelled():
            await task  # re-raise anything unexpected
        yield run.state
    finally:
        LIVE_RUNS.ended()
        watchdog.cancel()
        await _cancel_and_wait(task)
        run.state.finish("cancelled")


class _Reader:
    """Whether the consumer of :func:`live_snapshots` is still there: away while the generator
    waits at a yield, and each return starts the count again."""

    def __init__(self) -> None:
        self.away = False
        self.returns = 0

    def came_back(self) -> None:
        self.away, self.returns = False, self.returns + 1

    async def stop_when_gone(self, run: DebugRun, task: asyncio.Task, abandon_after: float) -> None:
        """Counts only the time the event loop itself ran on time: when it is swamped (a crowd
        arriving at once kept it busy for seconds, seen in tests/ui/test_load.py), a consumer
        that has not come back yet is late like everyone else, not gone."""
        tick = abandon_after / 6
        waited, seen = 0.0, self.returns
        while not task.done():
            began = time.monotonic()
            await asyncio.sleep(tick)
            on_time = time.monotonic() - began < 2 * tick
            if not self.away or self.returns != seen:
                waited, seen = 0.0, self.returns
            elif on_time:
                waited += tick
                if waited >= abandon_after:
                    run.cancel()
                    return


async def _read_before_update(task: asyncio.Task, reading: asyncio.Event, pause: float) -> None:
    """Waits out one pause between updates (or the run's end), the stream left unread for most
    of it: what came meanwhile is then one read, handled in time for the update."""
    await asyncio.wait({task}, timeout=pause * (1 - READ_AHEAD))
    reading.set()
    await asyncio.wait({task}, timeout=pause * READ_AHEAD)
    reading.clear()


async def _cancel_and_wait(task: asyncio.Task) -> None:
    """A drain still running when the consumer left is cancelled, and waited for: its cancellation
    is what closes the backend stream, so the server sees the hang-up before this returns."""
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
