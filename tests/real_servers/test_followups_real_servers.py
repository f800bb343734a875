"""Follow-ups and photos against a real vLLM serving the puppet Magistral-format model.

What the loopback tests cannot show: how vLLM's mistral tokenizer encodes a kept
reasoning (a thinking chunk of the assistant message must become the [THINK]/[/THINK]
special tokens, not text), and what a real vLLM says when a text-only model is sent
a photo (our message must still read well).
"""

from __future__ import annotations

import asyncio
import io

import pytest
import requests
from PIL import Image

from make_puppet_model import END_THINK_ID, PUPPET_ANSWER, PUPPET_REASONING, THINK_ID

pytestmark = pytest.mark.real_server

PROOF = "Let x = y. Then x² = xy, so (x + y)(x − y) = y(x − y), so x + y = y and 2 = 1."
FOLLOW_UP = "Why can't we cancel x − y?"


def _settings(vllm_server, **kw):
    from magistral_debugger.settings import Settings

    return Settings(
        _env_file=None,
        backend="openai",
        openai_base_url=vllm_server.base_url,
        model=vllm_server.model,
        max_tokens=256,
        **kw,
    )


def _run(settings, text, **kw):
    from magistral_debugger.engine.run import DebugRun

    run = DebugRun(settings, text, **kw)

    async def drain():
        async for _ in run.events():
            pass

    asyncio.run(asyncio.wait_for(drain(), 120))
    return run


def test_kept_reasoning_in_history_encodes_as_think_special_tokens(vllm_server):
    from magistral_debugger.prompting.messages import Turn, build_messages

    turn = Turn(question=PROOF, answer="Step 3 divides by x − y = 0.", reasoning="x − y is zero, [THINK] is text here.")
    messages = build_messages(FOLLOW_UP, "2509", history=[turn], keep_reasoning=True)
    r = requests.post(
        f"{vllm_server.root_url}/tokenize", json={"model": vllm_server.model, "messages": messages}, timeout=30
    )
    r.raise_for_status()
    ids = r.json()["tokens"]
    # The system prompt's thinking chunk and the earlier turn's: two of each, none from text.
    assert ids.count(THINK_ID) == 2 and ids.count(END_THINK_ID) == 2


def test_a_two_turn_conversation_runs_against_vllm_with_either_history_policy(vllm_server):
    for keep in (False, True):
        settings = _settings(vllm_server, keep_reasoning_in_history=keep)
        first = _run(settings, PROOF)
        assert first.state.ok, first.state.outcome()
        second = _run(settings, FOLLOW_UP, history=[first.turn()])
        assert second.state.ok, second.state.outcome()
        assert second.state.answer.strip() == PUPPET_ANSWER.strip()
        assert second.state.reasoning.strip() == PUPPET_REASONING.strip()


def test_a_photo_sent_to_a_text_only_model_gets_a_readable_refusal(vllm_server):
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (240, 240, 240)).save(out, "PNG")
    run = _run(_settings(vllm_server, vision="true"), PROOF, image=out.getvalue())
    state = run.state
    assert state.finish_reason == "error"
    assert "refused the photo" in state.error and "Remove the photo" in state.error, state.error
    assert "Traceback" not in state.error
