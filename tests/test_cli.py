"""``python -m magistral_debugger`` as scripts and people run it: a real subprocess,
configured through the MAGISTRAL_* variables (docs/ARCHITECTURE.md, "Outside contracts"),
talking to loopback servers. The answer goes to stdout and only there, so ``… > answer.md`` works."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest

from magistral_debugger.prompting.messages import user_message_text
from tests.loopback import (
    ModelServer,
    Reply,
    Sleep,
    chat_stream,
    dead_url,
    json_reply,
    ollama_chat_lines,
    openai_sse_events,
    sse_error,
)
from tests.runs import FLAWED, SILENCE, child_env, run_cli, silent_then, stalled_after_first

TAGS = ("[THINK]", "[/THINK]", "<think>", "</think>")
MODEL = "mistralai/Magistral-Small-2509"


def ollama_env(server: ModelServer, **more: str) -> dict[str, str]:
    return child_env(
        **{"MAGISTRAL_BACKEND": "ollama", "MAGISTRAL_OLLAMA_URL": server.url, "MAGISTRAL_MODEL": "magistral", **more}
    )


def openai_env(server: ModelServer, **more: str) -> dict[str, str]:
    return child_env(MAGISTRAL_BACKEND="openai", MAGISTRAL_OPENAI_BASE_URL=server.url + "/v1", **more)


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    """Non-zero exit, no traceback, and a last stderr line that says what went wrong."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ")
    for needle in needles:
        assert needle in last, (needle, last)
    return last


# --- success ------------------------------------------------------------------------------


def test_answer_goes_to_stdout_and_reasoning_to_stderr_with_no_tags_on_ollama(srv, tmp_path):
    srv.route(
        "POST",
        "/api/chat",
        Reply(
            body=ollama_chat_lines(["Step 5 divides ", "by x − y."], ["<think>stray</think>", "Step 5 divides by 0."])
        ),
    )
    result = run_cli([FLAWED], ollama_env(srv), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Step 5 divides by 0.\n"
    assert "Step 5 divides by x − y." in result.stderr
    assert "Step 5 divides by 0." not in result.stderr
    for tag in TAGS:
        assert tag not in result.stdout and tag not in result.stderr
    assert "\x1b[" not in result.stderr  # not a terminal: no colour codes
    sent = srv.wait_for_request("/api/chat").json
    assert sent["model"] == "magistral" and sent["messages"][-1]["content"] == user_message_text(FLAWED)


def test_openai_backend_with_inline_tags_and_the_servers_first_model(srv, tmp_path):
    events = openai_sse_events(
        content=["[THINK]x − y ", "is 0[/TH", "INK]Step 5 ", "divides by 0."], reasoning_field=None
    )
    srv.route("POST", "/v1/chat/completions", Reply(body=events))
    result = run_cli([FLAWED], openai_env(srv), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Step 5 divides by 0.\n"
    assert "x − y is 0" in result.stderr
    for tag in TAGS:
        assert tag not in result.stdout and tag not in result.stderr
    assert srv.wait_for_request("/v1/chat/completions").json["model"] == MODEL


def test_reasoning_a_template_opened_never_reaches_a_redirected_stdout(srv, tmp_path):
    """The server's template opened the thinking block: only the closing tag comes back. Piped
    to a file, answer text is held until that tag shows it was reasoning, which then goes to
    stderr; ``> answer.md`` gets only the answer."""
    srv.route(
        "POST",
        "/api/show",
        json_reply({"template": "[INST]{{ .Prompt }}[/INST][THINK]", "capabilities": ["completion"]}),
    )
    content = ["Step 5 divides ", "by x − y, which is 0.[/THI", "NK]Step 5 divides ", "by 0."]
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(content=content)))
    result = run_cli([FLAWED], ollama_env(srv), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Step 5 divides by 0.\n"
    assert "Step 5 divides by x − y, which is 0.\n" in result.stderr
    assert "printed as answer" not in result.stderr
    shown = [line for line in result.stderr.splitlines() if not line.startswith("note: ")]  # notes may name a tag
    for tag in TAGS:
        assert tag not in result.stdout and all(tag not in line for line in shown)


def test_an_answer_without_any_reasoning_still_reaches_a_redirected_stdout_whole(srv, tmp_path):
    srv.route("POST", "/api/show", json_reply({"capabilities": ["completion"]}))
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(content=["Step 5 ", "divides ", "by 0."])))
    result = run_cli([FLAWED], ollama_env(srv), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Step 5 divides by 0.\n"


def test_json_prints_one_event_object_per_line(srv, tmp_path):
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(["Think."], ["Answer ", "here."], eval_count=12)))
    result = run_cli(["--json", FLAWED], ollama_env(srv), tmp_path)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(isinstance(r, dict) for r in records)
    assert [r["type"] for r in records] == ["reasoning", "answer", "answer", "end"]
    assert "".join(r["text"] for r in records if r["type"] == "answer") == "Answer here."
    end = records[-1]
    assert end["finish_reason"] == "stop" and end["model"] == "magistral"
    assert end["reasoning_tokens"] + end["answer_tokens"] == 12


