"""Mistral's hosted API (MAGISTRAL_BACKEND=mistral) against a loopback server speaking it:
the key, the model names and reasoning_effort it receives, thinking chunks in its documented
shape (follow-ups included), its chunk-list stream, which the OpenAI-compatible reader takes
from any server, its error bodies, 401, 429 with Retry-After, and no internet at all."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from magistral_debugger.backends import MistralBackend, check_health, make_backend
from magistral_debugger.engine.run import DebugRun
from magistral_debugger.events import Notice
from magistral_debugger.prompting.messages import Turn, system_prompt_text
from magistral_debugger.settings import Settings
from tests.loopback import (
    ModelServer,
    Reply,
    dead_url,
    json_reply,
    mistral_models,
    mistral_sse_events,
    text_chunk,
    thinking_chunk,
)
from tests.runs import FLAWED, child_env, run_cli, run_to_end, settings_for

KEY = "mistral-loopback-key-0123456789"
CHAT = "/v1/chat/completions"
# One run as Mistral streams it: thinking chunks, the switch to the answer inside one list,
# a list with several texts, then plain strings.
STREAM = [
    [thinking_chunk("Step 5 divides ")],
    [thinking_chunk("by x − y, ", "which is 0.")],
    [thinking_chunk(" So it fails."), text_chunk("**Step 5** divides ")],
    [text_chunk("by zero: "), text_chunk("x − y = 0.")],
    "\nFlawed step: 2 (division by zero)",
]
REASONING = "Step 5 divides by x − y, which is 0. So it fails."
ANSWER = "**Step 5** divides by zero: x − y = 0."


def mistral_settings(server: ModelServer, **overrides) -> Settings:
    return settings_for(server, "mistral", **{"mistral_api_key": KEY, **overrides})


@pytest.fixture
def api(srv: ModelServer) -> ModelServer:
    """The loopback server as Mistral's API: its model list and its chunk-list stream."""
    srv.route(
        "GET",
        "/v1/models",
        mistral_models(
            {
                "id": "mistral-small-latest",
                "aliases": ["mistral-small-2603"],
                "max_context_length": 131072,
                "capabilities": {"completion_chat": True, "vision": True},
            },
            {"id": "magistral-medium-2509", "max_context_length": 40960},
            {"id": "magistral-medium-latest", "max_context_length": 40960},
        ),
    )
    srv.route("POST", CHAT, Reply(body=mistral_sse_events(STREAM)))
    return srv


# --- what the API receives ------------------------------------------------------------------


def test_the_default_model_is_large_4_and_gets_reasoning_effort_high_the_key_and_no_stream_options(api):
    _, state = run_to_end(mistral_settings(api))
    received = api.wait_for_request(CHAT)
    body = received.json
    assert received.headers["authorization"] == f"Bearer {KEY}"
    assert body["model"] == "mistral-large-4-0" and state.model == "mistral-large-4-0"
    assert body["reasoning_effort"] == "high"
    assert "stream_options" not in body  # Mistral's API refuses it (HTTP 422) and sends usage anyway
    assert state.ok


def test_the_system_prompt_carries_its_thinking_chunk_in_mistrals_documented_shape(api):
    run_to_end(mistral_settings(api))
    system = api.wait_for_request(CHAT).json["messages"][0]
    before, _, rest = system_prompt_text("2509").partition("[THINK]")
    thinking, _, after = rest.partition("[/THINK]")
    assert system == {
        "role": "system",
        "content": [
            {"type": "text", "text": before},
            {"type": "thinking", "thinking": [{"type": "text", "text": thinking}]},
            {"type": "text", "text": after},
        ],
    }


@pytest.mark.parametrize("model", ["magistral-medium-2509", "magistral-medium-latest"])
def test_magistral_gets_the_think_prompt_and_no_reasoning_effort(api, model):
    """Magistral always thinks: reasoning_effort is not one of its parameters. A name
    without a version still gets [THINK] chunks there, and the run says why."""
    events, state = run_to_end(mistral_settings(api, model=model))
    body = api.wait_for_request(CHAT).json
    assert "reasoning_effort" not in body
    assert body["messages"][0]["content"][1]["type"] == "thinking"
    notices = [e.message for e in events if isinstance(e, Notice) and "prompt for" in e.message]
    if model.endswith("latest"):
        assert notices == [f"[THINK] prompt for {model}: Mistral's API takes thinking chunks."]
    else:
        assert notices == []  # the name already said so
    assert state.ok


