""" "Answer now" against a real vLLM: the proof that it accepts the continuation (the reasoning so
far as the assistant's closed thinking part, ``continue_final_message`` and no generation prompt)
through the Mistral tokenizer, and continues the model's own turn.

The puppet's next token depends only on its current one: after ``[/THINK]`` it says its scripted
answer, after anything outside its script it opens ``[THINK]`` and reasons again. So the scripted
answer, and no reasoning after the cut, appear only if the prompt vLLM built ends in the
``[/THINK]`` special token, with no end-of-sequence token or new ``[INST]`` turn after it.
"""

from __future__ import annotations

import asyncio

import pytest

from magistral_debugger.engine.run import DebugRun
from magistral_debugger.engine.state import RunState
from magistral_debugger.events import Reasoning
from magistral_debugger.settings import Settings
from make_puppet_model import PUPPET_VERDICT_KIND, PUPPET_VERDICT_STEP

pytestmark = pytest.mark.real_server

ARGUMENT = (
    "Let x = y. Then x² = xy, so x² − y² = xy − y², so (x + y)(x − y) = y(x − y). "
    "Cancelling, x + y = y, so 2y = y and 2 = 1."
)


async def answer_now_half_way(settings: Settings, reasoning_length: int) -> RunState:
    run = DebugRun(settings, ARGUMENT)
    pressed = False
    async for event in run.events():
        if isinstance(event, Reasoning) and not pressed and len(run.state.reasoning) >= reasoning_length // 2:
            pressed = run.answer_now()
            assert pressed, "the model was reasoning: Answer now must be taken"
    return run.state


def test_answer_now_half_way_through_the_scripted_reasoning_yields_the_scripted_answer(vllm_server, puppet):
    settings = Settings(
        _env_file=None,
        backend="openai",
        openai_base_url=vllm_server.base_url,
        model=vllm_server.model,
        max_tokens=1024,
        connect_timeout=5.0,
    )
    state = asyncio.run(asyncio.wait_for(answer_now_half_way(settings, len(puppet.reasoning)), 120))
    assert state.ok, state.outcome()
    assert state.answer == puppet.answer
    # The verdict line at the end of the continued answer is read as in a run never cut.
    assert (state.verdict.step, state.verdict.kind) == (PUPPET_VERDICT_STEP, PUPPET_VERDICT_KIND)
    # The reasoning pane keeps what came before the press, and nothing after it.
    assert puppet.reasoning.startswith(state.reasoning)
    assert len(puppet.reasoning) // 2 <= len(state.reasoning) < len(puppet.reasoning)
    assert [getattr(n, "key", "") for n in state.notices][-2:] == ["thinking_stopped_by_you", "answer_now_prefill"]
    assert state.reasoning_tokens() > 0 and state.answer_tokens() > 0
