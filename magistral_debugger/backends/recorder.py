"""Recording a live run: another backend's stream passed through unchanged, each event
written to a file in the format of :mod:`.recording` as it goes."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..events import Finished, Notice, StreamEvent
from ..i18n import Message
from ..redaction import public_settings, public_url, scrub_all, scrubber
from ..settings import Settings
from .base import Backend, ChatRequest, ModelInfo
from .recording import FORMAT, VERSION, _Writer, argument_of, event_line, recording_name
from .server_errors import BackendError

log = logging.getLogger(__name__)


class RecordingBackend(Backend):
    """Passes another backend's stream through unchanged and writes each event to a file.

    Everything else (model list, model details, hints, kind, URL) is the wrapped backend's.
    ``path`` is the file of the latest recording, once a stream has started. Its name says
    when and which model, unless ``name`` is given (a rehearsal names each file after its example).
    """

    def __init__(
        self,
        inner: Backend,
        directory: str | Path,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        name: str = "",
    ) -> None:
        self.inner = inner
        self.name = name
        self.directory = Path(directory)
        self.path: Path | None = None
        self._settings = public_settings(settings)
        self._scrub = scrubber(settings)
        self._clock = clock
        self._now = now

    def __repr__(self) -> str:
        return f"RecordingBackend({self.inner!r}, {str(self.directory)!r})"

    @property
    def kind(self) -> str:  # type: ignore[override]  # read from the wrapped backend
        return self.inner.kind

    @property
    def url(self) -> str:  # type: ignore[override]  # read from the wrapped backend
        return self.inner.url

    @property
    def thinking_field(self) -> bool:  # type: ignore[override]  # read from the wrapped backend
        return self.inner.thinking_field

    def missing_model_hint(self, model: str) -> Message:
        return self.inner.missing_model_hint(model)

    def no_vision_message(self, model: str) -> Message:
        return self.inner.no_vision_message(model)

    def no_thinking_message(self, model: str) -> Message:
        return self.inner.no_thinking_message(model)

    def stop_before_first_token(self) -> Message | None:
        return self.inner.stop_before_first_token()

    async def list_models(self) -> list[str]:
        return await self.inner.list_models()

    async def default_model(self) -> str:
        return await self.inner.default_model()

    async def model_info(self, model: str = "") -> ModelInfo:
        return await self.inner.model_info(model)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        recorded_at = self._now()
        self.path = self.directory / (self.name or recording_name(recorded_at, request.model))
        writer = _Writer(self.path)
        if writer.failure:
            log.warning("cannot record to %s: %s", self.path, writer.failure)
            yield Notice(Message("not_recording", folder=str(self.directory), detail=writer.failure))
        writer.write(self._header(request, recorded_at))
        started = self._clock()
        finished = False
        told = bool(writer.failure)
        end: dict[str, Any] = {"outcome": "cancelled"}
        try:
            async with contextlib.aclosing(self.inner.stream(request)) as events:
                async for event in events:
                    writer.write(self._line(self._clock() - started, event))
                    if writer.failure and not told:
                        told = True
                        log.warning("recording to %s stopped: %s", self.path, writer.failure)
                        yield Notice(Message("recording_stopped", path=str(self.path), detail=writer.failure))
                    finished = finished or type(event) is Finished
                    yield event
            end = {"outcome": "finished"}
        except BackendError as error:
            end = {"outcome": "error", "message": self._scrub(error.message), "kind": error.kind}
            raise
        except Exception as error:
            end = self._unexpected_end(error)
            raise
        except BaseException:  # closed (Stop, or the run is done after "finished") or cancelled
            end = {"outcome": "finished" if finished else "cancelled"}
            raise
        finally:
            writer.write({"t": round(self._clock() - started, 4), "type": "end", **end})
            writer.close()

    def _header(self, request: ChatRequest, recorded_at: datetime) -> dict[str, Any]:
        """What a replay needs to ask the same again, scrubbed: a recording is shared, never a secret."""
        scrub = self._scrub
        return {
            "type": "header",
            "format": FORMAT,
            "version": VERSION,
            "recorded_at": recorded_at.isoformat(timespec="seconds"),
            "model": scrub(request.model),
            "backend": {"kind": self.inner.kind, "url": scrub(public_url(self.inner.url))},
            "settings": self._settings,
            "request": {
                "temperature": request.temperature,
                "top_p": request.top_p,
                "max_tokens": request.max_tokens,
                "reasoning_effort": request.reasoning_effort,
            },
            "argument": scrub(request.argument or argument_of(request.messages)),
            "messages": scrub_all(request.messages, scrub),
        } | ({"proof": scrub_all(request.proof.as_json(), scrub)} if request.proof else {})

    def _line(self, t: float, event: StreamEvent) -> dict[str, Any]:
        """An event's line with its text scrubbed: a model may well repeat a key it was shown."""
        line = event_line(t, event)
        for key in ("text", "message"):
            if key in line:
                line[key] = self._scrub(line[key])
        return line

    def _unexpected_end(self, error: Exception) -> dict[str, Any]:
        """The end line of a stream that failed in no way a backend describes: said as the app
        says it, without the traceback (and the URL without its credentials)."""
        return {
            "outcome": "error",
            "kind": "protocol",
            "message": f"Something unexpected went wrong talking to {self._scrub(public_url(self.inner.url))} "
            f"({type(error).__name__}).",
        }
