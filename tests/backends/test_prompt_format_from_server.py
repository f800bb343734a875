"""The prompt format is asked of the server before the model's name is read, and the run says
so where the server overruled the name: vLLM's /tokenize (is [THINK] one control token?),
/v1/models' root (the checkpoint behind an alias), Ollama's /api/show template. What each
family needs follows the same evidence: reasoning_effort only where the model takes it,
reasoning kept in follow-ups where its makers say so, no think for an Ollama model without
the capability."""

from __future__ import annotations

import asyncio

import pytest

from magistral_debugger.backends import OpenAICompatBackend
from magistral_debugger.engine.run import DebugRun
from magistral_debugger.events import AnswerWasReasoning, Notice
from magistral_debugger.prompting.messages import Turn, build_messages, system_prompt_text
from tests.loopback import (
    ModelServer,
    Reply,
    json_reply,
    ollama_chat_lines,
    ollama_error,
    vllm_tokenize,
)
from tests.runs import FLAWED, run_to_end, settings_for

CHAT = "/v1/chat/completions"
THINK_NOTICE = "[THINK] prompt for magistral: the server's tokenizer has think tokens."


def system_of(body: dict) -> dict:
    return body["messages"][0]


def has_think_chunk(body: dict) -> bool:
    content = system_of(body)["content"]
    return isinstance(content, list) and any(chunk.get("type") == "thinking" for chunk in content)


def format_notices(events: list) -> list[str]:
    return [e.message for e in events if isinstance(e, Notice) and " prompt for " in e.message]


# --- vLLM: /tokenize and /v1/models' root ------------------------------------------------------


def test_an_alias_that_hides_the_version_gets_the_think_prompt_when_the_tokenizer_has_think_tokens():
    with ModelServer(openai_model="magistral") as srv:
        srv.route("POST", "/tokenize", vllm_tokenize(think_tokens=True))
        events, state = run_to_end(settings_for(srv, "openai", openai_api_key="tokenize-key"))
        probe = srv.wait_for_request("/tokenize")
        body = srv.wait_for_request(CHAT).json
    assert probe.json["model"] == "magistral" and probe.json["return_token_strs"] is True
    assert any(chunk.get("type") == "thinking" for chunk in probe.json["messages"][0]["content"])
    assert probe.headers["authorization"] == "Bearer tokenize-key"  # vLLM's --api-key guards /tokenize too
    assert has_think_chunk(body)
    assert format_notices(events) == [THINK_NOTICE] and THINK_NOTICE in state.notices
    assert state.ok


def test_a_tokenizer_without_think_tokens_gets_the_plain_prompt_whatever_the_name_says():
    with ModelServer(openai_model="magistral-small-2509-served") as srv:
        srv.route("POST", "/tokenize", vllm_tokenize(think_tokens=False))
        events, _ = run_to_end(settings_for(srv, "openai"))
        body = srv.wait_for_request(CHAT).json
    assert system_of(body) == {"role": "system", "content": system_prompt_text("2506")}
    assert format_notices(events) == [
        "<think> prompt for magistral-small-2509-served: the server's tokenizer has no think tokens."
    ]


def test_without_a_tokenizer_endpoint_the_checkpoint_behind_the_alias_decides_and_brings_vision():
    root = "/models/mistralai/Magistral-Small-2509"
    with ModelServer(openai_model="magistral", openai_root=root) as srv:  # no /tokenize: a 404, as llama.cpp
        events, _ = run_to_end(settings_for(srv, "openai"))
        body = srv.wait_for_request(CHAT).json

        async def info():
            async with OpenAICompatBackend(srv.url + "/v1") as backend:
                return await backend.model_info("magistral")

        vision = asyncio.run(info()).vision
    assert has_think_chunk(body)
    assert format_notices(events) == [f"[THINK] prompt for magistral: the server loaded {root}."]
    assert vision  # Magistral Small 1.2 reads photos, whatever it is called


def test_nothing_is_said_where_the_server_agrees_with_the_name(srv):
    srv.route("POST", "/tokenize", vllm_tokenize(think_tokens=True))
    events, _ = run_to_end(settings_for(srv, "openai"))  # Magistral-Small-2509
    assert has_think_chunk(srv.wait_for_request(CHAT).json)
    assert format_notices(events) == []


def test_the_prompt_format_setting_beats_the_server():
    with ModelServer(openai_model="magistral") as srv:
        srv.route("POST", "/tokenize", vllm_tokenize(think_tokens=True))
        events, _ = run_to_end(settings_for(srv, "openai", model_version="2506"))
        body = srv.wait_for_request(CHAT).json
    assert system_of(body)["content"] == system_prompt_text("2506")
    assert format_notices(events) == []


def test_the_tokenizer_is_asked_once_per_server_and_model_but_a_failing_one_again():
    with ModelServer(openai_model="magistral") as srv:
        srv.route("POST", "/tokenize", [json_reply({"error": "busy"}, 503), vllm_tokenize(think_tokens=True)])
        first, _ = run_to_end(settings_for(srv, "openai"))
        second, _ = run_to_end(settings_for(srv, "openai"))
        third, _ = run_to_end(settings_for(srv, "openai"))
        probes = [r for r in srv.requests if r.path == "/tokenize"]
        chats = [r.json for r in srv.requests if r.path == CHAT]
    assert len(probes) == 2  # the 503 was not kept; the answer after it was
    assert [has_think_chunk(body) for body in chats] == [False, True, True]
    assert [format_notices(events) for events in (first, second, third)] == [[], [THINK_NOTICE], [THINK_NOTICE]]


