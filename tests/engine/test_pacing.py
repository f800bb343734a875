"""The update interval of a live run: fast for one person, slower as a class streams at once."""

from __future__ import annotations

import asyncio
import time

from magistral_debugger.engine.pacing import FASTEST, LIVE_RUNS, SLOWEST, update_interval
from magistral_debugger.engine.run import READ_AHEAD, DebugRun, live_snapshots
from magistral_debugger.ui.handlers import DebuggerPage, LiveRun
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


def test_the_page_sends_the_reasoning_header_only_when_its_words_or_fold_change():
    """Gradio builds a whole component for every header update it is given; the clock in
    the header moves once a second while the pane changes on every update."""
    with ModelServer() as srv:
        thinking = paced(ollama_chat_lines([f"t{i} " for i in range(25)], ["The flaw is step 4."]), 0.1)
        srv.route("POST", "/api/chat", Reply(body=thinking))
        page, live = DebuggerPage(settings_for(srv, model="magistral")), LiveRun()

        async def headers() -> list:
            return [update[2] async for update in page.in_page(page.debug(FLAWED, live=live), live, False)]

        sent = asyncio.run(asyncio.wait_for(headers(), 30))
    changes = [header for header in sent if header is not None]
    assert len(changes) < len(sent) / 2  # most updates leave the header as it is
    assert all(a != b for a, b in zip(changes, changes[1:], strict=False))
    labels = [header["label"] for header in changes if isinstance(header, dict)]
    assert any(label.startswith("Thinking… 1 s") for label in labels)
    assert labels[-1].startswith("Thought for ") and labels[-1].endswith("· 25 tokens")
    assert [header.get("open") for header in changes if isinstance(header, dict)].count(False) == 1  # folds once


def test_between_updates_the_stream_waits_in_the_socket_and_is_read_in_one_go_before_the_next():
    """Reading each token as it comes woke the process once per token of every run streaming;
    the tokens are shown at the next update either way."""
    interval, tokens, every = 0.4, 100, 0.02
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=paced(ollama_chat_lines([f"t{i} " for i in range(tokens)]), every)))
        run = DebugRun(settings_for(srv), FLAWED)

        async def watch() -> tuple[list[float], list[tuple[float, int]]]:
            updates: list[float] = []
            seen: list[tuple[float, int]] = []

            async def sample() -> None:
                while True:
                    seen.append((time.monotonic(), len(run.state.reasoning)))
                    await asyncio.sleep(0.005)

            sampler = asyncio.create_task(sample())
            async for _ in live_snapshots(run, interval=interval):
                updates.append(time.monotonic())
            sampler.cancel()
            return updates, seen

        updates, seen = asyncio.run(asyncio.wait_for(watch(), 30))
    assert run.state.reasoning == "".join(f"t{i} " for i in range(tokens))  # nothing lost
    # From shortly after an update until the stream is read again, a quarter of the interval
    # before the next one, nothing is read, though a token comes every 20 ms.
    quiet_windows = [
        {length for t, length in seen if update + 0.15 < t < update + interval * (1 - READ_AHEAD) - 0.02}
        for update in updates[1:-2]
    ]
    assert len(quiet_windows) >= 3
    assert all(len(lengths) == 1 for lengths in quiet_windows), quiet_windows
    # …and what came meanwhile is in the next update: about an interval's worth of tokens each time.
    levels = [lengths.pop() for lengths in quiet_windows]
    assert all(b - a >= len("t1 ") * interval / every / 2 for a, b in zip(levels, levels[1:], strict=False)), levels
