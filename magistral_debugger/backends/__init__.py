"""Backend adapters: each turns one server's wire format into typed stream events.

Which backends exist is said by the registry, :data:`~magistral_debugger.settings.BACKENDS`:
a new kind of server is one new file here and one line there.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import cast

from ..settings import BACKENDS, Settings
from .base import Backend, Health, check_health, model_info_or_none, supports_images
from .mistral import MistralBackend
from .ollama import OllamaBackend
from .openai_compat import OpenAICompatBackend
from .recorder import RecordingBackend
from .recording import read_recording
from .replay import ReplayBackend
from .request import ChatRequest, ModelInfo
from .server_errors import BackendError

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
    "backend_class",
    "check_health",
    "make_backend",
    "read_recording",
    "model_info_or_none",
    "supports_images",
]


@cache
def _import(path: str) -> type[Backend]:
    module, _, name = path.partition(":")
    return cast(type[Backend], getattr(importlib.import_module(module), name))


def backend_class(name: str) -> type[Backend]:
    """The class the registry names for ``name``."""
    return _import(BACKENDS[name].path)


def make_backend(settings: Settings) -> Backend:
    """The backend the settings choose; with MAGISTRAL_RECORD_DIR set, a live one is also recorded."""
    backend = backend_class(settings.backend).from_settings(settings)
    if backend.live and settings.record_dir.strip():
        return RecordingBackend(backend, settings.record_dir.strip(), settings)
    return backend
