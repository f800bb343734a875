"""Who can reach the app, and where the API key can never turn up.

- The app listens on 127.0.0.1 unless MAGISTRAL_HOST says otherwise (checked in the
  kernel's socket table, not in our own settings).
- MAGISTRAL_AUTH guards the page's data, the config and the API, for gradio_client too.
- A canary API key for the OpenAI-compatible server must never appear in the app's or
  the CLI's output, the served page and config, or any message, even when the model
  server echoes it back in an error.
- Sharing without auth warns; when Gradio's share relay cannot be reached (always the
  case here: proxies point at a closed loopback port, so nothing leaves the machine)
  the app says so and keeps serving locally.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from magistral_debugger.backends import check_health, make_backend
from magistral_debugger.engine.run import DebugRun
from magistral_debugger.settings import Settings
from tests.loopback import ModelServer, Reply, dead_url, free_port, openai_error, openai_sse_events, sse_error
from tests.runs import REPO, child_env, run_cli, stop_process

# gradio_client sends telemetry unless told not to twice (argument and environment), and
# builds a fresh httpx client with the CA bundle (~50 ms CPU) per request unless ssl_verify
# is off, which on plain-http loopback changes nothing else.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
QUIET_CLIENT = {"verbose": False, "analytics_enabled": False, "ssl_verify": False}
CANARY = f"sk-canary-{uuid.uuid4().hex}"
OPENAI_MODEL = "mistralai/Magistral-Small-2509"
ARGUMENT = "Assume x = y. Then x² = xy, so 2 = 1."


def listening_addresses(port: int) -> set[str]:
    """The local addresses the kernel has a listening TCP socket on for ``port``."""
    found = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            address_hex, port_hex = fields[1].split(":")
            if int(port_hex, 16) != port or fields[3] != "0A":  # 0A = LISTEN
                continue
            raw = bytes.fromhex(address_hex)
            # The kernel prints each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, width, 4))
            found.add(str(ipaddress.ip_address(raw)))
    return found


@contextmanager
def launched(settings: Settings) -> Iterator[str]:
    from magistral_debugger.ui import launch

    app = launch(settings, block=False)
    try:
        yield f"http://{settings.host}:{settings.port}/"
    finally:
        app.close()


def echoing_the_key(status: int, kind: str):
    """A server (or proxy) that quotes the request's Authorization header in its error."""

    def reply(request) -> Reply:
        return openai_error(f"Invalid credentials: {request.headers.get('authorization')}", kind, status)

    return reply


def sse_error_echoing_the_key(request) -> Reply:
    key = request.headers.get("authorization", "")
    events = openai_sse_events(["Checking "], ["Step "], finish_reason=None, usage=None, done=False)
    return Reply(body=[*events, sse_error(f"token {key} expired mid-stream")])


def keyed(backend: str, url: str, **overrides) -> Settings:
    """Settings for an OpenAI-compatible server or Mistral's API at ``url``, the canary as its key."""
    return Settings(
        _env_file=None,
        backend=backend,
        **{f"{backend}_base_url": url + "/v1", f"{backend}_api_key": CANARY},
        **overrides,
    )


# Each key's setting, as a refused key names it.
KEY_SETTING = {"openai": "MAGISTRAL_OPENAI_API_KEY", "mistral": "MAGISTRAL_MISTRAL_API_KEY"}


def assert_no_canary(*texts: str) -> None:
    for text in texts:
        assert CANARY not in text
        assert CANARY[3:] not in text  # not even without its "sk-" prefix


# --- where the app listens -----------------------------------------------------------------


def test_default_host_is_loopback():
    assert Settings(_env_file=None).host == "127.0.0.1"


def test_magistral_host_is_honoured_and_nothing_else_listens(monkeypatch):
    """127.0.0.2 is loopback too, so the test exposes nothing while showing the setting is used."""
    port = free_port()
    monkeypatch.setenv("MAGISTRAL_HOST", "127.0.0.2")
    monkeypatch.setenv("MAGISTRAL_PORT", str(port))
    with launched(Settings(_env_file=None)) as url:
        assert listening_addresses(port) == {"127.0.0.2"}
        assert httpx.get(url).status_code == 200
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/")


# --- MAGISTRAL_AUTH ------------------------------------------------------------------------


