"""Shared fixtures: a loopback model server, and the real app served on loopback."""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from typing import Iterator

import pytest

from magistral_debugger.settings import Settings
from tests.loopback import ModelServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """MAGISTRAL_* variables of the machine running the tests must not change a run."""
    for name in list(os.environ):
        if name.startswith("MAGISTRAL_"):
            monkeypatch.delenv(name)


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    with ModelServer() as server:
        yield server


@contextmanager
def serve_app(**overrides) -> Iterator[str]:
    """The real Gradio app, launched in this process on a free loopback port."""
    from magistral_debugger.ui import launch

    settings = Settings(_env_file=None, port=free_port(), **overrides)
    app = launch(settings, block=False)
    try:
        yield f"http://127.0.0.1:{settings.port}/"
    finally:
        app.close()


@pytest.fixture
def app_url(model_server: ModelServer) -> Iterator[str]:
    with serve_app(ollama_url=model_server.url) as url:
        yield url
