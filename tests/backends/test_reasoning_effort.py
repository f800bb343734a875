"""Reasoning effort on the wire, against loopback servers speaking each shape: Mistral's API with
its chunk lists for Large 4 (low / medium / high, thinks by default) and Small 4 (none / high,
and its HTTP 400 for a level it does not take), Ollama's ``/api/show`` with and without
``thinking.values``, and vLLM's ``reasoning`` field. The request carries exactly the accepted
effort, or none; a level the model does not take never leaves the app, and a server's refusal
is said in words, never a traceback."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from magistral_debugger.engine.run import DebugRun
from magistral_debugger.events import Notice
from tests.loopback import (
    Hold,
    ModelServer,
    Reply,
    json_reply,
    mistral_models,
    mistral_sse_events,
    ollama_chat_lines,
    openai_sse_events,
    text_chunk,
    thinking_chunk,
)
from tests.runs import FLAWED, run_to_end, settings_for

KEY = "mistral-loopback-key-0123456789"
CHAT = "/v1/chat/completions"
THINKING = [[thinking_chunk("Step 5 divides by x − y, ")], [thinking_chunk("which is 0."), text_chunk("Step 5 ")]]
ANSWERED = [*THINKING, "divides by zero.\nFlawed step: 5 (division by zero)"]
# What Mistral's API answers Small 4 when asked for a level it lacks (seen by SmartHopper #647).
SMALL_4_REFUSAL = {
    "object": "error",
    "message": "reasoning_effort='medium' is not supported for this model. Must be one of "
    "(<ReasoningEffort.none: 'none'>, <ReasoningEffort.high: 'high'>)",
    "type": "invalid_request_invalid_args",
    "param": None,
    "code": "3051",
    "raw_status_code": 400,
}


def mistral_api(srv: ModelServer) -> ModelServer:
    srv.route("GET", "/v1/models", mistral_models({"id": "mistral-large-4-0"}, {"id": "mistral-small-latest"}))
    srv.route("POST", CHAT, Reply(body=mistral_sse_events(ANSWERED)))
    return srv


def on_mistral(srv: ModelServer, **overrides):
    return settings_for(srv, "mistral", mistral_api_key=KEY, **overrides)


def chat_requests(srv: ModelServer, path: str = CHAT) -> list[dict]:
    return [r.json for r in srv.requests if r.path == path]


# --- Mistral's API: Large 4 and Small 4 -------------------------------------------------------


@pytest.mark.parametrize(
    "model, asked, sent",
    [
        ("mistral-large-4-0", "auto", "high"),
        ("mistral-large-4-0", "low", "low"),
        ("mistral-large-4-0", "medium", "medium"),
        ("mistral-large-4-0", "high", "high"),
        ("mistral-small-latest", "auto", "high"),
        ("mistral-small-latest", "none", "none"),
        ("mistral-small-latest", "high", "high"),
    ],
)
def test_mistral_api_gets_exactly_the_level_asked_where_the_model_takes_it(srv, model, asked, sent):
    _, state = run_to_end(on_mistral(mistral_api(srv), model=model, reasoning_effort=asked))
    assert [body["reasoning_effort"] for body in chat_requests(srv)] == [sent]
    assert state.ok and state.effort == sent


@pytest.mark.parametrize(
    "model, asked, taken",
    [
        ("mistral-small-latest", "medium", "none, high"),
        ("mistral-small-latest", "low", "none, high"),
        ("mistral-medium-3-5", "medium", "none, high"),
        ("mistral-large-4-0", "none", "low, medium, high"),
    ],
)
def test_a_level_the_model_does_not_take_is_refused_before_any_request(srv, model, asked, taken):
    _, state = run_to_end(on_mistral(mistral_api(srv), model=model, reasoning_effort=asked))
    assert chat_requests(srv) == []
    assert state.finish_reason == "error"
    assert f"takes reasoning effort {taken}, not {asked}" in state.outcome()
    assert "Traceback" not in state.outcome()


def test_small_4_refusing_an_effort_is_said_as_such_with_the_servers_words(srv):
    """Were Mistral to refuse a level the app believes Small 4 takes, the person reads which
    effort was refused and what to do, with Mistral's own words."""
    mistral_api(srv).route("POST", CHAT, json_reply(SMALL_4_REFUSAL, 400))
    _, state = run_to_end(on_mistral(srv, model="mistral-small-latest", reasoning_effort="high"))
    outcome = state.outcome()
    assert state.finish_reason == "error"
    assert "refused the reasoning effort asked of mistral-small-latest" in outcome
    assert "Must be one of" in outcome and "--effort" in outcome
    assert "Traceback" not in outcome and KEY not in outcome


