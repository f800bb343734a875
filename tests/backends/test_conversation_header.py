"""Every chat request to an OpenAI-compatible server (Mistral's API too) names its conversation
in an ``X-Session-ID`` header: vLLM's router keeps each conversation on the replica whose
prefix cache holds it, and spreads different conversations over the replicas. Follow-ups and
"Answer now" continuations carry the id of the conversation they belong to; each Debug, page
session and CLI run begins a conversation with an id of its own, even for the same proof."""

from __future__ import annotations

import asyncio
import re

import pytest

from magistral_debugger.ui.handlers import DebuggerPage, LiveRun
from tests.loopback import ModelServer, Reply, Sleep, chat_stream
from tests.runs import FLAWED, SILENCE, child_env, run_cli, run_to_end, settings_for

CHAT = "/v1/chat/completions"
CONVERSATION_ID = re.compile(r"[0-9a-f]{32}")
QUESTION = "Why can't we cancel x − y?"


def conversation_id(srv: ModelServer) -> str | None:
    """The id the next chat request named its conversation by (None: no header)."""
    return srv.wait_for_request(CHAT, timeout=10).headers.get("x-session-id")


async def last_update(turn) -> tuple:
    return [update async for update in turn][-1]


@pytest.mark.parametrize("backend", ["openai", "mistral"])
def test_a_follow_up_carries_its_conversations_id_and_each_debug_begins_a_new_one(srv, backend):
    settings = settings_for(srv, backend, model=srv.openai_model, mistral_api_key="loopback-key-0123")
    page, live, other_session = DebuggerPage(settings), LiveRun(), LiveRun()

    async def turns() -> None:
        for turn in (
            page.debug(FLAWED, live=live),
            page.follow_up(QUESTION, live=live),
            page.follow_up(QUESTION, live=live),
            page.debug(FLAWED, live=live),  # the same proof again
            page.debug(FLAWED, live=other_session),  # the same proof, by someone else
        ):
            assert "Finished" in (await last_update(turn))[2]

    asyncio.run(asyncio.wait_for(turns(), 30))
    first, follow_up, second_follow_up, debug_again, other = (conversation_id(srv) for _ in range(5))
    assert CONVERSATION_ID.fullmatch(first)
    assert follow_up == second_follow_up == first
    assert len({first, debug_again, other}) == 3
    assert CONVERSATION_ID.fullmatch(debug_again) and CONVERSATION_ID.fullmatch(other)


def test_an_answer_now_continuation_and_the_follow_up_after_it_stay_in_the_conversation(srv):
    reasoning = ["Step 4 divides ", "by x − y, ", "which is zero."]
    srv.route(
        "POST",
        CHAT,
        [
            Reply(body=[*chat_stream("openai", reasoning, complete=False), Sleep(SILENCE)]),
            Reply(body=chat_stream("openai", (), ["Step 4 divides by zero."])),
        ],
    )
    page, live = DebuggerPage(settings_for(srv, "openai")), LiveRun()

    async def debug_answer_now_then_follow_up() -> None:
        task = asyncio.create_task(last_update(page.debug(FLAWED, live=live)))
        while live.run is None or live.run.state.reasoning != "".join(reasoning):
            assert not task.done()
            await asyncio.sleep(0.01)
        await page.answer_now(live)
        assert "Thinking stopped by you" in (await task)[2]
        await last_update(page.follow_up(QUESTION, live=live))

    asyncio.run(asyncio.wait_for(debug_answer_now_then_follow_up(), 30))
    cut, continuation, follow_up = (srv.wait_for_request(CHAT) for _ in range(3))
    assert continuation.json["continue_final_message"] is True  # it is the continuation
    assert CONVERSATION_ID.fullmatch(cut.headers["x-session-id"])
    assert continuation.headers["x-session-id"] == follow_up.headers["x-session-id"] == cut.headers["x-session-id"]


def test_each_command_line_run_is_a_conversation_of_its_own(srv, tmp_path):
    env = child_env(MAGISTRAL_BACKEND="openai", MAGISTRAL_OPENAI_BASE_URL=srv.url + "/v1")
    for _ in range(2):
        result = run_cli([FLAWED], env, tmp_path)
        assert result.returncode == 0, result.stderr
    first, second = conversation_id(srv), conversation_id(srv)
    assert CONVERSATION_ID.fullmatch(first) and CONVERSATION_ID.fullmatch(second) and first != second


def test_ollama_is_sent_no_conversation_header(srv):
    _, state = run_to_end(settings_for(srv, "ollama"))
    assert state.ok
    assert "x-session-id" not in srv.wait_for_request("/api/chat").headers
