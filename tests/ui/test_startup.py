"""``python app.py`` says at once whether the model server answers, not at the first Debug."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.loopback import ModelServer, dead_url, free_port
from tests.runs import REPO, child_env, stop_process
from tests.ui.test_access import Output


def start_app(tmp_path, **variables: str) -> tuple[subprocess.Popen, Output]:
    process = subprocess.Popen(
        [sys.executable, str(REPO / "app.py")],
        env=child_env(MAGISTRAL_PORT=str(free_port()), **variables),
        cwd=tmp_path,  # no developer's .env
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    return process, Output(process)


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_app_py_says_when_the_model_server_cannot_be_reached(tmp_path, backend):
    down = dead_url()
    url = {"ollama": ("MAGISTRAL_OLLAMA_URL", down), "openai": ("MAGISTRAL_OPENAI_BASE_URL", f"{down}/v1")}[backend]
    process, output = start_app(tmp_path, MAGISTRAL_BACKEND=backend, **dict([url]))
    try:
        assert output.wait_for("model server:", timeout=90), output.text
    finally:
        stop_process(process)
    line = next(line for line in output.lines if line.startswith("model server:"))
    assert line.startswith("model server: 🔴 Cannot reach the model server at " + url[1]), line
    assert "Running on local URL" in output.text and "Traceback" not in output.text


def test_app_py_says_when_the_model_is_ready(tmp_path):
    with ModelServer() as srv:
        process, output = start_app(tmp_path, MAGISTRAL_OLLAMA_URL=srv.url)
        try:
            assert output.wait_for("model server:", timeout=90), output.text
        finally:
            stop_process(process)
    line = next(line for line in output.lines if line.startswith("model server:"))
    assert line.strip() == f"model server: 🟢 Ready: magistral at {srv.url}"


def test_a_newcomers_first_start_names_the_apps_own_settings_and_three_ways_to_a_model(tmp_path):
    """A fresh clone, ``python app.py`` and no model server: Gradio's own hint (``share=True`` in
    ``launch()``) is not this app's way; the app's setting is, and each way to a model server
    with what to type for it."""
    process, output = start_app(tmp_path, MAGISTRAL_OLLAMA_URL=dead_url())
    try:
        assert output.wait_for("model server:", timeout=90), output.text
    finally:
        stop_process(process)
    assert "share=True" not in output.text and "launch()" not in output.text, output.text
    assert "* To create a public link, set MAGISTRAL_SHARE=true" in output.text, output.text
    line = next(line for line in output.lines if line.startswith("model server:"))
    for typed in (
        "`ollama serve` + `ollama pull magistral`",
        "`MAGISTRAL_BACKEND=openai MAGISTRAL_OPENAI_BASE_URL=http://host:8000/v1`",
        "`MAGISTRAL_BACKEND=mistral MISTRAL_API_KEY=…`",
    ):
        assert typed in line, line
    assert "**" not in line  # the page's bold marks stay on the page


def test_with_mcp_on_the_start_names_both_mcp_urls(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "magistral_debugger", "--ui"],
        env=child_env(MAGISTRAL_PORT=str(port), MAGISTRAL_MCP="true", MAGISTRAL_OLLAMA_URL=dead_url()),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    output = Output(process)
    try:
        assert output.wait_for("model server:", timeout=90), output.text
    finally:
        stop_process(process)
    base = f"http://127.0.0.1:{port}/gradio_api/mcp"
    assert f"{base}/ (streamable HTTP), {base}/sse (SSE)" in output.text, output.text
