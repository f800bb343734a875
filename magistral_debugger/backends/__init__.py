"""Backend adapters: each turns one server's wire format into typed stream events."""

from __future__ import annotations

from ..settings import Settings
from .base import Backend, ChatRequest, Health, ModelInfo, check_health
from .errors import BackendError
from .ollama import OllamaBackend
from .openai_compat import OpenAICompatBackend

__all__ = [
    "Backend",
    "BackendError",
    "ChatRequest",
    "Health",
    "ModelInfo",
    "OllamaBackend",
    "OpenAICompatBackend",
    "check_health",
    "make_backend",
]


def make_backend(settings: Settings) -> Backend:
    if settings.backend == "openai":
        return OpenAICompatBackend(
            settings.openai_base_url, settings.openai_api_key.get_secret_value(), settings.connect_timeout
        )
    return OllamaBackend(settings.ollama_url, settings.connect_timeout)
