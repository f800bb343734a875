"""What every backend offers, and the pieces they share.

A backend owns its HTTP connection: its stream is an async generator, and closing
the generator closes the connection, which is how Ollama and vLLM stop generating.
Async so that a silent read (model loading, long prefill) can be cancelled.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, AsyncIterator, Literal, Protocol

import httpx

from ..events import StreamEvent
from ..i18n import Message


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]
    temperature: float
    top_p: float
    max_tokens: int
    # The person's text as typed: the messages carry it to the server; recordings and exports keep it too.
    argument: str = ""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    max_model_len: int | None = None
    capabilities: tuple[str, ...] = field(default=())


HealthState = Literal["unreachable", "model_missing", "ready"]


@dataclass(frozen=True)
class Health:
    state: HealthState
    message: Message
    models: tuple[str, ...] = ()


class Backend(Protocol):
    kind: str
    url: str
    how_to_start: str

    async def list_models(self) -> list[ModelInfo]: ...

    async def default_model(self) -> str: ...

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]: ...


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    """Building an SSL context costs milliseconds; one per process is enough."""
    return ssl.create_default_context()


def http_client(connect_timeout: float) -> httpx.AsyncClient:
    """A client whose reads never time out on their own: the run enforces first-token
    and stall deadlines itself, so a model that takes minutes to load is not cut off."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(None, connect=connect_timeout),
        verify=_ssl_context(),
    )


def metadata_timeout(connect_timeout: float) -> httpx.Timeout:
    """For the small metadata calls (model list, capabilities): connecting gets the same
    limit as a chat request, so an unreachable server is reported after one connect timeout;
    reading gets at least 10 s, since a busy server can be slow to answer even these."""
    return httpx.Timeout(max(connect_timeout * 2, 10.0), connect=connect_timeout)


async def check_health(backend: Backend, model: str) -> Health:
    """Which of three states the backend is in, for the UI's badge."""
    from .errors import BackendError

    try:
        models = await backend.list_models()
    except BackendError as error:
        return Health("unreachable", error.message)
    names = tuple(m.name for m in models)
    wanted = model or await backend.default_model()
    if not wanted or not _has_model(names, wanted):
        hint = backend.missing_model_hint(wanted)
        return Health("model_missing", Message("health_model_not_there", url=backend.url, model=wanted, hint=hint), names)
    return Health("ready", Message("health_ready_detail", model=wanted, url=backend.url), names)


def _has_model(names: tuple[str, ...], wanted: str) -> bool:
    return wanted in names or f"{wanted}:latest" in names
