"""Backend adapters: each turns one server's wire format into typed stream events."""

from __future__ import annotations

from ..settings import Settings
from .base import Backend, ChatRequest, Health, ModelInfo, check_health
from .errors import BackendError
from .ollama import OllamaBackend
from .openai_compat import OpenAICompatBackend
from .recording import RecordingBackend, read_recording
from .replay import ReplayBackend

__all__ = [
    "Backend",
    "BackendError",
    "ChatRequest",
    "Health",
    "ModelInfo",
    "OllamaBackend",
    "OpenAICompatBackend",
    "RecordingBackend",
    "ReplayBackend",
    "check_health",
    "make_backend",
    "read_recording",
]


def make_backend(settings: Settings) -> Backend:
    """The backend the settings choose; with MAGISTRAL_RECORD_DIR set, a live one is also recorded."""
    if settings.backend == "replay":
        return ReplayBackend(settings.replay_file, settings.replay_pace)
    backend: Backend
    if settings.backend == "openai":
        backend = OpenAICompatBackend(
            settings.openai_base_url, settings.openai_api_key.get_secret_value(), settings.connect_timeout
        )
    else:
        backend = OllamaBackend(settings.ollama_url, settings.connect_timeout)
    if settings.record_dir.strip():
        return RecordingBackend(backend, settings.record_dir.strip(), settings)
    return backend
