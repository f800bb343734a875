"""The package as people install it: a wheel built from this checkout, installed into a
fresh virtual environment outside it, then used through its installed entry point.

Everything else in the suite imports the package from the checkout, where ``prompts/``
sits beside it; only here would a wheel without its prompts (or any other file the code
reads at run time) show, as it would on a classroom laptop.

To stay quick and work offline, the new environment does not download the dependencies:
a ``.pth`` file puts this interpreter's site-packages *after* the new environment's own
(what ``venv --system-site-packages`` does, but this interpreter is often a venv itself,
whose packages that option would not see). Paths listed in a ``.pth`` file have their own
``.pth`` files ignored, so an editable install of the checkout there stays inert; and every
test checks that the package itself is the one installed in the new environment.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.loopback import ModelServer, Reply, free_port, ollama_chat_lines
from tests.runs import FLAWED, REPO, stop_process

pytestmark = pytest.mark.install

# What a source tree may hold that is no part of a build (.gitignore's, and tools' caches).
NOT_SOURCE = shutil.ignore_patterns(
    ".git", "__pycache__", "*.egg-info", "build", "dist", ".venv", ".env", ".pytest_cache", ".hypothesis",
    ".ruff_cache", ".mypy_cache", "node_modules", "test-artifacts", "results",
)  # fmt: skip


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    script: Path  # the console script pip wrote: magistral-debugger
    package: Path  # magistral_debugger/ in the new environment's site-packages
    home: Path  # an empty folder to run in: no checkout on sys.path, no developer's .env


def _run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=240, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}"
    return result


def build_wheel(into: Path) -> Path:
    """``pip wheel`` of a copy of the checkout (a build writes build/ and *.egg-info into
    its source tree; the checkout stays as it is). Built with build isolation, as
    ``pip install .`` builds; offline, where pip cannot fetch the build backend, with the
    setuptools of this environment."""
    source = into / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    wheels = into / "wheels"
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(source)]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if subprocess.run(command, capture_output=True, timeout=240, env=env).returncode != 0:
        _run(*command, "--no-build-isolation", env=env)
    (wheel,) = wheels.glob("magistral_debugger-*.whl")
    return wheel


def child_env(installed: Installed, **variables: str) -> dict[str, str]:
    """This environment without the machine's MAGISTRAL_* settings, and without anything
    that would import the package from somewhere else than the new environment."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH", "MISTRAL_API_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("MAGISTRAL_")}
    env.update(
        PYTHONUNBUFFERED="1",
        HOME=str(installed.home),
        PATH=os.pathsep.join([str(installed.python.parent), env.get("PATH", "")]),
        GRADIO_ANALYTICS_ENABLED="False",
        NO_PROXY="127.0.0.1,localhost",
        **variables,
    )
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("install")
    wheel = build_wheel(root)
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    ours = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
    (purelib / "_dependencies_of_the_test_environment.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    # The wheel alone; -I: a magistral-debugger that pip sees in this environment is neither
    # taken for it nor uninstalled.
    home = root / "home"
    home.mkdir()
    partial = Installed(venv, python, venv / "bin" / "magistral-debugger", purelib / "magistral_debugger", home)
    _run(
        python, "-m", "pip", "install", "--no-deps", "--ignore-installed", "--no-index", "--quiet", wheel,
        env=child_env(partial, PIP_DISABLE_PIP_VERSION_CHECK="1"), cwd=home,
    )  # fmt: skip
    return partial


def test_the_installed_package_and_its_prompts_come_from_the_new_environment(installed):
    code = (
        "import magistral_debugger, magistral_debugger.prompting.messages as m;"
        "print(magistral_debugger.__file__); print(m.PROMPTS_DIR.joinpath('system_2506.txt'))"
    )
    result = _run(installed.python, "-c", code, env=child_env(installed), cwd=installed.home)
    package, prompt = (Path(line) for line in result.stdout.splitlines())
    assert package == installed.package / "__init__.py"
    assert prompt.is_file() and prompt.is_relative_to(installed.package)
    assert not package.is_relative_to(REPO) and not installed.venv.is_relative_to(REPO)
    assert installed.script.is_file()


def test_the_installed_command_debugs_against_an_ollama_server(installed):
    with ModelServer() as srv:
        srv.route(
            "POST",
            "/api/chat",
            Reply(body=ollama_chat_lines(["Step 5 divides ", "by x − y."], ["Step 5 divides ", "by 0."])),
        )
        env = child_env(installed, MAGISTRAL_BACKEND="ollama", MAGISTRAL_OLLAMA_URL=srv.url)
        result = subprocess.run(
            [str(installed.script), FLAWED],
            capture_output=True, text=True, encoding="utf-8", env=env, cwd=installed.home, timeout=120,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout == "Step 5 divides by 0.\n"
        assert "Step 5 divides by x − y." in result.stderr
        sent = srv.wait_for_request("/api/chat").json
    # The system prompt it sent is the one the wheel carries.
    system = sent["messages"][0]["content"]
    assert system == (installed.package / "prompts" / "system_2506.txt").read_text(encoding="utf-8")


def test_the_installed_command_serves_the_page(installed):
    port = free_port()
    with ModelServer() as srv:
        env = child_env(installed, MAGISTRAL_OLLAMA_URL=srv.url, MAGISTRAL_PORT=str(port))
        log = installed.home / "ui.log"
        with log.open("w", encoding="utf-8") as out:
            process = subprocess.Popen(
                [str(installed.script), "--ui"], env=env, cwd=installed.home, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        try:
            page = _page_once_up(f"http://127.0.0.1:{port}/", process, log)
        finally:
            stop_process(process)
    assert page.status_code == 200, page.text[:500]
    assert "text/html" in page.headers["content-type"]
    assert "window.gradio_config" in page.text and "Magistral Debugger" in page.text, page.text[:500]
    # The examples gallery, read from the wheel's prompts/examples/ (an empty one would not fail to start).
    first = min((REPO / "prompts" / "examples").glob("*.toml"))
    assert tomllib.loads(first.read_text(encoding="utf-8"))["title"].strip() in page.text
    # The page's own looks and script, read from the wheel's ui/static/ (a page without them still starts).
    assert "--answer-size" in page.text and "focusStep:" in page.text
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _page_once_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited ({process.returncode}):\n{log.read_text(encoding='utf-8')}")
        try:
            return httpx.get(url, timeout=5, trust_env=False)
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"no page at {url} within {timeout:g} s:\n{log.read_text(encoding='utf-8')}")


def test_an_installation_without_a_prompt_says_so_in_one_line(installed):
    """A broken installation, for real: a prompt file taken out of the new environment."""
    prompt = installed.package / "prompts" / "system_2506.txt"
    kept = prompt.read_bytes()
    prompt.unlink()
    try:
        with ModelServer() as srv:
            env = child_env(installed, MAGISTRAL_BACKEND="ollama", MAGISTRAL_OLLAMA_URL=srv.url)
            result = subprocess.run(
                [str(installed.script), FLAWED],
                capture_output=True, text=True, encoding="utf-8", env=env, cwd=installed.home, timeout=120,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
    finally:
        prompt.write_bytes(kept)
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: The app could not read its own file prompts/system_2506.txt (No such file or directory): its "
        "installation is incomplete; the server is not at fault. Reinstall the package."
    ]
