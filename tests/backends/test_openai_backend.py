"""A whole debugging run against a loopback server speaking vLLM's OpenAI-compatible
SSE: the thinking chunk and sampling it receives, every place reasoning can arrive,
token counts, context fitting and errors in both shapes. Hanging up on the server (Stop,
timeouts) is pinned for both backends in test_hang_ups.py."""

from __future__ import annotations

import pytest

from magistral_debugger.engine.context_fit import PROMPT_TOKEN_ALLOWANCE
from magistral_debugger.events import Notice
from magistral_debugger.prompting.messages import estimate_tokens, user_message_text
from magistral_debugger.settings import Settings
from tests.loopback import Close, ModelServer, Reply, dead_url, openai_error, openai_sse_events, sse_error
from tests.runs import FLAWED, cut_bytes, run_to_end, settings_for

pytestmark = pytest.mark.model_server(max_model_len=131072)

MODEL = "mistralai/Magistral-Small-2509"
REASONING = ["Step 5 divides ", "by x − y, ", "which is 0."]
ANSWER = ["**Step 5** divides by zero: ", "x − y = 0."]
CHAT = "/v1/chat/completions"


def openai_settings(server: ModelServer, **overrides) -> Settings:
    return settings_for(server, "openai", **{"model": MODEL, **overrides})


# --- what the server receives -------------------------------------------------------------


def test_request_carries_the_thinking_chunk_sampling_and_usage_option(srv):
    """vLLM's mistral tokenizer encodes a thinking chunk as the [THINK] special tokens;
    sent as text they would be spelled out and the model would not think the same way."""
    run_to_end(openai_settings(srv, max_tokens=2048))
    received = srv.wait_for_request(CHAT)
    body = received.json
    assert body["model"] == MODEL
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert (body["temperature"], body["top_p"], body["max_tokens"]) == (0.7, 0.95, 2048)
    system, user = body["messages"]
    assert system["role"] == "system"
    thinking = [chunk for chunk in system["content"] if chunk["type"] == "thinking"]
    assert len(thinking) == 1 and thinking[0]["closed"] is True
    assert thinking[0]["thinking"].startswith("Your thoughts or/and draft")
    assert "[THINK]" not in str(system) and "[/THINK]" not in str(system)
    assert user == {"role": "user", "content": user_message_text(FLAWED)}
    assert received.headers["authorization"] == "Bearer EMPTY"


def test_api_key_goes_only_in_the_authorization_header(srv):
    key = "sk-loopback-secret"
    events, state = run_to_end(openai_settings(srv, openai_api_key=key))
    received = srv.wait_for_request(CHAT)
    assert received.headers["authorization"] == f"Bearer {key}"
    assert key not in received.body.decode()
    assert key not in repr(events)


def test_default_model_is_the_first_one_the_server_lists(srv):
    _, state = run_to_end(settings_for(srv, "openai", model=""))
    assert srv.wait_for_request(CHAT).json["model"] == MODEL
    assert state.model == MODEL and state.ok


def test_max_tokens_is_lowered_to_fit_the_servers_context_with_a_notice():
    """Asking for more than max_model_len would get a 400; fit it and say so instead. What
    is sent must leave room for the prompt: the prompt (as the app sizes it) plus max tokens
    fit the server's context, and the request is not cut to a fraction of what fits."""
    with ModelServer(openai_model=MODEL, max_model_len=8192) as server:
        events, state = run_to_end(openai_settings(server, max_tokens=40960))
        body = server.wait_for_request(CHAT).json
    sent, prompt = body["max_tokens"], estimate_tokens(body["messages"])
    assert prompt > PROMPT_TOKEN_ALLOWANCE  # so a fit that forgot the prompt would overflow
    assert prompt + sent <= 8192, (prompt, sent)
    assert sent >= 8192 - prompt - 2 * PROMPT_TOKEN_ALLOWANCE, (prompt, sent)
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert len(notices) == 1 and "40,960" in notices[0] and "8,192" in notices[0] and f"{sent:,}" in notices[0]
    assert state.notices == notices and state.ok


def test_max_tokens_that_fit_are_sent_unchanged_without_a_notice(srv):
    events, _ = run_to_end(openai_settings(srv, max_tokens=40960))
    assert srv.wait_for_request(CHAT).json["max_tokens"] == 40960
    assert not any(isinstance(e, Notice) for e in events)


