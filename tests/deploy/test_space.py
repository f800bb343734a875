"""The Hugging Face Space would start: its folder laid out by ``deploy/space/assemble.py``, a
fresh virtual environment with only what the Space installs (Gradio at the front matter's
``sdk_version``, then requirements.txt), and ``python app.py`` there against a loopback
server speaking Mistral's API. The page is served, a debug through gradio_client answers, and
the key is in nothing the app printed or served.

The environment is made from the package registry once per set of requirements (about a
minute here) and kept under ``~/.cache/magistral-debugger/space-venvs/<hash>``, as the
real-server tier keeps its servers, so a rerun takes seconds.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

import httpx
import pytest

from tests.loopback import ModelServer, free_port
from tests.runs import REPO, stop_process
from tests.ui.public.mistral_api import ANSWER, KEY, as_mistral, chat_requests

pytestmark = pytest.mark.install

SPACE = REPO / "deploy" / "space"
CACHE = Path(os.environ.get("MAGISTRAL_SERVER_CACHE", Path.home() / ".cache" / "magistral-debugger"))


def front_matter() -> dict[str, str]:
    text = (SPACE / "README.md").read_text(encoding="utf-8")
    block = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert block, "the Space's README.md starts with its YAML front matter"
    pairs = (line.split(":", 1) for line in block.group(1).splitlines() if ":" in line)
    return {key.strip(): value.strip().strip('"') for key, value in pairs}


def requirements() -> list[str]:
    lines = (SPACE / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def name_of(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_front_matter_names_a_gradio_space_on_the_tested_gradio_with_app_py():
    import gradio

    matter = front_matter()
    assert matter["sdk"] == "gradio" and matter["app_file"] == "app.py"
    assert matter["sdk_version"] == gradio.__version__  # the Gradio the suite runs on
    assert (SPACE / matter["app_file"]).is_file()
    assert len(matter["short_description"]) <= 60  # the Hub cuts it there


def test_the_requirements_are_the_packages_dependencies_but_gradio():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert {name_of(r) for r in requirements()} == {name_of(d) for d in declared} - {"gradio"}


def space_venv() -> Path:
    """A venv with only the Space's installs, made once per requirements and Gradio version.
    Each build goes into a folder of its own, named in ``<key>.ready`` once complete: a build
    cut short leaves a folder nobody uses, and nothing in the cache is ever deleted here."""
    wanted = [f"gradio=={front_matter()['sdk_version']}", *requirements()]
    key = hashlib.sha256(f"{sys.version_info[:2]}\n{wanted}".encode()).hexdigest()[:16]
    root = CACHE / "space-venvs"
    root.mkdir(parents=True, exist_ok=True)
    ready = root / f"{key}.ready"
    with open(root / f".{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready.is_file() and (Path(ready.read_text(encoding="utf-8").strip()) / "bin" / "python").is_file():
            return Path(ready.read_text(encoding="utf-8").strip())
        venv = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=root))
        # Both run outside the checkout, as a Space's build does: nothing of this tree is in sight.
        # From a plain Python, as the real-server tier's venvs are (MAGISTRAL_SERVER_PYTHON, as there).
        python = os.environ.get("MAGISTRAL_SERVER_PYTHON", "python3")
        subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120, cwd=root)
        result = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", *wanted],
            capture_output=True, text=True, timeout=600, cwd=root,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        ready.write_text(f"{venv}\n", encoding="utf-8")
    return venv


def space_env(venv: Path, home: Path, **variables: str) -> dict[str, str]:
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "MISTRAL_API_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("MAGISTRAL_")}
    env.update(
        PATH=os.pathsep.join([str(venv / "bin"), env.get("PATH", "")]),
        HOME=str(home),
        PYTHONUNBUFFERED="1",
        GRADIO_ANALYTICS_ENABLED="False",
        NO_PROXY="127.0.0.1,localhost",
        **variables,
    )
    return env


def test_the_space_starts_from_its_own_files_and_debugs_in_public_mode(tmp_path):
    sys.path.insert(0, str(SPACE))
    try:
        from assemble import assemble
    finally:
        sys.path.remove(str(SPACE))
    folder = assemble(tmp_path / "space")
    venv = space_venv()
    home = tmp_path / "home"
    home.mkdir()
    port = free_port()
    with ModelServer() as server:
        as_mistral(server)
        env = space_env(
            venv,
            home,
            MAGISTRAL_PUBLIC="true",
            MISTRAL_API_KEY=KEY,  # as a Space secret arrives
            MAGISTRAL_MISTRAL_BASE_URL=server.url + "/v1",
            MAGISTRAL_HOST="127.0.0.1",
            MAGISTRAL_PORT=str(port),
        )
        process = subprocess.Popen(
            [str(venv / "bin" / "python"), "app.py"],
            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        output: list[str] = []
        threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                assert process.poll() is None, "".join(output)
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            page = httpx.get(url, timeout=10).text
            from gradio_client import Client

            result = Client(url, verbose=False).submit("Assume x = y … so 2 = 1.", api_name="/debug").result(timeout=60)
            refused = (
                Client(url, verbose=False)
                .submit("x", api_name="/debug", url="http://127.0.0.1:9/v1")
                .result(timeout=30)
            )
            where = subprocess.run(
                [str(venv / "bin" / "python"), "-c", "import magistral_debugger; print(magistral_debugger.__file__)"],
                cwd=folder, env=env, capture_output=True, text=True, timeout=60,
            ).stdout.strip()  # fmt: skip
        finally:
            stop_process(process)
    assert "Magistral Debugger" in page
    assert result[1] == ANSWER
    assert refused[2].startswith("❌") and "url" in refused[2]
    assert len(chat_requests(server)) == 1 and server.requests[-1].headers["authorization"] == f"Bearer {KEY}"
    assert Path(where).is_relative_to(folder)  # the Space's own copy, not this checkout
    printed = "".join(output)
    assert "model server: 🟢" in printed, printed
    assert KEY not in printed + page + repr(result)
