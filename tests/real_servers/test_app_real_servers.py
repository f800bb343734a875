"""Our CLI and our run API against the real servers.

vLLM serves the puppet model, which always says
``[THINK] PUPPET_REASONING [/THINK] PUPPET_ANSWER PUPPET_VERDICT_LINE </s>``, through
the same tokenizer mode and ``--reasoning-parser mistral`` a GPU box runs for Magistral,
so what our app shows can be checked exactly: the answer without its verdict line, and
the verdict on step PUPPET_VERDICT_STEP of ARGUMENT. llama.cpp serves SmolLM2 (real
text, different per build: only its shape is checked).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import pytest
import requests

from make_puppet_model import (
    END_THINK_ID,
    PUPPET_ANSWER,
    PUPPET_MODEL_NAME,
    PUPPET_REASONING,
    PUPPET_VERDICT_KIND,
    PUPPET_VERDICT_STEP,
    THINK_ID,
)
from tests import runs
from tests.runs import child_env

pytestmark = pytest.mark.real_server

ARGUMENT = (
    "Let x = y. Then x² = xy, so x² − y² = xy − y², so (x + y)(x − y) = y(x − y). "
    "Cancelling, x + y = y, so 2y = y and 2 = 1."
)
FLAWED_STEP = "Cancelling, x + y = y, so 2y = y and 2 = 1."  # step PUPPET_VERDICT_STEP (5) as the app numbers ARGUMENT
VERDICT = {"type": "verdict", "step": PUPPET_VERDICT_STEP, "kind": PUPPET_VERDICT_KIND, "text": FLAWED_STEP}
VERDICT_ON_STDERR = f"verdict: step {PUPPET_VERDICT_STEP} ({PUPPET_VERDICT_KIND})"  # the plain CLI's last line
TAGS = ("[THINK]", "[/THINK]", "<think>", "</think>")


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path, timeout: float = 120):
    """`python -m magistral_debugger ARGS` with only the MAGISTRAL_* settings given here."""
    return runs.run_cli(list(args), child_env(NO_PROXY="127.0.0.1,localhost", **(env or {})), cwd, timeout=timeout)


def vllm_env(server, **extra: str) -> dict[str, str]:
    return {
        "MAGISTRAL_BACKEND": "openai",
        "MAGISTRAL_OPENAI_BASE_URL": server.base_url,
        "MAGISTRAL_MODEL": server.model,
        **extra,
    }


def reasoning_token_count(puppet_model_dir: Path) -> int:
    ids = json.loads((puppet_model_dir / "script.json").read_text(encoding="utf-8"))["token_ids"]
    return ids.index(END_THINK_ID) - ids.index(THINK_ID) - 1


# ------------------------------------------------------------ CLI vs vLLM


def test_cli_answer_on_stdout_reasoning_on_stderr(vllm_server, tmp_path):
    r = run_cli(ARGUMENT, env=vllm_env(vllm_server, MAGISTRAL_MAX_TOKENS="1024"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == PUPPET_ANSWER + "\n"
    assert r.stderr == f"{PUPPET_REASONING}\n{VERDICT_ON_STDERR}\n"
    for tag in TAGS:
        assert tag not in r.stdout and tag not in r.stderr


def test_cli_flags_and_default_max_tokens_fitted_to_server_context(vllm_server, tmp_path):
    """The default 40960 max tokens does not fit --max-model-len 4096: the CLI lowers it
    (with a note) so that the prompt and max tokens fit, and the run still answers. vLLM
    trims an oversized max_tokens itself rather than refusing it, so the check is on what
    was sent: the run's recording holds the request as sent and vLLM's own prompt count."""
    r = run_cli(
        "--backend", "openai", "--url", vllm_server.base_url, "--model", vllm_server.model, ARGUMENT,
        env={"MAGISTRAL_RECORD_DIR": str(tmp_path / "runs")},
        cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout == PUPPET_ANSWER + "\n"
    lines = r.stderr.splitlines()
    assert PUPPET_REASONING in lines
    assert lines[-1] == VERDICT_ON_STDERR
    (recording,) = (tmp_path / "runs").glob("*.jsonl")
    header, *events = (json.loads(line) for line in recording.read_text(encoding="utf-8").splitlines())
    sent = header["request"]["max_tokens"]
    (usage,) = (e for e in events if e["type"] == "usage")
    assert usage["prompt_tokens"] > 0
    assert sent + usage["prompt_tokens"] <= 4096, (sent, usage)  # --max-model-len in conftest
    assert any(line.startswith("note: ") and f"40,960 to {sent:,}" in line and "4,096" in line for line in lines), (
        r.stderr
    )


def test_cli_default_model_is_the_servers_first(vllm_server, tmp_path):
    env = vllm_env(vllm_server, MAGISTRAL_MAX_TOKENS="1024")
    del env["MAGISTRAL_MODEL"]
    r = run_cli("--json", ARGUMENT, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    end = [json.loads(line) for line in r.stdout.splitlines()][-1]
    assert end["type"] == "end" and end["model"] == PUPPET_MODEL_NAME


def test_cli_json_events(vllm_server, puppet_model_dir, tmp_path):
    r = run_cli("--json", ARGUMENT, env=vllm_env(vllm_server, MAGISTRAL_MAX_TOKENS="1024"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    reasoning = "".join(x["text"] for x in records if x["type"] == "reasoning")
    answer = "".join(x["text"] for x in records if x["type"] == "answer")
    assert reasoning == PUPPET_REASONING
    assert answer == PUPPET_ANSWER
    kinds = [x["type"] for x in records]
    assert kinds[-1] == "end" and "answer_was_reasoning" not in kinds
    assert kinds.index("answer") > max(i for i, k in enumerate(kinds) if k == "reasoning")
    # the verdict line, read out of vLLM's answer stream, comes once, after the answer
    assert kinds.count("verdict") == 1 and kinds[-2] == "verdict"
    assert records[-2] == VERDICT
    end = records[-1]
    assert end["finish_reason"] == "stop"
    assert end["reasoning_tokens"] == reasoning_token_count(puppet_model_dir)
    assert end["answer_tokens"] > 0


def test_cli_out_of_tokens_while_thinking(vllm_server, tmp_path):
    r = run_cli(ARGUMENT, env=vllm_env(vllm_server, MAGISTRAL_MAX_TOKENS="5"), cwd=tmp_path)
    assert r.returncode == 3, (r.returncode, r.stderr)
    assert r.stdout == ""
    assert "ran out of tokens while thinking" in r.stderr.lower()
    # what reasoning arrived is still shown
    assert PUPPET_REASONING.startswith(r.stderr.splitlines()[0])


def test_cli_missing_model_says_so(vllm_server, tmp_path):
    r = run_cli(ARGUMENT, env=vllm_env(vllm_server, MAGISTRAL_MODEL="magistral-small-2509-typo"), cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout == ""
    err = r.stderr
    assert "Traceback" not in err
    assert "magistral-small-2509-typo" in err
    assert vllm_server.base_url in err
    assert "no model" in err.lower()
    assert PUPPET_MODEL_NAME in err  # vLLM's message lists what it serves


# ---------------------------------------------- prompt builder vs /tokenize


def test_prompt_builder_think_chunk_encodes_as_special_tokens(vllm_server):
    """Our 2509 system prompt's [THINK]…[/THINK] reaches the tokenizer as token ids
    34/35, not as text; a [THINK] typed by the person stays text."""
    from magistral_debugger.prompting.messages import build_messages

    messages = build_messages("Step 1: [THINK] is just text here. Step 2: done.", "2509")
    r = requests.post(
        f"{vllm_server.root_url}/tokenize",
        json={"model": vllm_server.model, "messages": messages},
        timeout=30,
    )
    r.raise_for_status()
    ids = r.json()["tokens"]
    assert ids.count(THINK_ID) == 1, "one [THINK] token: the system prompt's, not the user's text"
    assert ids.count(END_THINK_ID) == 1
    assert ids.index(17) < ids.index(THINK_ID) < ids.index(END_THINK_ID) < ids.index(18) < ids.index(3)


# ------------------------------------------------------- run API vs servers


def _settings(**kw):
    from magistral_debugger.settings import Settings

    return Settings(_env_file=None, **kw)


async def _run_to_end(settings, text):
    from magistral_debugger.engine.run import DebugRun, Ended

    run = DebugRun(settings, text)
    async for event in run.events():
        if isinstance(event, Ended):
            break
    return run.state


async def _run_and_stop(settings, text, stop_on):
    """Start a run, stop it (close the stream) at the first event of type `stop_on`."""
    from magistral_debugger.engine.run import DebugRun

    run = DebugRun(settings, text)
    seen = []
    async with contextlib.aclosing(run.events()) as events:
        async for event in events:
            seen.append(event)
            if isinstance(event, stop_on):
                break
    return run.state, seen


def test_run_api_against_vllm(vllm_server):
    settings = _settings(
        backend="openai", openai_base_url=vllm_server.base_url, model=vllm_server.model, max_tokens=1024
    )
    state = asyncio.run(_run_to_end(settings, ARGUMENT))
    assert state.ok, state.outcome()
    assert state.reasoning == PUPPET_REASONING
    assert state.answer == PUPPET_ANSWER
    assert state.verdict.as_json() == VERDICT
    assert state.finish_reason == "stop"
    assert state.outcome() == "Finished."


def test_run_api_stop_aborts_request_on_vllm(vllm_server):
    """The puppet's whole reply takes vLLM about half a second on this CPU, so a stop right
    after the first reasoning chunk can land after generation already ended, with nothing
    left to abort: try a few times, and require that one stop shows up as an abort."""
    from magistral_debugger.events import Reasoning

    settings = _settings(
        backend="openai", openai_base_url=vllm_server.base_url, model=vllm_server.model, max_tokens=1024
    )
    for _ in range(4):
        since = vllm_server.log_offset()
        state, seen = asyncio.run(_run_and_stop(settings, ARGUMENT, Reasoning))
        assert isinstance(seen[-1], Reasoning)
        assert state.answer == ""
        assert state.finish_reason in {None, "cancelled"}
        try:
            vllm_server.wait_for_log(r"Aborted request|Request \S+ aborted", timeout=8, since=since)
            return
        except (AssertionError, TimeoutError):
            continue
    raise AssertionError("vLLM never logged an aborted request after four stops mid-reasoning")


def test_run_api_against_llamacpp_answers_without_reasoning(llamacpp_server):
    settings = _settings(
        backend="openai",
        openai_base_url=llamacpp_server.base_url,
        model=llamacpp_server.model,
        max_tokens=64,
        temperature=0.0,
    )
    state = asyncio.run(_run_to_end(settings, "2 + 2 = 5 because 2 + 2 = 4 and 4 = 5. Where is the flaw?"))
    assert state.finish_reason in {"stop", "length"}, state.outcome()
    assert state.answer.strip(), "a real answer from SmolLM2"
    assert state.reasoning == ""


def test_run_api_stop_is_seen_by_llamacpp(llamacpp_server):
    from magistral_debugger.events import Answer

    since = llamacpp_server.log_offset()
    settings = _settings(
        backend="openai",
        openai_base_url=llamacpp_server.base_url,
        model=llamacpp_server.model,
        max_tokens=1500,
    )
    state, seen = asyncio.run(_run_and_stop(settings, "Explain, at length, why 1 = 2 is false.", Answer))
    assert isinstance(seen[-1], Answer)
    llamacpp_server.wait_for_log(r"Disconnected from client", timeout=30, since=since)
