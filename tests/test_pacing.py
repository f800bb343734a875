"""The update interval of a live run: fast for one person, slower as a class streams at once."""

from __future__ import annotations

import asyncio

from magistral_debugger.pacing import FASTEST, LIVE_RUNS, SLOWEST, update_interval
from magistral_debugger.run import DebugRun, live_snapshots
from tests.loopback import ModelServer, Reply, ollama_chat_lines, paced
from tests.runs import FLAWED, settings_for


def test_one_person_keeps_80_ms_and_a_full_room_never_waits_longer_than_the_bound():
    assert update_interval(0) == update_interval(1) == FASTEST == 0.08
    intervals = [update_interval(n) for n in range(1000)]
    assert intervals == sorted(intervals)  # more people streaming never means faster updates
    assert FASTEST < update_interval(128) <= SLOWEST == max(intervals) == 0.2


def test_a_run_counts_as_live_while_its_snapshots_stream_and_not_once_stopped_or_finished():
    before = LIVE_RUNS.count
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=paced(ollama_chat_lines([f"t{i} " for i in range(40)]), 0.05)))
        settings = settings_for(srv)

        async def stop_after_first_update() -> int:
            snapshots = live_snapshots(DebugRun(settings, FLAWED))
            await anext(snapshots)
            while_streaming = LIVE_RUNS.count
            await snapshots.aclose()
            return while_streaming

        assert asyncio.run(asyncio.wait_for(stop_after_first_update(), 30)) == before + 1
        assert LIVE_RUNS.count == before

        srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(["short"], ["answer"])))

        async def to_the_end() -> str:
            return [state async for state in live_snapshots(DebugRun(settings, FLAWED))][-1].answer

        assert asyncio.run(asyncio.wait_for(to_the_end(), 30)) == "answer"
        assert LIVE_RUNS.count == before