def test_text_is_read_from_stdin_when_not_given_as_an_argument(srv, tmp_path):
    result = run_cli([], ollama_env(srv), tmp_path, stdin=FLAWED + "\n")
    assert result.returncode == 0, result.stderr
    assert srv.wait_for_request("/api/chat").json["messages"][-1]["content"] == user_message_text(FLAWED)


def test_command_line_flags_override_the_environment(srv, tmp_path):
    env = child_env(MAGISTRAL_BACKEND="ollama", MAGISTRAL_OLLAMA_URL=dead_url(), MAGISTRAL_MODEL="other")
    result = run_cli(["--backend", "openai", "--url", srv.url + "/v1", "--model", MODEL, FLAWED], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert srv.wait_for_request("/v1/chat/completions").json["model"] == MODEL


# --- failures ------------------------------------------------------------------------------


def test_missing_model_exits_non_zero_with_the_pull_command(srv, tmp_path):
    result = run_cli([FLAWED], ollama_env(srv, MAGISTRAL_MODEL="magistral:nope"), tmp_path)
    assert_one_line_error(result, "ollama pull magistral:nope")
    assert result.stdout == ""


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_dead_server_exits_non_zero_naming_the_url_and_how_to_start_it(tmp_path, backend):
    url = dead_url()
    if backend == "ollama":
        env = child_env(MAGISTRAL_BACKEND="ollama", MAGISTRAL_OLLAMA_URL=url)
        assert_one_line_error(run_cli([FLAWED], env, tmp_path), url, "ollama serve")
    else:
        # No model set: the CLI first asks the server for its model list, and that fails.
        env = child_env(MAGISTRAL_BACKEND="openai", MAGISTRAL_OPENAI_BASE_URL=url + "/v1")
        assert_one_line_error(run_cli([FLAWED], env, tmp_path), url + "/v1", "vllm serve")


def test_error_mid_stream_exits_non_zero_with_the_servers_message(srv, tmp_path):
    events = openai_sse_events(["Step 5 divides "], [], finish_reason=None, usage=None, done=False)
    srv.route("POST", "/v1/chat/completions", Reply(body=[*events, sse_error("CUDA out of memory")]))
    result = run_cli([FLAWED], openai_env(srv), tmp_path)
    assert_one_line_error(result, "CUDA out of memory")
    assert "Step 5 divides" in result.stderr  # what arrived is kept
    assert result.stdout == ""


def test_running_out_of_tokens_while_thinking_exits_non_zero_and_says_so(srv, tmp_path):
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(["Step 5 divides "], [], done_reason="length")))
    result = run_cli([FLAWED], ollama_env(srv), tmp_path)
    assert_one_line_error(result, "Ran out of tokens while thinking")
    assert result.stdout == ""


def test_invalid_setting_in_the_environment_exits_non_zero_naming_it(tmp_path):
    result = run_cli([FLAWED], child_env(MAGISTRAL_BACKEND="llamafile"), tmp_path)
    assert_one_line_error(result, "backend")


def test_empty_input_exits_non_zero_without_calling_the_server(srv, tmp_path):
    result = run_cli(["   "], ollama_env(srv), tmp_path)
    assert_one_line_error(result, "Paste a flawed argument")
    assert [r.path for r in srv.requests] == []


# --- Ctrl-C ---------------------------------------------------------------------------------


def _wait_for_output(stream, timeout: float) -> bytes:
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "the CLI printed nothing in time"
    return os.read(stream.fileno(), 4096)


def reasoning_printed(proc: subprocess.Popen) -> None:
    _wait_for_output(proc.stderr, 20)


def answer_printed(proc: subprocess.Popen) -> None:
    _wait_for_output(proc.stdout, 20)


