"""Backend adapters: each turns one server's wire format into typed stream events.

A new kind of server is one new file here and one line in :data:`BACKENDS`.
"""

from __future__ import annotations

from typing import Callable

from ..settings import Settings
from .base import Backend, ChatRequest, Health, ModelInfo, check_health, supports_images
from .errors import BackendError
from .mistral import MistralBackend
from .ollama import OllamaBackend
from .openai_compat import OpenAICompatBackend
from .recording import RecordingBackend, read_recording
from .replay import ReplayBackend

__all__ = [
    "BACKENDS",
    "Backend",
    "BackendError",
    "ChatRequest",
    "Health",
    "MistralBackend",
    "ModelInfo",
    "OllamaBackend",
    "OpenAICompatBackend",
    "RecordingBackend",
    "ReplayBackend",
    "check_health",
    "make_backend",
    "read_recording",
    "supports_images",
]

# The registry: a backend name (MAGISTRAL_BACKEND) → how to make it from the settings.
BACKENDS: dict[str, Callable[[Settings], Backend]] = {
    "ollama": OllamaBackend.from_settings,
    "openai": OpenAICompatBackend.from_settings,
    "mistral": MistralBackend.from_settings,
    "replay": ReplayBackend.from_settings,
}


def make_backend(settings: Settings) -> Backend:
    """The backend the settings choose; with MAGISTRAL_RECORD_DIR set, a live one is also recorded."""
    backend = BACKENDS[settings.backend](settings)  # Settings admits only names in the registry
    if backend.live and settings.record_dir.strip():
        return RecordingBackend(backend, settings.record_dir.strip(), settings)
    return backend
