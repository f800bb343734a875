"""Every fault a model server can throw at us, on both backends, and what the person sees.

One row per fault of the reliability matrix (issue 5). Each row is a real loopback
server scripted to misbehave in one way; the run must end with a message that says
what happened and what to do, names the URL or the model, shows no traceback, keeps
everything that streamed before the fault, and leaves the app ready for the next run.

The same rows are driven three ways: through ``DebugRun`` (all rows), through the
CLI in a subprocess (stderr message and exit code, a representative subset) and
through the real Gradio app with gradio_client (the status output, a subset).
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace

import pytest

from magistral_debugger.engine.state import RunState
from magistral_debugger.settings import Settings
from tests.loopback import (
    DEFAULT_ANSWER,
    DEFAULT_THINKING,
    NDJSON,
    SSE,
    Close,
    ModelServer,
    Reply,
    Sleep,
    chat_path,
    chat_stream,
    dead_url,
    json_reply,
    ollama_error,
    openai_error,
    sse_error,
)
from tests.runs import child_env, run_to_end, settings_for

# gradio_client sends telemetry unless told not to twice (argument and environment), and
# builds a fresh httpx client with the CA bundle (~50 ms CPU) per request unless ssl_verify
# is off, which on plain-http loopback changes nothing else.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
QUIET_CLIENT = {"verbose": False, "analytics_enabled": False, "ssl_verify": False}
BACKENDS = ["ollama", "openai"]
ARGUMENT = "Assume x = y. Then x² = xy, so x² − y² = xy − y², (x + y)(x − y) = y(x − y), x + y = y, 2 = 1."
# Connecting on loopback completes in the kernel, so a short connect timeout is safe even on a
# loaded machine; the read and first-token deadlines are short only in the rows about them.
TIMEOUTS = {"connect_timeout": 0.4, "read_timeout": 15.0, "first_token_timeout": 30.0}
SHORT_READ_TIMEOUT = {"read_timeout": 0.6}
SHORT_FIRST_TOKEN_TIMEOUT = {"first_token_timeout": 1.0}
SILENCE = 10.0  # longer than any timeout above: the run has to give up on its own

# What streams before a mid-stream fault; the minus sign is multi-byte on the wire.
KEPT_REASONING = "Check step 4: x − y = 0. "
KEPT_ANSWER = "Step 5 divides "
HEALTHY_REASONING = "".join(DEFAULT_THINKING)
HEALTHY_ANSWER = "".join(DEFAULT_ANSWER)
OPENAI_MODEL = "mistralai/Magistral-Small-2509"

TRACEBACK_MARKS = ("Traceback", "httpx.", "openai.", 'File "', ", line ", "Error(", "Exception(")
# Every message must tell the person what to do next.
ACTIONS = ("try again", "start it", "check", "pull", "shorten", "raise", "set ", "pick", "serve", "is that url")
PROXY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.24.0</center></body></html>\n"
)


# --- the wire, per backend ---------------------------------------------------------------


def partial(kind: str) -> list[bytes]:
    """What arrives before a mid-stream fault: some reasoning, then the start of the answer."""
    return chat_stream(kind, [KEPT_REASONING], [KEPT_ANSWER], complete=False)


def healthy(kind: str) -> Reply:
    return Reply(
        body=chat_stream(kind, DEFAULT_THINKING, DEFAULT_ANSWER), content_type=NDJSON if kind == "ollama" else SSE
    )


def on_chat(srv: ModelServer, kind: str, fault: Reply) -> None:
    """The first chat request gets the fault, every later one a healthy reply."""
    srv.route("POST", chat_path(kind), [fault, healthy(kind)])


def html_page(status: int = 502) -> Reply:
    return Reply(status, body=[PROXY_PAGE], content_type="text/html")


@contextmanager
def connect_that_hangs() -> Iterator[str]:
    """A loopback port whose listen queue is full: Linux drops further SYNs, so connect()
    just waits. Stays on 127.0.0.1 (no blackhole address needed)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers: list[socket.socket] = []
    try:
        for _ in range(32):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(address)
            fillers.append(sock)
            if not select.select([], [sock], [], 0.3)[1]:
                break  # this handshake is stuck: the queue is full
        else:
            if os.environ.get("CI"):
                pytest.fail("CI must run where a full listen queue leaves connect() waiting (Linux does)")
            pytest.skip("could not fill a listen queue on this kernel")
        yield f"http://127.0.0.1:{address[1]}"
    finally:
        for sock in fillers:
            sock.close()
        listener.close()