def test_effort_none_on_small_4_answers_without_a_reasoning_pane_and_says_so(srv):
    mistral_api(srv).route("POST", CHAT, Reply(body=mistral_sse_events(["Step 5 divides by zero."])))
    events, state = run_to_end(on_mistral(srv, model="mistral-small-latest", reasoning_effort="none"))
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert "Reasoning effort none: mistral-small-latest answers without thinking" in " ".join(notices)
    assert state.ok and state.reasoning == "" and state.effort == "none"


@pytest.mark.parametrize(
    "model, replacement",
    [("magistral-medium-2509", "mistral-medium-3-5")] + [("magistral-small-latest", "mistral-small-latest")],
)
def test_a_deprecated_magistral_name_still_runs_and_names_its_replacement(srv, model, replacement):
    events, state = run_to_end(on_mistral(mistral_api(srv), model=model))
    assert [body["model"] for body in chat_requests(srv)] == [model]
    assert "reasoning_effort" not in chat_requests(srv)[0]  # Magistral always thinks
    said = " ".join(e.message for e in events if isinstance(e, Notice))
    assert f"{model} is deprecated" in said and replacement in said
    assert state.ok


def test_an_effort_asked_of_a_model_that_takes_none_is_not_sent_and_the_run_says_so(srv):
    events, state = run_to_end(on_mistral(mistral_api(srv), model="magistral-medium-2509", reasoning_effort="low"))
    assert "reasoning_effort" not in chat_requests(srv)[0]
    said = " ".join(e.message for e in events if isinstance(e, Notice))
    assert "takes no reasoning effort here, so low was not sent" in said
    assert state.ok and state.effort is None


# --- Ollama: /api/show with and without thinking.values -------------------------------------


def ollama_show(thinking: dict | None, model: str = "magistral:latest") -> Reply:
    body: dict = {
        "template": "{{ .Prompt }}",
        "capabilities": ["completion", "thinking"],
        "model_info": {"llama.context_length": 131072},
    }
    if thinking is not None:
        body["thinking"] = thinking
    return json_reply(body)


def think_sent(srv: ModelServer) -> list:
    return [body.get("think", "left out") for body in chat_requests(srv, "/api/chat")]


@pytest.mark.parametrize(
    "values, default, asked, sent",
    [
        (["low", "medium", "high"], "medium", "auto", "high"),
        (["low", "medium", "high"], "medium", "low", "low"),
        ([False, "low", "medium", "high"], "medium", "none", False),
        ([False, True], False, "auto", True),
        ([False, True], False, "high", True),
        ([False, True], True, "none", False),
    ],
)
def test_ollama_gets_the_level_its_api_show_lists_as_think(srv, values, default, asked, sent):
    srv.route("POST", "/api/show", ollama_show({"values": values, "default": default}))
    _, state = run_to_end(settings_for(srv, "ollama", reasoning_effort=asked))
    assert think_sent(srv) == [sent]
    assert state.ok and state.effort == ("none" if sent is False else "high" if sent is True else sent)


def test_ollama_refuses_a_level_its_api_show_does_not_list_before_sending(srv):
    srv.route("POST", "/api/show", ollama_show({"values": ["low", "medium", "high"], "default": "medium"}))
    _, state = run_to_end(settings_for(srv, "ollama", reasoning_effort="none"))
    assert think_sent(srv) == []
    assert "takes reasoning effort low, medium, high, not none" in state.outcome()


def test_ollama_without_thinking_values_thinks_as_before_and_sends_no_level(srv):
    srv.route("POST", "/api/show", ollama_show(None))
    events, state = run_to_end(settings_for(srv, "ollama", reasoning_effort="medium"))
    assert think_sent(srv) == [True]
    assert "so medium was not sent" in " ".join(e.message for e in events if isinstance(e, Notice))
    assert state.ok and state.effort is None


def test_ollama_refusing_a_level_says_which_effort_it_refused(srv):
    srv.route("POST", "/api/show", ollama_show({"values": ["low", "high"], "default": "low"}))
    srv.route("POST", "/api/chat", json_reply({"error": 'invalid think value "low" for this model'}, 400))
    _, state = run_to_end(settings_for(srv, "ollama", reasoning_effort="low"))
    assert state.finish_reason == "error"
    assert "refused the reasoning effort asked of magistral" in state.outcome()
    assert "invalid think value" in state.outcome()