def test_auth_protects_the_page_config_and_api():
    from gradio_client import Client

    port = free_port()
    with (
        ModelServer() as srv,
        launched(Settings(_env_file=None, port=port, ollama_url=srv.url, auth="alice:s3cret, bob:hunter2")) as url,
    ):
        assert listening_addresses(port) == {"127.0.0.1"}
        page = httpx.get(url)
        assert page.status_code == 200 and '"auth_required":true' in page.text  # the login page
        assert '"components":[]' in page.text and "Examples" not in page.text  # none of the app itself
        for path in ("config", "gradio_api/info", "gradio_api/openapi.json"):
            assert httpx.get(url + path).status_code == 401, path
        for path in ("gradio_api/queue/join", "gradio_api/call/debug", "gradio_api/upload"):
            assert (
                httpx.post(url + path, json={"data": [ARGUMENT], "fn_index": 0, "session_hash": "x"}).status_code == 401
            ), path

        with pytest.raises(Exception, match="credentials were not provided|login"):
            Client(url, **QUIET_CLIENT)
        with pytest.raises(Exception, match="Could not login"):
            Client(url, auth=("alice", "wrong"), **QUIET_CLIENT)
        # Nothing got through to the model: the app's own start-up look at the server is all it saw.
        assert [r.path for r in srv.requests if r.path != "/api/tags"] == []

        for user, password in (("alice", "s3cret"), ("bob", "hunter2")):
            client = Client(url, auth=(user, password), **QUIET_CLIENT)
            reasoning, answer, status, *_ = client.submit(ARGUMENT, api_name="/debug").result(timeout=30)
            assert status.startswith("✅ Finished.") and answer


def test_the_login_page_does_not_reveal_the_model_server_url():
    with (
        ModelServer() as srv,
        launched(Settings(_env_file=None, port=free_port(), ollama_url=srv.url, auth="alice:s3cret")) as url,
    ):
        page = httpx.get(url).text
    assert srv.url not in page


def test_without_auth_the_api_is_open_to_gradio_client():
    from gradio_client import Client

    with ModelServer() as srv, launched(Settings(_env_file=None, port=free_port(), ollama_url=srv.url)) as url:
        assert httpx.get(url + "config").status_code == 200
        *_, status = Client(url, **QUIET_CLIENT).submit(ARGUMENT, api_name="/debug").result(timeout=30)[:3]
    assert status.startswith("✅ Finished.")


# --- the API key ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["openai", "mistral"])
def test_the_key_stays_out_of_settings_reprs_and_dumps(kind):
    settings = keyed(kind, "http://127.0.0.1:9")
    backend = make_backend(settings)
    assert_no_canary(repr(settings), str(settings), settings.model_dump_json(), repr(backend), str(vars(settings)))
    assert getattr(settings, f"{kind}_api_key").get_secret_value() == CANARY


@pytest.mark.parametrize(
    "fault",
    [
        echoing_the_key(401, "AuthenticationError"),
        echoing_the_key(400, "BadRequestError"),
        echoing_the_key(403, "PermissionDeniedError"),
        echoing_the_key(500, "InternalServerError"),
        sse_error_echoing_the_key,
    ],
    ids=["401", "400", "403", "500", "mid-stream"],
)
@pytest.mark.parametrize("kind", ["openai", "mistral"])
def test_error_messages_never_quote_the_key_even_when_the_server_does(fault, kind):
    with ModelServer() as srv:
        srv.route("POST", "/v1/chat/completions", fault)
        run = DebugRun(keyed(kind, srv.url), ARGUMENT)

        async def drain() -> None:
            async for _ in run.events():
                pass

        asyncio.run(drain())
        sent = srv.wait_for_request("/v1/chat/completions")
    assert sent.headers["authorization"] == f"Bearer {CANARY}"  # the canary was really in play
    assert run.state.finish_reason == "error"
    assert_no_canary(run.state.outcome())
    assert srv.url in run.state.outcome()


def test_exported_and_recorded_files_never_contain_the_key(tmp_path):
    """Exports (Markdown, JSON with the exact messages sent) and MAGISTRAL_RECORD_DIR
    recordings, for a run the server answered and one it failed while quoting the key."""
    from magistral_debugger.ui.export import RunRecord, write_export

    records = tmp_path / "recordings"
    with ModelServer() as srv:
        srv.route(
            "POST", "/v1/chat/completions", [Reply(body=openai_sse_events(["ok"], ["fine"])), sse_error_echoing_the_key]
        )
        settings = Settings(
            _env_file=None,
            backend="openai",
            openai_base_url=srv.url + "/v1",
            openai_api_key=CANARY,
            record_dir=str(records),
        )

        async def drain(run: DebugRun) -> None:
            async for _ in run.events():
                pass

        for number in range(2):
            run = DebugRun(settings, ARGUMENT)
            asyncio.run(drain(run))
            for kind in ("md", "json"):
                write_export(RunRecord.from_run(run), tmp_path / "exports" / str(number), kind)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len([f for f in files if "exports" in f.parts]) == 4 and any("recordings" in f.parts for f in files)
    assert_no_canary(*(path.read_text(encoding="utf-8") for path in files))


@pytest.mark.parametrize("kind", ["openai", "mistral"])
def test_the_401_message_says_which_setting_to_fix(kind):
    with ModelServer() as srv:
        srv.route("GET", "/v1/models", echoing_the_key(401, "AuthenticationError"))
        health = asyncio.run(check_health(make_backend(keyed(kind, srv.url)), ""))
    assert health.state == "unreachable"
    assert KEY_SETTING[kind] in health.message and "401" in health.message
    assert_no_canary(health.message)