# --- what comes out ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reasoning_field",
    ["reasoning", "reasoning_content"],
    ids=["vllm-0.11-reasoning", "older-reasoning_content"],
)
def test_reasoning_field_and_content_come_out_split_with_server_token_counts(srv, reasoning_field):
    usage = {
        "prompt_tokens": 512,
        "completion_tokens": 40,
        "total_tokens": 552,
        "completion_tokens_details": {"reasoning_tokens": 30},
    }
    events = openai_sse_events(REASONING, ANSWER, reasoning_field=reasoning_field, usage=usage, model=MODEL)
    srv.route("POST", CHAT, Reply(body=events))
    _, state = run_to_end(openai_settings(srv))
    assert state.reasoning == "".join(REASONING)
    assert state.answer == "".join(ANSWER)
    assert state.finish_reason == "stop" and state.ok
    assert (state.usage.prompt_tokens, state.usage.completion_tokens, state.usage.reasoning_tokens) == (512, 40, 30)
    assert (state.reasoning_tokens(), state.answer_tokens()) == (30, 10)


@pytest.mark.parametrize(
    "content",
    [
        ["[THINK]Step 5 ", "divides by x − y[/TH", "INK]", "Step 5 divides by zero."],
        ["<think>\nStep 5 ", "divides by x − y</", "think>\n\n", "Step 5 divides by zero."],
        ["Step 5 divides ", "by x − y[/THINK]Step 5 divides by zero."],  # template opened the block
    ],
    ids=["inline-THINK", "inline-think", "closing-tag-only"],
)
@pytest.mark.parametrize("every", [0, 3])
def test_inline_tags_without_a_reasoning_parser_are_split_and_never_shown(srv, content, every):
    """A server running no reasoning parser sends the tags in content, cut anywhere."""
    events = openai_sse_events(content=content, reasoning_field=None, model=MODEL)
    srv.route("POST", CHAT, Reply(body=cut_bytes(events, every) if every else events))
    _, state = run_to_end(openai_settings(srv))
    assert state.reasoning == "Step 5 divides by x − y"
    assert state.answer == "Step 5 divides by zero."
    assert state.ok


def test_out_of_tokens_while_thinking_says_so_and_keeps_reasoning_out_of_the_answer(srv):
    events = openai_sse_events(REASONING, [], finish_reason="length", model=MODEL)
    srv.route("POST", CHAT, Reply(body=events))
    _, state = run_to_end(openai_settings(srv, max_tokens=3))
    assert state.finish_reason == "length"
    assert state.answer == "" and state.reasoning == "".join(REASONING)
    assert "ran out of tokens while thinking" in state.outcome().lower()


def test_answer_cut_at_the_token_limit_says_so(srv):
    srv.route("POST", CHAT, Reply(body=openai_sse_events(REASONING, ANSWER[:1], finish_reason="length", model=MODEL)))
    _, state = run_to_end(openai_settings(srv))
    assert state.finish_reason == "length" and state.answer == ANSWER[0]
    assert "cut off" in state.outcome()


# --- failures read well ---------------------------------------------------------------------


@pytest.mark.parametrize("flat", [False, True], ids=["nested-error", "flat-older-vllm-error"])
def test_unknown_model_shows_the_servers_message_and_how_to_serve_one(srv, flat):
    srv.route("POST", CHAT, openai_error("The model `magistral-typo` does not exist.", flat=flat))
    _, state = run_to_end(openai_settings(srv, model="magistral-typo"))
    assert state.finish_reason == "error"
    assert "The model `magistral-typo` does not exist" in state.outcome()
    assert "vllm serve" in state.outcome()


def test_error_event_mid_stream_ends_the_run_with_the_servers_message_and_keeps_partial_output(srv):
    events = openai_sse_events(REASONING[:2], [], finish_reason=None, usage=None, done=False, model=MODEL)
    srv.route("POST", CHAT, Reply(body=[*events, sse_error("CUDA out of memory. Tried to allocate 2.00 GiB")]))
    _, state = run_to_end(openai_settings(srv))
    assert state.finish_reason == "error"
    assert "CUDA out of memory" in state.outcome()
    assert state.reasoning == "".join(REASONING[:2])


def test_stream_cut_before_the_finish_is_an_error_that_keeps_what_arrived(srv):
    events = openai_sse_events(REASONING, ANSWER, model=MODEL)
    srv.route("POST", CHAT, Reply(body=[*events[:3], Close()]))
    _, state = run_to_end(openai_settings(srv))
    assert state.finish_reason == "error"
    assert srv.url in state.outcome()
    assert state.reasoning == "".join(REASONING)


def test_connection_refused_names_the_url_and_how_to_start_vllm():
    url = dead_url() + "/v1"
    settings = Settings(_env_file=None, backend="openai", openai_base_url=url, model=MODEL, connect_timeout=2.0)
    _, state = run_to_end(settings)
    assert state.finish_reason == "error"
    assert url in state.outcome() and "vllm serve" in state.outcome()
