"""Shared fixtures: a loopback model server, and the real app served on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from magistral_debugger.settings import Settings
from tests.loopback import ModelServer, free_port


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "model_server(**kwargs): ModelServer's arguments for the srv fixture (the models it serves, ...)"
    )


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is a browser test, wherever it lives (the real tier has some),
    so ``-m "not browser"`` leaves out exactly those."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """MAGISTRAL_* variables (and Mistral's own MISTRAL_API_KEY) of the machine running the
    tests must not change a run, nor may what a loopback server's tokenizer said in an earlier
    test (a later server may get the same port)."""
    from magistral_debugger.backends.openai_compat import THINK_TOKENS

    for name in list(os.environ):
        if name.startswith("MAGISTRAL_") or name == "MISTRAL_API_KEY":
            monkeypatch.delenv(name)
    THINK_TOKENS.clear()


@pytest.fixture
def srv(request) -> Iterator[ModelServer]:
    """The loopback model server. A module whose tests need other models or another
    context size says so once: ``pytestmark = pytest.mark.model_server(max_model_len=...)``."""
    marker = request.node.get_closest_marker("model_server")
    with ModelServer(**(marker.kwargs if marker else {})) as server:
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
def app_url(srv: ModelServer) -> Iterator[str]:
    with serve_app(ollama_url=srv.url) as url:
        yield url