# --- the matrix --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One row: how to inject it, and what the person must then see.

    ``script(srv, kind, stack)`` routes the fault and returns settings overrides for the
    faulty run (``url`` is the server root; ``/v1`` is added for OpenAI-compatible).
    ``says`` are fragments the message must contain (case-insensitive); ``{url}``,
    ``{host}`` and ``{model}`` are filled in.
    """

    id: str
    script: Callable[[ModelServer, str, ExitStack], dict]
    finish: str = "error"
    says: tuple[str, ...] = ("{url}",)
    kept: tuple[str, str] = ("", "")
    hangs_up: bool = False  # the client must close a connection the server keeps open
    exit_code: int = 1
    per_backend: dict = field(default_factory=dict)

    def on(self, kind: str) -> Fault:
        return replace(self, **self.per_backend.get(kind, {}))


def _refused(srv, kind, stack):
    return {"url": dead_url()}


def _dns(srv, kind, stack):
    return {"url": "http://magistral-model-server.invalid:11434"}


def _connect_hangs(srv, kind, stack):
    return {"url": stack.enter_context(connect_that_hangs())}


def _model_missing(srv, kind, stack):
    # The loopback server answers 404 for any model it does not have, as Ollama and vLLM do.
    return {"model": "magistral-small-2507-missing"}


def _too_large(srv, kind, stack):
    if kind == "ollama":
        fault = ollama_error("the input length exceeds the context length", 400)
    else:
        fault = openai_error(
            "This model's maximum context length is 40960 tokens. However, you requested 57344 tokens "
            "(16384 in the messages, 40960 in the completion). Please reduce the length of the messages or completion.",
            "BadRequestError",
            400,
        )
    on_chat(srv, kind, fault)
    return {}


def _server_error(srv, kind, stack):
    if kind == "ollama":
        fault = ollama_error("llama runner process has terminated: signal: killed", 500)
    else:
        fault = openai_error(
            "EngineCore encountered an issue. See stack trace for the root cause.", "InternalServerError", 500
        )
    on_chat(srv, kind, fault)
    return {}


def _malformed_line(srv, kind, stack):
    bad = (
        b'{"model":"magistral","message":{"role":"assis\n'
        if kind == "ollama"
        else b'data: {"id":"chatcmpl-1","choi\n\n'
    )
    on_chat(srv, kind, Reply(body=[*partial(kind), bad, *chat_stream(kind, [], ["never shown"])]))
    return {}


def _wrong_shape_line(srv, kind, stack):
    bad = (
        b'{"message":"not an object","done":false}\n'
        if kind == "ollama"
        else b'data: {"choices":[{"delta":"oops"}]}\n\n'
    )
    on_chat(srv, kind, Reply(body=[*partial(kind), bad]))
    return {}


def _error_line(srv, kind, stack):
    if kind == "ollama":
        line = b'{"error":"an error was encountered while running the model: CUDA error: out of memory"}\n'
    else:
        line = sse_error("CUDA error: out of memory", "InternalServerError", 500)
    on_chat(srv, kind, Reply(body=[*partial(kind), line]))
    return {}


def _dropped(srv, kind, stack):
    on_chat(srv, kind, Reply(body=[*partial(kind), Close()]))
    return {}


def _reset(srv, kind, stack):
    on_chat(srv, kind, Reply(body=[*partial(kind), Close(reset=True)]))
    return {}


def _stall(srv, kind, stack):
    on_chat(srv, kind, Reply(body=[*partial(kind), Sleep(SILENCE), *chat_stream(kind, [], ["late"])]))
    return dict(SHORT_READ_TIMEOUT)


def _silent_from_the_start(srv, kind, stack):
    on_chat(
        srv,
        kind,
        Reply(
            body=[Sleep(SILENCE), *chat_stream(kind, [], ["late"])], content_type=NDJSON if kind == "ollama" else SSE
        ),
    )
    return dict(SHORT_FIRST_TOKEN_TIMEOUT)


def _empty_body(srv, kind, stack):
    on_chat(srv, kind, Reply(body=[], content_type=NDJSON if kind == "ollama" else SSE))
    return {}


def _no_reply_at_all(srv, kind, stack):
    on_chat(srv, kind, Reply(body=[Close()], raw=True))  # accepts, reads the request, closes
    return {}


def _empty_answer(srv, kind, stack):
    on_chat(srv, kind, Reply(body=chat_stream(kind, [], [])))
    return {}


def _ends_inside_reasoning(srv, kind, stack):
    on_chat(srv, kind, Reply(body=chat_stream(kind, [KEPT_REASONING, "so step 5 "], [], complete=False)))
    return {}


def _done_inside_inline_reasoning(srv, kind, stack):
    # No reasoning parser on the server: the think block arrives in the content and never closes.
    open_tag = "<think>" if kind == "ollama" else "[THINK]"
    on_chat(srv, kind, Reply(body=chat_stream(kind, [], [open_tag + KEPT_REASONING, "so step 5 "])))
    return {}


def _invalid_utf8(srv, kind, stack):
    good = chat_stream(kind, [KEPT_REASONING], [KEPT_ANSWER], complete=False)
    # "é" (C3 A9) with its first byte replaced by FF: not UTF-8 in any reading.
    bad = chat_stream(kind, [], ["caf\u00e9 "], complete=False)[-1].replace("é".encode(), b"\xff\xa9")
    on_chat(srv, kind, Reply(body=[*good, bad, *chat_stream(kind, [], ["zero."])]))
    return {}


def _split_multibyte(srv, kind, stack):
    lines = chat_stream(kind, ["x − y = 0 ✓ "], ["Division by zero − 除以零 🙂"])
    pieces: list = []
    for line in lines:
        for char in ("−".encode(), "除".encode(), "🙂".encode()):
            if char in line:
                cut = line.index(char) + 1  # inside the character
                pieces += [line[:cut], Sleep(0.02)]
                line = line[cut:]
        pieces.append(line)
    on_chat(srv, kind, Reply(body=pieces))
    return {}


def _html_proxy_page(srv, kind, stack):
    # A reverse proxy whose upstream is down answers every path with its error page.
    if kind == "ollama":
        srv.route("POST", "/api/show", [html_page(), json_reply({"capabilities": ["completion", "thinking"]})])
    else:
        models = json_reply(
            {"object": "list", "data": [{"id": OPENAI_MODEL, "object": "model", "max_model_len": 40960}]}
        )
        srv.route("GET", "/v1/models", [html_page(), models])
    on_chat(srv, kind, html_page())
    # With the model named, the OpenAI-compatible run gets past the model list to the chat request.
    return {} if kind == "ollama" else {"model": OPENAI_MODEL}


def _not_this_api(srv, kind, stack):
    """The URL reaches a web server whose routes are not this API: vLLM (FastAPI) behind an
    Ollama URL, or an OpenAI-compatible base URL missing its /v1."""
    not_found = json_reply({"detail": "Not Found"}, 404)
    if kind == "ollama":
        srv.route("POST", "/api/show", [not_found, json_reply({"capabilities": ["completion", "thinking"]})])
        on_chat(srv, kind, not_found)
    else:
        models = json_reply(
            {"object": "list", "data": [{"id": OPENAI_MODEL, "object": "model", "max_model_len": 40960}]}
        )
        srv.route("GET", "/v1/models", [not_found, models])
    return {}


def _html_with_200(srv, kind, stack):
    on_chat(srv, kind, html_page(200))  # a captive portal or a web app at the wrong port
    return {}


FAULTS = [
    Fault("connection-refused", _refused, says=("{url}", "connection refused")),
    Fault("host-does-not-resolve", _dns, says=("{url}", "'{host}'", "does not resolve")),
    Fault("connect-hangs", _connect_hangs, says=("{url}", "timed out")),
    Fault("model-missing-404", _model_missing, says=("{url}", "'{model}'")),
    Fault("too-large-for-context-400", _too_large, says=("{url}", "too large", "context", "shorten")),
    Fault("server-error-500", _server_error, says=("{url}", "500", "try again")),
    Fault("malformed-line", _malformed_line, says=("{url}", "not json"), kept=(KEPT_REASONING, KEPT_ANSWER)),
    Fault(
        "line-of-wrong-shape", _wrong_shape_line, says=("{url}", "unexpected shape"), kept=(KEPT_REASONING, KEPT_ANSWER)
    ),
    Fault(
        "error-line-mid-stream",
        _error_line,
        says=("{url}", "mid-answer", "out of memory", "kept"),
        kept=(KEPT_REASONING, KEPT_ANSWER),
    ),
    Fault("dropped-mid-stream", _dropped, says=("{url}", "broke off", "kept"), kept=(KEPT_REASONING, KEPT_ANSWER)),
    Fault("reset-mid-stream", _reset, says=("{url}", "broke off", "kept"), kept=(KEPT_REASONING, KEPT_ANSWER)),
    Fault(
        "stall-longer-than-read-timeout",
        _stall,
        says=("{url}", "stalled", "MAGISTRAL_READ_TIMEOUT"),
        kept=(KEPT_REASONING, KEPT_ANSWER),
        hangs_up=True,
    ),
    Fault(
        "silent-before-first-token",
        _silent_from_the_start,
        says=("{url}", "'{model}'", "MAGISTRAL_FIRST_TOKEN_TIMEOUT"),
        hangs_up=True,
    ),
    Fault("empty-body", _empty_body, says=("{url}", "ended before")),
    Fault("closed-without-answering", _no_reply_at_all, says=("{url}", "without answering")),
    Fault("empty-answer", _empty_answer, finish="stop", says=("'{model}'", "empty reply"), exit_code=3),
    Fault(
        "ends-inside-reasoning",
        _ends_inside_reasoning,
        says=("{url}", "ended before", "kept"),
        kept=(KEPT_REASONING + "so step 5 ", ""),
    ),
    Fault(
        "done-inside-inline-reasoning",
        _done_inside_inline_reasoning,
        finish="stop",
        says=("'{model}'", "without giving an answer"),
        kept=(KEPT_REASONING + "so step 5 ", ""),
        exit_code=3,
    ),
    Fault(
        "invalid-utf8",
        _invalid_utf8,
        per_backend={
            # Ollama's lines decode with replacement characters and the run goes on.
            "ollama": {
                "finish": "stop",
                "says": ("finished",),
                "kept": (KEPT_REASONING, KEPT_ANSWER + "caf\ufffd\ufffd zero."),
                "exit_code": 0,
            },
            # The SSE decoder refuses the line: what came before stays.
            "openai": {"says": ("{url}", "utf-8", "kept"), "kept": (KEPT_REASONING, KEPT_ANSWER)},
        },
    ),
    Fault(
        "multibyte-split-across-writes",
        _split_multibyte,
        finish="stop",
        says=("finished",),
        kept=("x − y = 0 ✓ ", "Division by zero − 除以零 🙂"),
        exit_code=0,
    ),
    Fault("not-this-api-404", _not_this_api, says=("{url}", "does not look like", "404", "check the url")),
    Fault("html-proxy-error-page", _html_proxy_page, says=("{url}", "web page", "502", "proxy")),
    Fault("html-page-with-200", _html_with_200, says=("{url}", "web page", "200")),
]
FAULTS_BY_ID = {fault.id: fault for fault in FAULTS}


# --- checking what the person sees ------------------------------------------------------


def expected_fragments(fault: Fault, url: str, model: str) -> list[str]:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return [s.format(url=url, host=host, model=model) for s in fault.says]


def assert_person_facing(message: str, fault: Fault, url: str, model: str) -> None:
    lowered = message.lower()
    for fragment in expected_fragments(fault, url, model):
        assert fragment.lower() in lowered, f"{fragment!r} missing from: {message}"
    for mark in TRACEBACK_MARKS:
        assert mark not in message, f"traceback text {mark!r} in: {message}"
    if fault.finish != "stop" or fault.exit_code:
        assert url in message or f"'{model}'" in message, f"names neither the URL nor the model: {message}"
        assert any(action in lowered for action in ACTIONS), f"does not say what to do: {message}"


def shown_url(kind: str, url: str) -> str:
    return url if kind == "ollama" else url + "/v1"


def default_model(kind: str) -> str:
    return "magistral" if kind == "ollama" else OPENAI_MODEL


def debug(settings: Settings, text: str = ARGUMENT) -> RunState:
    return run_to_end(settings, text)[1]


def assert_healthy_run(state: RunState) -> None:
    assert (state.finish_reason, state.outcome()) == ("stop", "Finished."), state.outcome()
    assert (state.reasoning.strip(), state.answer.strip()) == (HEALTHY_REASONING.strip(), HEALTHY_ANSWER.strip())


@contextmanager
def faulty_server(fault: Fault, kind: str) -> Iterator[tuple[ModelServer, str, dict]]:
    """The loopback server with the fault scripted; yields it, the URL the faulty run
    uses and the settings overrides for that run."""
    with ExitStack() as stack:
        srv = stack.enter_context(ModelServer())
        overrides = fault.script(srv, kind, stack)
        url = overrides.pop("url", srv.url)
        yield srv, url, overrides


# --- 1. through DebugRun: every row, both backends ----------------------------------------


@pytest.mark.parametrize("kind", BACKENDS)
@pytest.mark.parametrize("fault", FAULTS, ids=[fault.id for fault in FAULTS])
def test_fault_is_explained_keeps_what_streamed_and_the_next_run_works(fault, kind):
    fault = fault.on(kind)
    with faulty_server(fault, kind) as (srv, url, overrides):
        state = debug(settings_for(url, kind, **{**TIMEOUTS, **overrides}))

        model = overrides.get("model") or default_model(kind)
        assert state.finish_reason == fault.finish, state.outcome()
        assert_person_facing(state.outcome(), fault, shown_url(kind, url), model)
        assert (state.reasoning, state.answer) == fault.kept
        if fault.hangs_up:
            assert srv.wait_for_hangup(timeout=5) is not None, "the stalled connection was left open"

        assert_healthy_run(debug(settings_for(srv, kind, **TIMEOUTS)))


def test_the_connect_timeout_is_reported_once_not_after_a_second_wait():
    """Ollama's capability probe used to swallow the connect timeout and the chat request
    then waited it out again; the person now hears after one connect timeout. Every attempt
    at this port waits out the timeout, so one wait is one connection attempt."""
    with connect_that_hangs() as url, connections_to(url) as attempts:
        state = debug(settings_for(url, "ollama", **{**TIMEOUTS, "connect_timeout": 1.0, "first_token_timeout": 30}))
    assert "timed out" in state.outcome()
    assert len(attempts) == 1, attempts


_watched: list[tuple[tuple[str, int], list]] = []


def _on_audit(event: str, args: tuple) -> None:
    if event == "socket.connect" and _watched:
        for address, attempts in _watched:
            if args[1] == address:
                attempts.append(args[1])


sys.addaudithook(_on_audit)  # the stdlib's own record of each connect(); it cannot be removed, so it idles


@contextmanager
def connections_to(url: str) -> Iterator[list]:
    """The connection attempts this process makes to ``url``'s host and port while inside."""
    host, port = url.removeprefix("http://").split(":")
    entry: tuple[tuple[str, int], list] = ((host, int(port)), [])
    _watched.append(entry)
    try:
        yield entry[1]
    finally:
        _watched.remove(entry)