def _ctrl_c(args: list[str], env: dict[str, str], cwd, when_ready) -> tuple[int, str]:
    """The CLI with ``args``, sent SIGINT once ``when_ready(proc)`` returns; its exit code and stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "magistral_debugger", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
    )
    try:
        when_ready(proc)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=20)
        err = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return code, err


@pytest.mark.parametrize("when", ["mid-stream", "before-first-token"])
def test_ctrl_c_exits_130_and_hangs_up_on_the_server(srv, tmp_path, when):
    """Ctrl-C must stop generation on the server, not just the printing, including while
    the server is still silent (loading the model)."""
    lines = ollama_chat_lines(["Step 5 divides ", "by zero."], ["Answer."])
    srv.route(
        "POST", "/api/chat", Reply(body=stalled_after_first(lines) if when == "mid-stream" else silent_then(lines))
    )

    def ready(proc: subprocess.Popen) -> None:
        if when == "mid-stream":
            assert b"Step 5 divides" in _wait_for_output(proc.stderr, 20)
        else:
            srv.wait_for_request("/api/chat", timeout=20)
            time.sleep(0.2)  # let the client settle into reading the silent stream

    code, err = _ctrl_c([FLAWED], ollama_env(srv), tmp_path, ready)
    assert code == 130
    assert "Traceback" not in err
    assert srv.wait_for_hangup(timeout=5) is not None


def test_ctrl_c_with_a_thinking_budget_still_stops_without_asking_for_an_answer(srv, tmp_path):
    """The budget turns running out of time into an answer; Ctrl-C stays a stop (scripts rely on 130)."""
    srv.route("POST", "/api/chat", Reply(body=stalled_after_first(ollama_chat_lines(["Step 5 divides ", "by zero."]))))
    code, err = _ctrl_c(["--thinking-budget", "60", FLAWED], ollama_env(srv), tmp_path, reasoning_printed)
    assert code == 130 and "Traceback" not in err
    assert srv.wait_for_hangup(timeout=5) is not None
    assert [r.path for r in srv.requests].count("/api/chat") == 1


def test_ctrl_c_while_answering_after_the_budget_exits_130_and_hangs_up_on_the_continuation(srv, tmp_path):
    srv.route("POST", "/api/chat", [
        Reply(body=[*chat_stream("ollama", ["Step 5 divides ", "by x − y."], complete=False), Sleep(SILENCE)]),
        Reply(body=stalled_after_first(ollama_chat_lines([], ["Step 5 ", "divides by 0."]))),
    ])  # fmt: skip
    code, err = _ctrl_c(["--thinking-budget", "0.3", FLAWED], ollama_env(srv), tmp_path, answer_printed)
    assert code == 130 and "Traceback" not in err
    assert "Thinking stopped at the 0.3 s budget." in err
    assert srv.wait_for_hangup(timeout=5) is not None  # the reasoning, cut by the budget
    assert srv.wait_for_hangup(timeout=5) is not None  # the answer, cut by Ctrl-C


# --- the thinking budget ----------------------------------------------------------------------


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_thinking_budget_makes_the_model_answer_from_its_reasoning_so_far(srv, tmp_path, how):
    srv.route("POST", "/api/chat", [
        Reply(body=[*chat_stream("ollama", ["Step 5 divides ", "by x − y."], complete=False), Sleep(SILENCE)]),
        Reply(body=ollama_chat_lines([], ["Step 5 divides by 0."])),
    ])  # fmt: skip
    if how == "flag":
        result = run_cli(
            ["--thinking-budget", "0.5", FLAWED], ollama_env(srv, MAGISTRAL_THINKING_BUDGET="60"), tmp_path
        )
    else:
        result = run_cli([FLAWED], ollama_env(srv, MAGISTRAL_THINKING_BUDGET="0.5"), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Step 5 divides by 0.\n"
    assert "note: Thinking stopped at the 0.5 s budget." in result.stderr
    assert "Step 5 divides by x − y." in result.stderr  # the reasoning that came before
    assert srv.wait_for_hangup(timeout=5) is not None
    first, second = (r.json for r in srv.requests if r.path == "/api/chat")
    assert second["messages"][len(first["messages"])] == {
        "role": "assistant",
        "content": "",
        "thinking": "Step 5 divides by x − y.",
    }


# --- --effort -------------------------------------------------------------------------------


def show_levels(srv: ModelServer, values: list) -> None:
    body = {"template": "{{ .Prompt }}", "capabilities": ["completion", "thinking"], "thinking": {"values": values}}
    srv.route("POST", "/api/show", json_reply(body))


def test_effort_is_sent_as_asked_and_the_json_end_says_which(srv, tmp_path):
    show_levels(srv, ["low", "medium", "high"])
    result = run_cli(["--json", "--effort", "low", FLAWED], ollama_env(srv), tmp_path)
    assert result.returncode == 0, result.stderr
    assert srv.wait_for_request("/api/chat").json["think"] == "low"
    assert json.loads(result.stdout.splitlines()[-1])["reasoning_effort"] == "low"


def test_an_effort_the_model_does_not_take_is_one_line_and_nothing_is_sent(srv, tmp_path):
    show_levels(srv, [False, True])
    result = run_cli(["--effort", "medium", FLAWED], ollama_env(srv), tmp_path)
    assert_one_line_error(result, "takes reasoning effort none, high, not medium", "--effort")
    assert result.returncode == 1 and not [r for r in srv.requests if r.path == "/api/chat"]


def test_an_unknown_effort_is_a_usage_error(tmp_path):
    result = run_cli(["--effort", "extreme", FLAWED], child_env(), tmp_path)
    assert result.returncode == 2 and "invalid choice: 'extreme'" in result.stderr