@pytest.mark.parametrize("kind", ["openai", "mistral"])
def test_the_key_never_reaches_the_app_output_page_config_or_status(capfd, caplog, kind):
    from gradio_client import Client

    with ModelServer() as srv:
        srv.route(
            "POST",
            "/v1/chat/completions",
            [
                echoing_the_key(401, "AuthenticationError"),
                echoing_the_key(500, "InternalServerError"),
                sse_error_echoing_the_key,
                Reply(body=openai_sse_events(["ok"], ["fine"])),
            ],
        )
        settings = keyed(kind, srv.url, port=free_port(), model=OPENAI_MODEL)
        with launched(settings) as url:
            client = Client(url, **QUIET_CLIENT)
            statuses = [client.submit(ARGUMENT, api_name="/debug").result(timeout=30)[2] for _ in range(4)]
            served = [
                httpx.get(url + path).text for path in ("", "config", "gradio_api/info", "gradio_api/openapi.json")
            ]
            view_api = client.view_api(print_info=False, return_format="str")
        assert all(
            r.headers.get("authorization") == f"Bearer {CANARY}" for r in srv.requests if r.path.startswith("/v1/chat")
        )

    assert KEY_SETTING[kind] in statuses[0]
    assert statuses[-1].startswith("✅")
    captured = capfd.readouterr()
    assert_no_canary(*statuses, *served, view_api, captured.out, captured.err, caplog.text)


@pytest.mark.parametrize("kind", ["openai", "mistral"])
def test_the_key_never_reaches_cli_output(tmp_path, kind):
    with ModelServer() as srv:
        srv.route(
            "POST", "/v1/chat/completions", [sse_error_echoing_the_key, echoing_the_key(401, "AuthenticationError")]
        )
        url_variable = f"MAGISTRAL_{kind.upper()}_BASE_URL"
        # Mistral's key as Mistral's own tools name it: MISTRAL_API_KEY.
        key_variable = "MISTRAL_API_KEY" if kind == "mistral" else "MAGISTRAL_OPENAI_API_KEY"
        env = child_env(
            MAGISTRAL_BACKEND=kind,
            MAGISTRAL_MODEL=OPENAI_MODEL,
            **{url_variable: srv.url + "/v1", key_variable: CANARY},
        )
        runs = [run_cli([*flags, ARGUMENT], env, tmp_path) for flags in ([], ["--json"])]
    for done in runs:
        assert done.returncode == 1
        assert_no_canary(done.stdout, done.stderr)
    assert "Checking" in runs[0].stderr and "Step" in runs[0].stdout  # it did stream before the error
    assert KEY_SETTING[kind] in runs[1].stdout


# --- python app.py, sharing without auth ---------------------------------------------------


class Output:
    """A subprocess's merged output, read on a thread so the pipe never fills."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._pump, args=(process,), daemon=True)
        self._thread.start()

    def _pump(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    def wait_for(self, text: str, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: text in "".join(self.lines), timeout)

    @property
    def text(self) -> str:
        return "".join(self.lines)


def test_app_py_shared_without_auth_warns_says_no_link_and_keeps_serving_locally(tmp_path):
    from gradio_client import Client

    port = free_port()
    closed = dead_url()  # every proxy: nothing here, so share requests fail at once
    with ModelServer() as srv:
        srv.route("POST", "/v1/chat/completions", echoing_the_key(401, "AuthenticationError"))
        env = {k: v for k, v in child_env().items() if "proxy" not in k.lower()}
        env.update(
            MAGISTRAL_SHARE="true",
            MAGISTRAL_PORT=str(port),
            MAGISTRAL_BACKEND="openai",
            MAGISTRAL_OPENAI_BASE_URL=srv.url + "/v1",
            MAGISTRAL_OPENAI_API_KEY=CANARY,
            HTTP_PROXY=closed,
            HTTPS_PROXY=closed,
            ALL_PROXY=closed,
            http_proxy=closed,
            https_proxy=closed,
            all_proxy=closed,
            NO_PROXY="127.0.0.1,localhost,::1",
            no_proxy="127.0.0.1,localhost,::1",
        )
        process = subprocess.Popen(
            [sys.executable, str(REPO / "app.py")],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        output = Output(process)
        try:
            assert output.wait_for("keeps serving locally", timeout=90), output.text
            assert listening_addresses(port) == {"127.0.0.1"}
            url = f"http://127.0.0.1:{port}/"
            served = [httpx.get(url + path, timeout=10).text for path in ("", "config")]
            status = Client(url, **QUIET_CLIENT).submit(ARGUMENT, api_name="/debug").result(timeout=30)[2]
        finally:
            stop_process(process)
    text = output.text
    assert "MAGISTRAL_SHARE=true without MAGISTRAL_AUTH" in text and "MAGISTRAL_AUTH=user:pass" in text
    assert f"http://127.0.0.1:{port}" in text
    assert "Traceback" not in text
    assert "MAGISTRAL_OPENAI_API_KEY" in status  # the run reached the server and was refused, politely
    assert_no_canary(text, status, *served)
