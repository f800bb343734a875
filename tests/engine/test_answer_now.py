""" "Answer now" and the thinking budget through a whole run, on both backends against loopback
servers: the reasoning stream is hung up on, a continuation asks the model to answer from the
reasoning so far (its own turn, closed, continued; or, on Ollama templates that cannot continue
a turn, a second turn), the reasoning keeps what came before, the answer fills, the verdict is
read and the stats count both parts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from magistral_debugger.backends.ollama import template_continues_last_turn
from magistral_debugger.engine.run import DebugRun, Ended, Focused, Judged
from magistral_debugger.engine.state import RunState
from magistral_debugger.engine.verdict import Verdict
from magistral_debugger.events import Answer, Notice, Reasoning
from magistral_debugger.settings import Settings
from tests.loopback import (
    ModelServer,
    Reply,
    Sleep,
    chat_path,
    chat_stream,
    json_reply,
    mistral_models,
    mistral_sse_events,
    openai_sse_events,
    thinking_chunk,
)
from tests.runs import SILENCE, run_to_end, settings_for

PROOF = "Let x = y.\nThen x² = xy.\nSo x² − y² = xy − y².\nDivide both sides by x − y: x + y = y.\nSo 2 = 1."
STEP_4 = "Divide both sides by x − y: x + y = y."
REASONING = ["Step 2 multiplies ", "by x, fine. ", "Step 4 divides ", "by x − y, ", "which is ", "zero, so "]
ANSWER = ["Step 4 divides by zero.\n", "Flawed step: 4 (division by zero)"]
MODEL = {"ollama": "magistral", "openai": "mistralai/Magistral-Small-2509"}
# Templates in the two shapes Ollama's model files take: one that writes an assistant's
# thinking and leaves the end-of-turn token off the last message, one that closes every turn.
OPEN_LAST_TURN = (
    "{{- range $i, $_ := .Messages }}{{- $last := eq (len (slice $.Messages $i)) 1 }}"
    '{{- if eq .Role "user" }}[INST]{{ .Content }}[/INST]'
    '{{- else if eq .Role "assistant" }}{{ if and $last .Thinking }}[THINK]{{ .Thinking }}[/THINK]{{ end }}'
    "{{ .Content }}{{ if not $last }}</s>{{ end }}{{ end }}{{ end }}"
)
CLOSED_TURNS = "{{- range .Messages }}[INST]{{ .Content }}[/INST]{{ .Thinking }}{{ .Response }}</s>{{ end }}"


def reasoning_then_silence(backend: str, reasoning: list[str] = REASONING) -> Reply:
    """The model reasons, then takes its time: only a hang-up ends this reply early."""
    return Reply(body=[*chat_stream(backend, reasoning, complete=False), Sleep(SILENCE)])


def serve_answer_now(srv: ModelServer, backend: str, answer: list[str] = ANSWER) -> None:
    """The first request gets reasoning and silence; the continuation gets the answer."""
    srv.route(
        "POST", chat_path(backend), [reasoning_then_silence(backend), Reply(body=chat_stream(backend, (), answer))]
    )


def show_template(srv: ModelServer, template: str) -> None:
    srv.route("POST", "/api/show", json_reply({"template": template, "capabilities": ["completion", "thinking"]}))


def answer_now_after(settings: Settings, reasoning_events: int) -> tuple[list, RunState]:
    """The consumer presses "Answer now" right after the ``reasoning_events``-th piece of reasoning."""

    async def go() -> list:
        run = DebugRun(settings, PROOF)
        events, seen = [], 0
        async for event in run.events():
            events.append(event)
            if isinstance(event, Reasoning):
                seen += 1
                if seen == reasoning_events:
                    assert run.answer_now()
        return events

    events = asyncio.run(asyncio.wait_for(go(), 30))
    assert isinstance(events[-1], Ended)
    return events, events[-1].state


def answer_now_while_silent(settings: Settings, reasoning: str) -> RunState:
    """Another task presses "Answer now" (as the page's button does) while the run waits for
    the next token, once ``reasoning`` has arrived."""

    async def go() -> RunState:
        run = DebugRun(settings, PROOF)

        async def consume() -> None:
            async for _ in run.events():
                pass

        task = asyncio.create_task(consume())
        while run.state.reasoning != reasoning:
            assert not task.done(), run.state.outcome()
            await asyncio.sleep(0.01)
        assert run.answer_now()
        await task
        return run.state

    return asyncio.run(asyncio.wait_for(go(), 30))


def keys(state: RunState) -> list[str]:
    """The run's notices about stopping the thinking (others, e.g. max tokens lowered, left out)."""
    said = [getattr(notice, "key", notice) for notice in state.notices]
    return [key for key in said if key.startswith(("thinking_", "answer_now_"))]


# --- the request sequence ------------------------------------------------------------------


def test_openai_continuation_sends_the_reasoning_as_the_closed_thinking_part_of_the_last_assistant_turn(srv):
    serve_answer_now(srv, "openai")
    events, state = answer_now_after(settings_for(srv, "openai", model=MODEL["openai"]), 4)
    first = srv.wait_for_request("/v1/chat/completions").json
    assert srv.wait_for_hangup(5) is not None
    second = srv.wait_for_request("/v1/chat/completions").json
    partial = "".join(REASONING[:4]).strip()
    assert second["messages"] == [
        *first["messages"],
        {"role": "assistant", "content": [{"type": "thinking", "thinking": partial, "closed": True}]},
    ]
    assert second["continue_final_message"] is True and second["add_generation_prompt"] is False
    assert "continue_final_message" not in first and "add_generation_prompt" not in first
    assert second["model"] == first["model"] and second["stream"] is True
    assert state.reasoning == "".join(REASONING[:4])  # kept as it was: nothing of the cut stream after the press
    assert state.answer.strip() == "Step 4 divides by zero."
    assert state.finish_reason == "stop" and state.ok
    assert keys(state) == ["thinking_stopped_by_you", "answer_now_prefill"]
    assert [e.message.key for e in events if isinstance(e, Notice)][-2:] == keys(state)


def test_a_2506_model_gets_its_reasoning_back_as_think_text_with_the_same_flags():
    with ModelServer(openai_model="mistralai/Magistral-Small-2506") as srv:
        serve_answer_now(srv, "openai")
        _, state = answer_now_after(settings_for(srv, "openai", model=srv.openai_model), 3)
        srv.wait_for_request("/v1/chat/completions")
        second = srv.wait_for_request("/v1/chat/completions").json
    partial = "".join(REASONING[:3]).strip()
    assert second["messages"][-1] == {"role": "assistant", "content": f"<think>\n{partial}\n</think>\n"}
    assert second["continue_final_message"] is True and second["add_generation_prompt"] is False
    assert state.reasoning.strip() == partial and state.ok


def ollama_answer_now(srv, template: str) -> tuple[dict, dict, Any, str]:
    """Answer now after four thoughts, with Ollama showing ``template``: the first request,
    the continuation (after the first was hung up), the run's state, the reasoning so far."""
    show_template(srv, template)
    serve_answer_now(srv, "ollama")
    _, state = answer_now_after(settings_for(srv, "ollama", model=MODEL["ollama"]), 4)
    first = srv.wait_for_request("/api/chat").json
    assert srv.wait_for_hangup(5) is not None
    second = srv.wait_for_request("/api/chat").json
    return first, second, state, "".join(REASONING[:4]).strip()


def test_ollama_continues_the_assistant_turn_where_the_template_leaves_it_open(srv):
    first, second, state, partial = ollama_answer_now(srv, OPEN_LAST_TURN)
    assert second["messages"] == [*first["messages"], {"role": "assistant", "content": "", "thinking": partial}]
    assert second["think"] is True
    assert state.reasoning.strip() == partial and state.answer.strip() == "Step 4 divides by zero." and state.ok
    assert keys(state) == ["thinking_stopped_by_you", "answer_now_prefill"]


def test_ollama_asks_in_a_second_turn_where_the_template_closes_every_turn(srv):
    first, second, state, partial = ollama_answer_now(srv, CLOSED_TURNS)
    assert second["messages"] == [
        *first["messages"],
        {"role": "assistant", "content": "", "thinking": partial},
        {"role": "user", "content": "Stop thinking and answer now from what you have."},
    ]
    assert state.reasoning.strip() == partial and state.answer.strip() == "Step 4 divides by zero." and state.ok
    assert keys(state) == ["thinking_stopped_by_you", "answer_now_second_turn"]


def test_mistrals_api_is_asked_in_a_second_turn_without_vllms_flags(srv):
    """Mistral's API refuses fields it does not know, and continues a turn its own way."""
    srv.route("GET", "/v1/models", mistral_models({"id": "magistral-medium-2509", "max_context_length": 40960}))
    thinking = mistral_sse_events([[thinking_chunk(piece)] for piece in REASONING])[:-2]  # no finish, no [DONE]
    srv.route("POST", "/v1/chat/completions", [
        Reply(body=[*thinking, Sleep(SILENCE)]), Reply(body=mistral_sse_events(ANSWER)),
    ])  # fmt: skip
    settings = settings_for(
        srv, "mistral", mistral_api_key="mistral-loopback-key-0123456789", model="magistral-medium-2509"
    )
    _, state = answer_now_after(settings, 4)
    first = srv.wait_for_request("/v1/chat/completions").json
    assert srv.wait_for_hangup(5) is not None
    second = srv.wait_for_request("/v1/chat/completions").json
    partial = "".join(REASONING[:4]).strip()
    assert second["messages"] == [
        *first["messages"],
        {"role": "assistant", "content": [{"type": "thinking", "thinking": [{"type": "text", "text": partial}]}]},
        {"role": "user", "content": "Stop thinking and answer now from what you have."},
    ]
    assert "continue_final_message" not in second and "add_generation_prompt" not in second
    assert state.answer.strip() == "Step 4 divides by zero." and state.ok
    assert keys(state) == ["thinking_stopped_by_you", "answer_now_second_turn"]


def test_ollama_template_reading_tells_an_open_last_turn_from_closed_turns():
    assert template_continues_last_turn(OPEN_LAST_TURN)
    assert not template_continues_last_turn(CLOSED_TURNS.replace("{{ .Thinking }}", ""))
    assert not template_continues_last_turn(CLOSED_TURNS)  # thinking written, but every turn closed
    assert not template_continues_last_turn("{{ .Prompt }}")  # an old single-prompt template


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_answer_now_while_the_server_is_silent_wakes_the_read_and_hangs_up(srv, backend):
    """The page's button runs in another task than the stream: it must not wait for a next token."""
    show_template(srv, OPEN_LAST_TURN)
    serve_answer_now(srv, backend)
    state = answer_now_while_silent(settings_for(srv, backend, model=MODEL[backend]), "".join(REASONING))
    assert srv.wait_for_hangup(5) is not None
    srv.wait_for_request(chat_path(backend))
    second = srv.wait_for_request(chat_path(backend)).json
    assert "".join(REASONING).strip() in str(second["messages"][-1])
    assert state.reasoning == "".join(REASONING)
    assert state.answer.strip() == "Step 4 divides by zero." and state.ok


# --- what the run keeps and counts -----------------------------------------------------------


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_stats_count_the_reasoning_before_and_the_answer_after(srv, backend):
    show_template(srv, OPEN_LAST_TURN)
    serve_answer_now(srv, backend)
    _, state = answer_now_after(settings_for(srv, backend, model=MODEL[backend]), 5)
    # The cut stream sent no usage: its pieces are its tokens; the continuation's usage counts its own.
    assert state.reasoning_tokens() == 5
    assert state.answer_tokens() == len(ANSWER)
    assert state.thinking_stopped_at is not None
    assert state.reasoning_started_at <= state.thinking_stopped_at <= state.answer_started_at <= state.finished_at
    assert state.thinking_seconds() == state.thinking_stopped_at - state.reasoning_started_at
    assert not state.thinking


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_focus_and_verdict_work_across_the_continuation(srv, backend):
    show_template(srv, OPEN_LAST_TURN)
    serve_answer_now(srv, backend)
    events, state = answer_now_after(settings_for(srv, backend, model=MODEL[backend]), 4)
    assert [e.step for e in events if isinstance(e, Focused)] == [2, 4]
    assert [e.verdict for e in events if isinstance(e, Judged)] == [Verdict(4, "division by zero", "", STEP_4)]
    assert state.verdict == Verdict(4, "division by zero", "", STEP_4)
    assert "Flawed step" not in state.answer
    answers = [e.text for e in events if isinstance(e, Answer)]
    assert "".join(answers).strip() == "Step 4 divides by zero."


def test_a_continuation_that_brings_no_word_says_no_answer_came_and_keeps_the_reasoning(srv):
    """A server with mistral-common before 1.11.3 ends the continued turn with an end-of-sequence token."""
    srv.route("POST", "/v1/chat/completions", [reasoning_then_silence("openai"), Reply(body=openai_sse_events())])
    _, state = answer_now_after(settings_for(srv, "openai", model=MODEL["openai"]), 4)
    assert state.finish_reason == "error" and state.error.key == "answer_now_no_answer"
    assert "No answer came" in state.outcome() and srv.url in state.outcome()
    assert state.reasoning == "".join(REASONING[:4]) and state.answer == ""


def test_answer_now_is_refused_before_reasoning_and_once_the_answer_has_begun(srv):
    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", REASONING[:2], ANSWER)))

    async def go() -> tuple[list[bool], RunState]:
        run = DebugRun(settings_for(srv, model="magistral"), PROOF)
        pressed = [run.answer_now()]  # nothing asked yet
        async for event in run.events():
            if isinstance(event, Answer):
                pressed.append(run.answer_now())
        pressed.append(run.answer_now())  # over
        return pressed, run.state

    pressed, state = asyncio.run(asyncio.wait_for(go(), 30))
    assert not any(pressed)
    assert [r.path for r in srv.requests].count("/api/chat") == 1
    assert state.ok and state.notices == []


# --- the thinking budget ----------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_the_thinking_budget_answers_now_by_itself(srv, backend):
    show_template(srv, OPEN_LAST_TURN)
    serve_answer_now(srv, backend)
    _, state = run_to_end(settings_for(srv, backend, model=MODEL[backend], thinking_budget=0.3), PROOF)
    assert srv.wait_for_hangup(5) is not None
    srv.wait_for_request(chat_path(backend))
    second = srv.wait_for_request(chat_path(backend)).json
    assert state.reasoning and "".join(REASONING).startswith(state.reasoning)
    assert state.reasoning.strip() in str(second["messages"][-1])
    assert state.answer.strip() == "Step 4 divides by zero." and state.ok
    assert keys(state) == ["thinking_budget_reached", "answer_now_prefill"]
    assert "Thinking stopped at the 0.3 s budget." in state.notices


def test_a_model_that_answers_within_the_budget_is_left_alone(srv):
    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", REASONING, ANSWER)))
    _, state = run_to_end(settings_for(srv, model="magistral", thinking_budget=30), PROOF)
    assert [r.path for r in srv.requests].count("/api/chat") == 1
    assert state.ok and state.notices == [] and state.thinking_stopped_at is None


def test_the_thinking_budget_setting_reads_seconds_and_empty_means_none(monkeypatch):
    monkeypatch.setenv("MAGISTRAL_THINKING_BUDGET", "30")
    assert Settings(_env_file=None).thinking_budget == 30
    monkeypatch.setenv("MAGISTRAL_THINKING_BUDGET", "")
    assert Settings(_env_file=None).thinking_budget == 0
    monkeypatch.setenv("MAGISTRAL_THINKING_BUDGET", "-1")
    with pytest.raises(ValueError):
        Settings(_env_file=None)


# --- the page's button -----------------------------------------------------------------------


def test_the_pages_answer_now_ends_the_thinking_of_the_sessions_run(srv):
    """The button's handler runs beside the run's updates, as Gradio calls it, and the last
    update shows the reasoning so far, the answer and why the thinking stopped."""
    from magistral_debugger.ui.handlers import DebuggerPage, LiveRun

    show_template(srv, OPEN_LAST_TURN)
    serve_answer_now(srv, "ollama")
    page, live = DebuggerPage(settings_for(srv, model="magistral")), LiveRun()

    async def go() -> tuple:
        updates = []

        async def debug() -> None:
            async for update in page.debug(PROOF, live=live):
                updates.append(update)

        task = asyncio.create_task(debug())
        while live.run is None or live.run.state.reasoning != "".join(REASONING):
            assert not task.done()
            await asyncio.sleep(0.01)
        await page.answer_now(live)
        await task
        return updates[-1]

    reasoning, answer, status = asyncio.run(asyncio.wait_for(go(), 30))[:3]
    assert srv.wait_for_hangup(5) is not None
    assert reasoning == "".join(REASONING).strip() and answer == "Step 4 divides by zero."
    assert "Thinking stopped by you (Answer now)." in status