# --- 2. through the CLI: stderr message and exit code --------------------------------------

CLI_CASES = [
    ("ollama", "connection-refused"),
    ("ollama", "stall-longer-than-read-timeout"),
    ("ollama", "html-proxy-error-page"),
    ("openai", "too-large-for-context-400"),
    ("openai", "dropped-mid-stream"),
    ("openai", "done-inside-inline-reasoning"),
]
CLI_JSON_CASES = [("openai", "error-line-mid-stream"), ("ollama", "healthy")]
# What a model or server sends can carry terminal escape sequences: clear the screen, set the
# window title, write the clipboard (OSC 52). Printed raw, they would act on the terminal.
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x9b31m"


def _terminal_escapes(srv, kind, stack):  # Ollama only
    lines = chat_stream(kind, [f"{KEPT_REASONING}think{ESCAPES}"], [f"{KEPT_ANSWER}answer{ESCAPES}"], complete=False)
    error = (json.dumps({"error": f"boom{ESCAPES}"}) + "\n").encode()
    on_chat(srv, kind, Reply(body=[*lines, error]))
    return {}


CLI_ONLY_FAULTS = {
    "terminal-escapes": Fault(
        "terminal-escapes",
        _terminal_escapes,
        says=("{url}", "boom", "mid-answer"),
        kept=(
            KEPT_REASONING + "think[2J]0;pwned]52;c;cm0gLXJmIH4=31m",
            KEPT_ANSWER + "answer[2J]0;pwned]52;c;cm0gLXJmIH4=31m",
        ),
    )
}
CLI_PARALLEL = 3  # start-up is mostly CPU: more at once only queues on a 2-core machine


