"""A whole debugging run against a loopback server speaking Ollama's /api/chat NDJSON:
what the server receives, how reasoning and answer come out and how failures read.
Hanging up on the server (Stop, timeouts) is pinned for both backends in test_hang_ups.py."""

from __future__ import annotations

import pytest

from magistral_debugger.engine.run import Ended
from magistral_debugger.events import Answer, Notice, Reasoning
from magistral_debugger.prompting.messages import system_prompt_text, user_message_text
from magistral_debugger.settings import Settings
from tests.loopback import Close, Reply, dead_url, json_reply, ollama_chat_lines, ollama_error
from tests.runs import FLAWED, cut_bytes, run_to_end, settings_for

pytestmark = pytest.mark.model_server(ollama_models=("magistral:latest", "magistral-small-2509:latest"))

THINKING = ["Step 5 divides ", "by x − y, ", "which is 0."]
ANSWER = ["**Step 5** divides by zero: ", "x − y = 0."]


# --- what the server receives -------------------------------------------------------------


def test_request_carries_model_flattened_2509_prompt_options_and_think(srv):
    """Ollama takes string content, so the 2509 thinking chunk travels as the card's
    [THINK]…[/THINK] text; sampling follows the card; think is on for a thinking model."""
    run_to_end(settings_for(srv, model="magistral-small-2509", max_tokens=1234))
    show = srv.wait_for_request("/api/show").json
    assert show["model"] == "magistral-small-2509"
    body = srv.wait_for_request("/api/chat").json
    assert body["model"] == "magistral-small-2509"
    assert body["stream"] is True
    assert body["think"] is True
    assert body["options"] == {"temperature": 0.7, "top_p": 0.95, "num_predict": 1234}
    system, user = body["messages"]
    assert system == {"role": "system", "content": system_prompt_text("2509")}
    assert "[THINK]" in system["content"] and "[/THINK]" in system["content"]
    assert user == {"role": "user", "content": user_message_text(FLAWED)}


def test_library_magistral_gets_the_2506_prompt_and_is_the_default_model(srv):
    run_to_end(settings_for(srv, model=""))
    body = srv.wait_for_request("/api/chat").json
    assert body["model"] == "magistral"
    assert body["messages"][0]["content"] == system_prompt_text("2506")


def test_think_is_left_out_when_the_model_lacks_the_thinking_capability(srv):
    srv.route("POST", "/api/show", json_reply({"capabilities": ["completion"]}))
    run_to_end(settings_for(srv, model="magistral"))
    assert "think" not in srv.wait_for_request("/api/chat").json


def test_server_saying_the_model_does_not_support_thinking_gets_a_retry_without_think(srv):
    """Old Ollama versions or model files list the capability wrongly: run anyway."""
    srv.route(
        "POST",
        "/api/chat",
        [
            ollama_error('"magistral" does not support thinking', status=400),
            Reply(body=ollama_chat_lines(content=["<think>x − y = 0</think>", "Step 5 divides by zero."])),
        ],
    )
    events, state = run_to_end(settings_for(srv, model="magistral"))
    first, second = srv.wait_for_request("/api/chat").json, srv.wait_for_request("/api/chat").json
    assert first["think"] is True and "think" not in second
    assert any(isinstance(e, Notice) and "does not support thinking" in e.message for e in events)
    assert (state.reasoning, state.answer, state.finish_reason) == ("x − y = 0", "Step 5 divides by zero.", "stop")


# --- what comes out ------------------------------------------------------------------------


def test_reasoning_from_message_thinking_and_answer_from_content_with_server_token_counts(srv):
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(THINKING, ANSWER, eval_count=42, prompt_eval_count=99)))
    events, state = run_to_end(settings_for(srv, model="magistral"))
    assert state.reasoning == "".join(THINKING)
    assert state.answer == "".join(ANSWER)
    kinds = [type(e) for e in events]
    assert kinds.index(Answer) > max(i for i, k in enumerate(kinds) if k is Reasoning)
    assert kinds[-1] is Ended
    assert state.finish_reason == "stop" and state.ok and state.outcome() == "Finished."
    assert (state.usage.prompt_tokens, state.usage.completion_tokens) == (99, 42)
    assert state.reasoning_tokens() + state.answer_tokens() == 42
    assert state.time_to_first_token() is not None


