"""What every backend offers, and the pieces they share.

A backend owns its HTTP client: its stream is an async generator, and closing the
generator closes the connection, which is how Ollama and vLLM stop generating.
Async so that a silent read (model loading, long prefill) can be cancelled.

What a caller may ask of a backend is declared here, on :class:`Backend`; nothing
outside ``backends/`` asks which kind of server it is.
"""

from __future__ import annotations

import asyncio
import ssl
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Literal

import httpx

from ..events import StreamEvent
from ..i18n import Message
from ..settings import Settings
from .recording import Recording
from .request import ChatRequest, ModelInfo

HealthState = Literal["unreachable", "model_missing", "ready"]


@dataclass(frozen=True)
class Health:
    state: HealthState
    message: Message
    models: tuple[str, ...] = ()
    model: str = ""  # the model asked about: the one chosen, else the server's default


class Backend(ABC):
    """One model server (or a recording of one). Use it as ``async with`` to close its client."""

    # The registry's name for this kind of server; exports and recordings say it too.
    kind: ClassVar[str]
    # False for a backend that plays back what was recorded: it is not recorded again.
    live: ClassVar[bool] = True
    # True where an assistant's earlier reasoning travels in a field of its own (Ollama's
    # ``thinking``) whatever the prompt format, so the prompt keeps it as a thinking chunk.
    thinking_field: ClassVar[bool] = False

    url: str
    connect_timeout: float = 5.0
    _http_client: httpx.AsyncClient | None = None
    _http_loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Backend:
        """The backend for what the settings say (its URL, key, timeouts): what the
        registry calls; a backend that only wraps another is made by hand."""
        raise NotImplementedError(f"{cls.__name__} is not made from settings")

    @abstractmethod
    async def list_models(self) -> list[str]:
        """The model names the server offers; raises :class:`BackendError` when it cannot be asked."""

    @abstractmethod
    async def default_model(self) -> str: ...

    async def model_info(self, model: str = "") -> ModelInfo:
        """Context size, vision and thinking, as far as the server tells, in one call made
        once per run; ``model`` empty means the default model, whose name ``name`` holds.
        Raises :class:`BackendError` when there is no server to ask."""
        return ModelInfo(name=model or await self.default_model())

    @abstractmethod
    def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]: ...

    @abstractmethod
    def missing_model_hint(self, model: str) -> Message:
        """What to do when the server lacks ``model`` (e.g. ``ollama pull``)."""

    def no_vision_message(self, model: str) -> Message:
        """Why a photo cannot go to ``model`` here, and what would change that."""
        return Message("images_model_no_vision", model=model, url=self.url)

    def no_thinking_message(self, model: str) -> Message:
        """The server says ``model`` has no thinking mode: the run goes on without it."""
        return Message("model_no_thinking", model=model, url=self.url)

    def stop_before_first_token(self) -> Message | None:
        """What Stop means when it comes before the first token (the server was still reading the
        prompt): None where the hang-up ends the work as at any other time."""
        return None

    def recording(self) -> Recording | None:
        """The recorded run this backend plays back; None for a live server."""
        return None

    def http(self) -> httpx.AsyncClient:
        """The backend's one HTTP client. A client's pooled connections belong to the event
        loop that opened them, so a caller on another loop (a script calling asyncio.run
        twice) gets a fresh client rather than a dead connection."""
        loop = asyncio.get_running_loop()
        if self._http_client is None or self._http_loop is not loop:
            self._http_client = http_client(self.connect_timeout)
            self._http_loop = loop
        return self._http_client

    async def aclose(self) -> None:
        client, self._http_client = self._http_client, None
        if client is not None and self._http_loop is asyncio.get_running_loop():
            await client.aclose()

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """Building an SSL context costs milliseconds; one per process is enough."""
    return ssl.create_default_context()


def http_client(connect_timeout: float) -> httpx.AsyncClient:
    """A client whose reads never time out on their own: the run enforces first-token
    and stall deadlines itself, so a model that takes minutes to load is not cut off."""
    return httpx.AsyncClient(timeout=httpx.Timeout(None, connect=connect_timeout), verify=_ssl_context())


def metadata_timeout(connect_timeout: float) -> httpx.Timeout:
    """For the small metadata calls (model list, model details): connecting gets the same
    limit as a chat request, so an unreachable server is reported after one connect timeout;
    reading gets at least 10 s, since a busy server can be slow to answer even these."""
    return httpx.Timeout(max(connect_timeout * 2, 10.0), connect=connect_timeout)


async def check_health(backend: Backend, model: str) -> Health:
    """Which of three states the backend is in, for the UI's badge."""
    from .server_errors import BackendError

    wanted = model
    try:
        wanted = wanted or await backend.default_model()
        names = tuple(await backend.list_models())
    except BackendError as error:
        state: HealthState = "model_missing" if error.kind == "model_missing" else "unreachable"
        return Health(state, error.message, model=wanted)
    if not wanted or not _has_model(names, wanted):
        hint = backend.missing_model_hint(wanted)
        message = Message("health_model_not_there", url=backend.url, model=wanted, hint=hint)
        return Health("model_missing", message, names, wanted)
    return Health("ready", Message("health_ready_detail", model=wanted, url=backend.url), names, wanted)


async def model_info_or_none(backend: Backend, model: str) -> ModelInfo | None:
    """For the UI: what the server says of ``model`` (empty: the default one), for the photo input
    and the efforts it offers; None where it cannot be asked (the health badge says why)."""
    from .server_errors import BackendError

    try:
        return await backend.model_info(model)
    except BackendError:
        return None


async def supports_images(backend: Backend, model: str, vision_setting: str = "auto") -> bool:
    """For the UI: show the photo input only when this is true (``model`` empty: the
    default one). An unreachable server counts as "no"; the health badge says why."""
    info = await model_info_or_none(backend, model)
    return info is not None and info.takes_images(vision_setting)


def _has_model(names: tuple[str, ...], wanted: str) -> bool:
    return wanted in names or f"{wanted}:latest" in names