def cli_env(kind: str, url: str, **overrides) -> dict:
    env = child_env(MAGISTRAL_BACKEND=kind)
    env["MAGISTRAL_OLLAMA_URL" if kind == "ollama" else "MAGISTRAL_OPENAI_BASE_URL"] = shown_url(kind, url)
    for name, value in {**TIMEOUTS, **overrides}.items():
        env[f"MAGISTRAL_{name.upper()}"] = str(value)
    return env


@dataclass
class CliResult:
    fault: Fault | None
    url: str
    model: str
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory) -> dict[tuple, CliResult]:
    """The CLI cases, a few at a time, each in its own subprocess against its own scripted
    server: a Python start-up per case is the cost here, so they overlap."""
    cwd = tmp_path_factory.mktemp("cli")  # no stray .env
    cases = [(kind, fault_id, False) for kind, fault_id in CLI_CASES]
    cases += [(kind, fault_id, True) for kind, fault_id in CLI_JSON_CASES]
    cases += [("ollama", fault_id, False) for fault_id in CLI_ONLY_FAULTS]
    with ExitStack() as stack, ThreadPoolExecutor(CLI_PARALLEL) as pool:
        started = {}
        for kind, fault_id, as_json in cases:
            fault = {**FAULTS_BY_ID, **CLI_ONLY_FAULTS}.get(fault_id)
            fault = fault.on(kind) if fault else None
            if fault is None:
                srv = stack.enter_context(ModelServer())
                url, overrides = srv.url, {}
            else:
                srv, url, overrides = stack.enter_context(faulty_server(fault, kind))
            process = pool.submit(
                subprocess.run,
                [sys.executable, "-m", "magistral_debugger", *(["--json"] if as_json else []), ARGUMENT],
                env=cli_env(kind, url, **overrides),
                cwd=cwd,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=90,
            )
            started[(kind, fault_id, as_json)] = (fault, url, overrides.get("model") or default_model(kind), process)
        results = {}
        for key, (fault, url, model, process) in started.items():
            done = process.result()
            results[key] = CliResult(fault, url, model, done.returncode, done.stdout, done.stderr)
    return results