@pytest.mark.parametrize(
    "model, effort",
    [("mistral-large-4-0", "low"), ("mistral-large-4-0", "medium"), ("mistral-large-4-0", "high")]
    + [("mistral-small-latest", "none"), ("mistral-small-latest", "high")],
)
def test_the_reasoning_effort_setting_is_what_is_sent(api, model, effort):
    run_to_end(mistral_settings(api, model=model, reasoning_effort=effort))
    assert api.wait_for_request(CHAT).json["reasoning_effort"] == effort


def test_follow_ups_resend_the_assistant_turn_with_its_thinking_chunk_by_default(api):
    history = [Turn(question=FLAWED, answer=ANSWER, reasoning=REASONING)]

    async def drain() -> None:
        async for _ in DebugRun(mistral_settings(api), "Why can't we cancel x − y?", history=history).events():
            pass

    asyncio.run(drain())
    assistant = api.wait_for_request(CHAT).json["messages"][2]
    assert assistant == {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": [{"type": "text", "text": REASONING}]},
            {"type": "text", "text": ANSWER},
        ],
    }


def test_follow_ups_leave_reasoning_out_when_told_to(api):
    history = [Turn(question=FLAWED, answer=ANSWER, reasoning=REASONING)]

    async def drain() -> None:
        settings = mistral_settings(api, keep_reasoning_in_history=False)
        async for _ in DebugRun(settings, "Why?", history=history).events():
            pass

    asyncio.run(drain())
    assert api.wait_for_request(CHAT).json["messages"][2] == {"role": "assistant", "content": ANSWER}


def test_context_and_vision_come_from_the_model_list_also_for_an_alias(api):
    async def info():
        async with MistralBackend(api.url + "/v1", KEY) as backend:
            return await backend.model_info("mistral-small-2603"), await backend.model_info("magistral-medium-2509")

    small, magistral = asyncio.run(info())
    assert (small.context_tokens, small.vision, small.reasoning_effort) == (131072, True, True)
    assert (magistral.context_tokens, magistral.vision, magistral.reasoning_effort) == (40960, False, False)
    assert small.keeps_reasoning and magistral.keeps_reasoning


# --- what comes out -------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["mistral", "openai"])
@pytest.mark.parametrize("every", [0, 7])
def test_chunk_list_content_comes_out_as_reasoning_then_answer(api, backend, every):
    """The OpenAI-compatible reader takes the chunk list from any server, cut anywhere."""
    from tests.runs import cut_bytes

    events = mistral_sse_events(STREAM)
    api.route("POST", CHAT, Reply(body=cut_bytes(events, every) if every else events))
    model = {"model": "mistral-small-latest"} if backend == "openai" else {}
    _, state = run_to_end(settings_for(api, backend, mistral_api_key=KEY, openai_api_key=KEY, **model))
    assert state.reasoning == REASONING
    assert state.answer == ANSWER
    assert state.verdict is not None and state.verdict.step == 2
    assert (state.usage.prompt_tokens, state.usage.completion_tokens) == (7, len(STREAM))
    assert state.ok


def test_a_thinking_chunk_with_a_plain_string_and_other_chunk_kinds_are_read_too(api):
    stream = [
        [{"type": "thinking", "thinking": "x − y = 0."}],
        [{"type": "reference", "reference_ids": [1]}],
        [text_chunk("Step 5 fails.")],
    ]
    api.route("POST", CHAT, Reply(body=mistral_sse_events(stream)))
    _, state = run_to_end(mistral_settings(api))
    assert (state.reasoning, state.answer) == ("x − y = 0.", "Step 5 fails.")


# --- failures read well ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, said",
    [
        ({"message": "Service tier capacity exceeded for this model."}, "Service tier capacity exceeded"),
        ({"detail": "Internal upstream failure"}, "Internal upstream failure"),
        (
            {
                "object": "error",
                "message": "Prompt blocked by moderation",
                "type": "invalid_request_error",
                "code": "3051",
            },
            "Prompt blocked by moderation",
        ),
        (
            {
                "object": "error",
                "message": {
                    "detail": [
                        {"type": "extra_forbidden", "loc": ["body", "top_k"], "msg": "Extra inputs are not permitted"}
                    ]
                },
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            },
            "body.top_k: Extra inputs are not permitted",
        ),
        (
            {
                "object": "error",
                "message": '{"detail":[{"loc":["body","n"],"msg":"Input should be 1"}]}',
                "type": "internal_error_proxy",
                "code": "1000",
            },
            "body.n: Input should be 1",
        ),
    ],
    ids=["message", "detail", "object-error", "validation-report", "report-as-json-text"],
)
@pytest.mark.parametrize("status", [400, 422, 503])
def test_error_bodies_of_every_shape_are_read_for_the_person(api, body, said, status):
    api.route("POST", CHAT, json_reply(body, status))
    _, state = run_to_end(mistral_settings(api))
    assert state.finish_reason == "error"
    assert said in state.outcome()
    assert "{" not in state.outcome() and "Traceback" not in state.outcome()


