"""An alias that hides the version, on a real vLLM: the puppet served as ``magistral`` (its
checkpoint folder names no version either) still gets the [THINK] prompt, because the app asks
vLLM's /tokenize whether [THINK] is one control token of the tokenizer. Proven as the rest of the
tier proves prompts: the messages the app sent, tokenized by vLLM, hold [THINK]/[/THINK] as the
control tokens 34/35 inside the system prompt."""

from __future__ import annotations

import asyncio

import pytest
import requests

from magistral_debugger.engine.run import DebugRun
from magistral_debugger.prompting.messages import detect_version
from magistral_debugger.settings import Settings
from make_puppet_model import END_THINK_ID, PUPPET_ANSWER, PUPPET_REASONING, THINK_ID

pytestmark = pytest.mark.real_server

ARGUMENT = "Let x = y. Then x² = xy, so (x + y)(x − y) = y(x − y). Cancelling, x + y = y, so 2 = 1."


def test_the_puppet_under_an_alias_that_hides_its_version_still_gets_the_think_prompt(vllm_server, vllm_alias):
    assert detect_version(vllm_alias) == "2506"  # the name alone would give the plain <think> prompt
    settings = Settings(
        _env_file=None, backend="openai", openai_base_url=vllm_server.base_url, model=vllm_alias, max_tokens=1024
    )
    run = DebugRun(settings, ARGUMENT)

    async def drain() -> None:
        async for _ in run.events():
            pass

    asyncio.run(asyncio.wait_for(drain(), 120))
    state = run.state
    assert state.ok, state.outcome()
    assert (state.reasoning, state.answer) == (PUPPET_REASONING, PUPPET_ANSWER)
    assert state.notices == [f"[THINK] prompt for {vllm_alias}: the server's tokenizer has think tokens."]

    session = requests.Session()
    session.trust_env = False
    r = session.post(
        f"{vllm_server.root_url}/tokenize",
        json={"model": vllm_alias, "messages": run.request.messages},
        timeout=30,
    )
    r.raise_for_status()
    ids = r.json()["tokens"]
    assert ids.count(THINK_ID) == 1 and ids.count(END_THINK_ID) == 1
    begin_sys, end_sys = ids.index(17), ids.index(18)  # [SYSTEM_PROMPT], [/SYSTEM_PROMPT]
    assert begin_sys < ids.index(THINK_ID) < ids.index(END_THINK_ID) < end_sys