@pytest.mark.parametrize("kind,fault_id", CLI_CASES, ids=[f"{k}-{f}" for k, f in CLI_CASES])
def test_cli_prints_the_message_on_stderr_and_exits_nonzero(cli_results, kind, fault_id):
    done = cli_results[(kind, fault_id, False)]
    fault = done.fault

    assert done.returncode == fault.exit_code, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    assert_person_facing(errors[0], fault, shown_url(kind, done.url), done.model)
    reasoning, answer = fault.kept
    assert answer.strip() in done.stdout  # the answer so far stays on stdout
    assert reasoning.strip() in done.stderr  # the reasoning so far stays on stderr


def test_cli_prints_no_terminal_control_sequences_from_the_model_or_server(cli_results):
    done = cli_results[("ollama", "terminal-escapes", False)]
    assert done.returncode == 1
    for text in (done.stdout, done.stderr):
        assert not any(char in text for char in "\x1b\x07\x9b"), repr(text)
    reasoning, answer = done.fault.kept
    assert answer in done.stdout and reasoning in done.stderr  # the visible text is all still there
    assert_person_facing(done.stderr.splitlines()[-1], done.fault, done.url, done.model)


def test_cli_json_reports_the_finish_reason_and_message(cli_results):
    done = cli_results[("openai", "error-line-mid-stream", True)]
    records = [json.loads(line) for line in done.stdout.splitlines()]
    end = records[-1]
    assert (done.returncode, end["type"], end["finish_reason"]) == (1, "end", "error"), done.stderr
    assert_person_facing(end["message"], done.fault, shown_url("openai", done.url), done.model)
    assert "".join(r["text"] for r in records if r["type"] == "reasoning") == KEPT_REASONING
    assert "".join(r["text"] for r in records if r["type"] == "answer") == KEPT_ANSWER