def test_effort_none_on_ollama_streams_no_thinking_and_says_so(srv):
    srv.route("POST", "/api/show", ollama_show({"values": [False, True], "default": True}))
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(content=["Step 5 divides by zero."])))
    events, state = run_to_end(settings_for(srv, "ollama", reasoning_effort="none"))
    assert think_sent(srv) == [False]
    assert any(isinstance(e, Notice) and e.message.key == "effort_none_no_thinking" for e in events)
    assert state.reasoning == "" and state.ok


def test_stop_before_the_first_token_on_ollama_says_it_may_go_on_reading_the_prompt(srv):
    release = threading.Event()
    srv.route("POST", "/api/chat", Reply(body=[Hold(release), *ollama_chat_lines(["x"], ["y"])]))
    state = _stopped_before_first_token(settings_for(srv, "ollama"), srv, "/api/chat")
    release.set()
    assert state.finish_reason == "cancelled"
    assert "ollama#11889" in state.outcome() and "before the first token" in state.outcome()


def test_stop_before_the_first_token_on_vllm_says_nothing_more(srv):
    release = threading.Event()
    srv.route("POST", CHAT, Reply(body=[Hold(release), *openai_sse_events(["x"], ["y"])]))
    state = _stopped_before_first_token(settings_for(srv, "openai"), srv, CHAT)
    release.set()
    assert state.finish_reason == "cancelled" and state.outcome() == "Stopped by you."


def _stopped_before_first_token(settings, srv: ModelServer, path: str):
    async def go():
        run = DebugRun(settings, FLAWED)

        async def consume() -> None:
            async for _ in run.events():
                pass

        run._task = task = asyncio.create_task(consume())  # as live_snapshots drives a page's run
        await asyncio.to_thread(srv.wait_for_request, path, 10)
        run.cancel()  # the page's Stop
        with pytest.raises(asyncio.CancelledError):
            await task
        return run.state

    return asyncio.run(asyncio.wait_for(go(), 30))


# --- vLLM: the family decides, reasoning in the `reasoning` field -----------------------------


@pytest.mark.parametrize(
    "served, asked, sent",
    [
        ("mistralai/Mistral-Large-4-1T-A52B", "medium", "medium"),
        ("mistralai/Mistral-Large-4-1T-A52B", "auto", "high"),
        ("mistralai/Mistral-Small-4-119B-2603", "none", "none"),
        ("mistralai/Magistral-Small-2509", "auto", None),
    ],
)
def test_vllm_gets_the_familys_level_and_its_reasoning_field_is_read(served, asked, sent):
    with ModelServer(openai_model=served) as srv:
        srv.route(
            "POST",
            CHAT,
            Reply(body=openai_sse_events(["x − y = 0"], ["Step 5.\nFlawed step: 5 (division by zero)"], model=served)),
        )
        _, state = run_to_end(settings_for(srv, "openai", reasoning_effort=asked))
        body = srv.wait_for_request(CHAT).json
    assert body.get("reasoning_effort") == sent
    assert state.reasoning == "x − y = 0" and state.ok and state.effort == sent


def test_the_thinking_budget_keeps_the_effort_in_its_continuation():
    """The budget cuts the thinking at every level: the continuation that answers from the
    reasoning so far asks for the same effort as the run."""
    served = "mistralai/Mistral-Large-4-1T-A52B"
    with ModelServer(openai_model=served) as srv:
        release = threading.Event()
        first = openai_sse_events(["Step 5 divides by x − y"], [], finish_reason=None, usage=None, done=False)
        srv.route(
            "POST",
            CHAT,
            [
                Reply(body=[*first, Hold(release)]),
                Reply(body=openai_sse_events([], ["Step 5 divides by zero."], model=served)),
            ],
        )
        _, state = run_to_end(settings_for(srv, "openai", reasoning_effort="low", thinking_budget=0.2))
        release.set()
        bodies = chat_requests(srv)
    assert [body.get("reasoning_effort") for body in bodies] == ["low", "low"]
    assert bodies[1].get("continue_final_message") is True
    assert state.answer.startswith("Step 5 divides by zero") and state.effort == "low"


def test_a_recording_says_the_effort_its_run_sent(srv, tmp_path):
    mistral_api(srv)
    run_to_end(on_mistral(srv, model="mistral-small-latest", reasoning_effort="none", record_dir=str(tmp_path)))
    (path,) = tmp_path.glob("*.jsonl")
    header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert header["request"]["reasoning_effort"] == "none"