def test_a_refused_key_names_the_settings_that_hold_it(api):
    api.route("POST", CHAT, json_reply({"message": "Unauthorized", "request_id": "abc"}, 401))
    _, state = run_to_end(mistral_settings(api))
    assert "MAGISTRAL_MISTRAL_API_KEY" in state.outcome() and "MISTRAL_API_KEY" in state.outcome()
    assert "401" in state.outcome() and KEY not in state.outcome()


def test_the_health_badge_names_the_key_setting_too(api):
    api.route("GET", "/v1/models", json_reply({"message": "Unauthorized"}, 401))
    health = asyncio.run(check_health(make_backend(mistral_settings(api)), ""))
    assert health.state == "unreachable" and "MAGISTRAL_MISTRAL_API_KEY" in health.message


def test_no_key_at_all_is_said_before_anything_is_sent(api):
    _, state = run_to_end(mistral_settings(api, mistral_api_key=""))
    assert state.finish_reason == "error"
    assert "No API key for Mistral's API" in state.outcome() and "MISTRAL_API_KEY" in state.outcome()
    assert api.requests == []


@pytest.mark.parametrize(
    "retry_after, said",
    [
        ("7", "retry in 7 s"),
        ("1.2", "retry in 2 s"),
        (None, "retry in a moment"),
    ],
)
def test_rate_limited_says_how_long_to_wait_from_retry_after(api, retry_after, said):
    headers = {"Retry-After": retry_after} if retry_after else {}
    api.route("POST", CHAT, json_reply({"message": "Requests rate limit exceeded"}, 429, headers))
    _, state = run_to_end(mistral_settings(api))
    assert state.outcome().startswith(f"Rate limited by {api.url}/v1: {said}")
    assert "Requests rate limit exceeded" in state.outcome()


def test_retry_after_as_a_date_is_counted_in_seconds(api):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    api.route("POST", CHAT, json_reply({"message": "Requests rate limit exceeded"}, 429, {"Retry-After": when}))
    _, state = run_to_end(mistral_settings(api))
    seconds = int(state.outcome().split("retry in ")[1].split(" s")[0])
    assert 80 <= seconds <= 91


def test_an_unknown_model_says_which_models_to_try(api):
    api.route(
        "POST",
        CHAT,
        json_reply(
            {
                "object": "error",
                "message": "Invalid model: magistral-large-9999",
                "type": "invalid_model",
                "code": "1500",
            },
            400,
        ),
    )
    _, state = run_to_end(mistral_settings(api, model="magistral-large-9999"))
    assert "no model 'magistral-large-9999'" in state.outcome()
    assert "mistral-large-4-0" in state.outcome() and "vllm" not in state.outcome().lower()


@pytest.mark.parametrize("where", ["no-such-host", "refused"])
def test_without_internet_the_run_says_so_in_one_line(where):
    url = "https://api.mistral.invalid/v1" if where == "no-such-host" else dead_url() + "/v1"
    _, state = run_to_end(
        Settings(_env_file=None, backend="mistral", mistral_base_url=url, mistral_api_key=KEY, connect_timeout=2.0)
    )
    outcome = state.outcome()
    assert state.finish_reason == "error" and "\n" not in outcome
    assert outcome.startswith(f"Cannot reach Mistral's API at {url}: this machine seems to have no internet")


def test_the_cli_runs_against_mistral_and_says_no_internet_in_one_line(api, tmp_path):
    env = child_env(MAGISTRAL_BACKEND="mistral", MAGISTRAL_MISTRAL_BASE_URL=api.url + "/v1", MISTRAL_API_KEY=KEY)
    done = run_cli([FLAWED], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ANSWER + "\n"
    assert REASONING in done.stderr and KEY not in done.stderr + done.stdout
    offline = run_cli([FLAWED], {**env, "MAGISTRAL_MISTRAL_BASE_URL": "https://api.mistral.invalid/v1"}, tmp_path)
    assert offline.returncode == 1 and offline.stdout == ""
    assert offline.stderr.strip().splitlines() == [
        "error: Cannot reach Mistral's API at https://api.mistral.invalid/v1: this machine seems to have no internet "
        "(or a firewall or proxy blocks it). Connect it, or use a local server (Ollama or vLLM)."
    ]
