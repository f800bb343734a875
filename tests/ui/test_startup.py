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