def test_cli_healthy_run_exits_0(cli_results):
    done = cli_results[("ollama", "healthy", True)]
    assert done.returncode == 0, done.stderr
    end = json.loads(done.stdout.splitlines()[-1])
    assert (end["finish_reason"], end["message"]) == ("stop", "Finished.")


# --- 3. through the real app: the status output --------------------------------------------

APP_CASES = [
    ("ollama", "connection-refused"),
    ("openai", "connect-hangs"),
    ("ollama", "model-missing-404"),
    ("openai", "too-large-for-context-400"),
    ("openai", "server-error-500"),
    ("ollama", "error-line-mid-stream"),
    ("openai", "error-line-mid-stream"),
    ("openai", "reset-mid-stream"),
    ("ollama", "stall-longer-than-read-timeout"),
    ("openai", "ends-inside-reasoning"),
    ("ollama", "invalid-utf8"),
    ("ollama", "html-proxy-error-page"),
    ("openai", "not-this-api-404"),
]


@pytest.fixture(scope="module")
def app_client():
    from gradio_client import Client

    from tests.conftest import serve_app

    # One app serves every case; its stall deadline is a little longer than a CLI or
    # DebugRun row's, since the app, the server and the client share this process.
    with serve_app(**{**TIMEOUTS, "read_timeout": 2.0}) as url:
        yield Client(url, **QUIET_CLIENT)