# --- reasoning_effort and reasoning in follow-ups, by family -----------------------------------


@pytest.mark.parametrize(
    "served, root, effort, sent",
    [
        ("small4", "mistralai/Mistral-Small-4-119B-2603", "high", "high"),
        ("small4", "mistralai/Mistral-Small-4-119B-2603", "none", "none"),
        ("large4", "mistralai/Mistral-Large-4-1T-A52B", "low", "low"),
        ("mistralai/Mistral-Medium-3.5", None, "high", "high"),
        ("mistralai/Magistral-Small-2509", None, "high", None),
        ("mistralai/Ministral-3-14B-Reasoning-2512", None, "high", None),
    ],
)
def test_reasoning_effort_is_sent_only_to_models_that_take_it(served, root, effort, sent):
    with ModelServer(openai_model=served, openai_root=root) as srv:
        run_to_end(settings_for(srv, "openai", reasoning_effort=effort))
        body = srv.wait_for_request(CHAT).json
    assert body.get("reasoning_effort") == sent


MINISTRAL = "mistralai/Ministral-3-14B-Reasoning-2512"
TURN = Turn(question=FLAWED, answer="Step 2 divides by zero.", reasoning="x − y = 0, so step 2 fails.")


@pytest.mark.parametrize("setting, kept", [("auto", True), ("false", False)])
def test_ministral_3_reasoning_keeps_its_reasoning_in_follow_ups_unless_told_not_to(setting, kept):
    """Its card: append the reasoning system prompt, keep reasoning traces in multi-turn context."""
    with ModelServer(openai_model=MINISTRAL) as srv:
        settings = settings_for(srv, "openai", keep_reasoning_in_history=setting)

        async def drain() -> None:
            async for _ in DebugRun(settings, "Why?", history=[TURN]).events():
                pass

        asyncio.run(drain())
        body = srv.wait_for_request(CHAT).json
    assert has_think_chunk(body)  # the [THINK] prompt, from its name alone
    assert body["messages"] == build_messages("Why?", "2509", history=[TURN], keep_reasoning=kept)


# --- Ollama: /api/show's template and capabilities --------------------------------------------


def show(template: str, capabilities: list[str]) -> Reply:
    return json_reply({"template": template, "capabilities": capabilities, "details": {"family": "mistral3"}})


TEMPLATE_OPENING_THINK = "{{- range .Messages }}[INST]{{ .Content }}[/INST]{{ end }}[THINK]"


def test_an_ollama_template_that_opens_the_think_block_gives_the_think_prompt_and_the_split_still_holds(srv):
    """No thinking capability: no think. The template writes [THINK] itself, so the reply
    is reasoning until its closing tag: the page moves it to the reasoning pane."""
    srv.route("POST", "/api/show", show(TEMPLATE_OPENING_THINK, ["completion"]))
    srv.route(
        "POST",
        "/api/chat",
        Reply(
            body=ollama_chat_lines(
                content=["x − y = 0, so step 2 ", "divides by zero.[/TH", "INK]Step 2 divides by zero."]
            )
        ),
    )
    events, state = run_to_end(settings_for(srv, model="magistral"))
    body = srv.wait_for_request("/api/chat").json
    assert "think" not in body
    assert system_of(body)["content"] == system_prompt_text("2507")  # [THINK] as Ollama tokenizes it
    assert format_notices(events) == ["[THINK] prompt for magistral: its Ollama template writes [THINK] tags."]
    assert any(isinstance(e, AnswerWasReasoning) for e in events)
    assert (state.reasoning, state.answer) == ("x − y = 0, so step 2 divides by zero.", "Step 2 divides by zero.")


def test_an_ollama_model_without_the_thinking_capability_runs_without_think_and_says_so():
    """The library ministral-3 is Ministral 3 Instruct: asked to think, Ollama answers 400."""
    with ModelServer(ollama_models=("ministral-3:latest",)) as srv:
        srv.route("POST", "/api/show", show("{{ .Prompt }}", ["completion", "vision", "tools"]))
        srv.route(
            "POST", "/api/chat", Reply(body=ollama_chat_lines(content=["Step 2 divides by zero."], model="ministral-3"))
        )
        events, state = run_to_end(settings_for(srv, model="ministral-3"))
        body = srv.wait_for_request("/api/chat").json
    assert "think" not in body
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert notices == [
        f"The server at {srv.url} says ministral-3 has no thinking mode: it runs without it (reasoning it writes "
        "between think tags still goes to the reasoning pane)."
    ]
    assert state.ok and state.answer == "Step 2 divides by zero." and state.reasoning == ""


def test_an_ollama_model_that_lists_thinking_but_refuses_think_is_run_again_without_it():
    with ModelServer(ollama_models=("ministral-3:latest",)) as srv:
        srv.route(
            "POST",
            "/api/chat",
            [
                ollama_error("registry.ollama.ai/library/ministral-3:latest does not support thinking", status=400),
                Reply(body=ollama_chat_lines(content=["Step 2 divides by zero."], model="ministral-3")),
            ],
        )
        events, state = run_to_end(settings_for(srv, model="ministral-3"))
        first, second = srv.wait_for_request("/api/chat").json, srv.wait_for_request("/api/chat").json
    assert first["think"] is True and "think" not in second
    assert any(isinstance(e, Notice) and "does not support thinking" in e.message for e in events)
    assert state.ok and state.answer == "Step 2 divides by zero."
