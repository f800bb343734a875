"""The "replay" backend: a run recorded earlier, played back at its original pace.

For a talk in a room with no model server and no internet: a run recorded on a GPU
box (``MAGISTRAL_RECORD_DIR``) plays back through the same splitter and run state as
a live one, at its own pace, ×2, ×4 or instantly. Closing the stream stops it, as
Stop does for a live run. The whole file is read and checked before the first event,
so a damaged recording is reported at once, naming the file and the line.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import cast

from ..events import StreamEvent
from ..i18n import Message
from ..settings import Settings
from .base import Backend, ChatRequest, ModelInfo
from .recording import Recording, read_recording
from .server_errors import BackendError, ErrorKind

# Instant replays hand the event loop back now and then, so a long recording does not freeze the page.
YIELD_EVERY = 256


class ReplayBackend(Backend):
    kind = "replay"
    live = False

    def __init__(self, path: str | Path, speed: float | None = 1.0) -> None:
        if speed is not None and not speed > 0:
            raise ValueError(f"replay speed must be above 0, or None for instant (got {speed!r})")
        self.path = Path(path) if path else None
        self.url = str(path or "")
        self.speed = speed
        self._recording: Recording | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ReplayBackend:
        return cls(settings.replay_file, settings.replay_pace)

    def __repr__(self) -> str:
        return f"ReplayBackend({self.url!r}, speed={self.speed!r})"

    def recording(self) -> Recording:
        """The parsed recording (read once); :class:`BackendError` if it is missing or damaged."""
        if self._recording is None:
            if self.path is None:
                raise BackendError(Message("replay_none_chosen"), kind="unreachable")
            self._recording = read_recording(self.path)
        return self._recording

    async def _load(self) -> Recording:
        if self._recording is not None:
            return self._recording
        return await asyncio.to_thread(self.recording)  # a long recording is megabytes of JSON

    def missing_model_hint(self, model: str) -> Message:
        return Message("replay_model_hint", model=self.recording().model)

    async def list_models(self) -> list[str]:
        return [(await self._load()).model]

    async def default_model(self) -> str:
        return (await self._load()).model

    async def model_info(self, model: str = "") -> ModelInfo:
        """A replay takes whatever the recorded run was sent, photos included."""
        return ModelInfo(name=model or await self.default_model(), vision=True)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """Plays the recording; ``request`` is ignored (a replay has nothing to send)."""
        recording = await self._load()
        loop = asyncio.get_running_loop()
        start = loop.time()
        speed = self.speed
        for number, item in enumerate(recording.events, start=1):
            if speed is not None:
                # Against the start, not the previous event, so sleeps that run late do not add up.
                delay = start + item.t / speed - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            elif number % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            yield item.event
        end = recording.end
        if end.outcome == "finished":
            return
        if speed is not None:
            delay = start + end.t / speed - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        if end.outcome == "error":
            raise BackendError(
                Message("replay_recorded_error", detail=end.message), kind=cast(ErrorKind, end.kind or "server")
            )  # as recorded
        raise BackendError(Message("replay_recorded_stop", seconds=end.t), kind="cut")