@pytest.mark.parametrize("every", [1, 5, 13])
def test_inline_think_tags_and_lines_cut_at_any_byte_still_split_cleanly(srv, every):
    """The library magistral prints <think> inside content; TCP may cut lines, tags and
    multi-byte characters anywhere."""
    lines = ollama_chat_lines(
        content=["<thi", "nk>\nx − y = 0, so", " step 5 fails</th", "ink>\n\nStep 5 ", "divides by 0."]
    )
    srv.route("POST", "/api/chat", Reply(body=cut_bytes(lines, every)))
    _, state = run_to_end(settings_for(srv, model="magistral"))
    assert state.reasoning == "x − y = 0, so step 5 fails"
    assert state.answer == "Step 5 divides by 0."
    for text in (state.reasoning, state.answer):
        assert "think" not in text and "<" not in text


def test_out_of_tokens_while_thinking_says_so_and_keeps_reasoning_out_of_the_answer(srv):
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(THINKING, [], done_reason="length")))
    _, state = run_to_end(settings_for(srv, model="magistral", max_tokens=3))
    assert state.finish_reason == "length"
    assert state.answer == "" and state.reasoning == "".join(THINKING)
    assert "ran out of tokens while thinking" in state.outcome().lower()
    assert "3" in state.outcome()


# --- failures read well ---------------------------------------------------------------------


def test_missing_model_says_how_to_pull_it(srv):
    _, state = run_to_end(settings_for(srv, model="magistral:24b-small-2509-q8_0"))
    assert state.finish_reason == "error"
    assert "ollama pull magistral:24b-small-2509-q8_0" in state.outcome()


def test_missing_model_reported_by_the_chat_endpoint_says_how_to_pull_it(srv):
    srv.route("POST", "/api/show", json_reply({"capabilities": ["completion", "thinking"]}))
    srv.route("POST", "/api/chat", ollama_error('model "magistral:q9" not found, try pulling it first'))
    _, state = run_to_end(settings_for(srv, model="magistral:q9"))
    assert state.finish_reason == "error"
    assert "ollama pull magistral:q9" in state.outcome()


def test_error_line_mid_stream_ends_the_run_with_the_servers_message_and_keeps_partial_output(srv):
    lines = ollama_chat_lines(
        THINKING[:2], error="an error was encountered while running the model: CUDA out of memory"
    )
    srv.route("POST", "/api/chat", Reply(body=lines))
    _, state = run_to_end(settings_for(srv, model="magistral"))
    assert state.finish_reason == "error"
    assert "CUDA out of memory" in state.outcome()
    assert state.reasoning == "".join(THINKING[:2])


@pytest.mark.parametrize("reset", [False, True])
def test_connection_dropped_mid_stream_is_an_error_that_keeps_what_arrived(srv, reset):
    lines = ollama_chat_lines(THINKING, ANSWER)
    srv.route("POST", "/api/chat", Reply(body=[*lines[:2], Close(reset=reset)]))
    _, state = run_to_end(settings_for(srv, model="magistral"))
    assert state.finish_reason == "error"
    assert srv.url in state.outcome()
    assert state.reasoning == "".join(THINKING[:2])


def test_connection_refused_names_the_url_and_how_to_start_ollama():
    url = dead_url()
    _, state = run_to_end(Settings(_env_file=None, backend="ollama", ollama_url=url, model="magistral"))
    assert state.finish_reason == "error"
    assert url in state.outcome() and "ollama serve" in state.outcome()
    assert "Traceback" not in state.outcome()