def submit(client, kind: str, url: str, model: str = "", text: str = ARGUMENT) -> tuple[str, str, str]:
    job = client.submit(text=text, backend=kind, url=shown_url(kind, url), model=model, api_name="/debug")
    reasoning, answer, status, *_ = job.result(timeout=30)
    return reasoning, answer, status


@pytest.mark.parametrize("kind,fault_id", APP_CASES, ids=[f"{k}-{f}" for k, f in APP_CASES])
def test_app_status_explains_the_fault_keeps_the_panes_and_serves_the_next_run(app_client, kind, fault_id):
    fault = FAULTS_BY_ID[fault_id].on(kind)
    with faulty_server(fault, kind) as (srv, url, overrides):
        reasoning, answer, status = submit(app_client, kind, url, overrides.get("model", ""))
        assert_person_facing(status, fault, shown_url(kind, url), overrides.get("model") or default_model(kind))
        assert status.startswith("❌" if fault.finish == "error" else ("⚠️", "✅"))
        assert (reasoning, answer) == tuple(text.strip() for text in fault.kept)

        reasoning, answer, status = submit(app_client, kind, srv.url)
    assert status.startswith("✅ Finished."), status
    assert (reasoning, answer) == (HEALTHY_REASONING.strip(), HEALTHY_ANSWER.strip())
