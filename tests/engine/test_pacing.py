"""The update interval of a live run: fast for one person, slower as a class streams at once."""

from __future__ import annotations

import asyncio

from magistral_debugger.engine.pacing import FASTEST, LIVE_RUNS, SLOWEST, update_interval
from magistral_debugger.engine.run import DebugRun, live_snapshots
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
    the tokens are shown at the next update either way. Watched at every turn of the event
    loop, in order: after each update the stream is left unread (the read gate is closed: at
    most the read already under way completes), then opened before the next update, and what
    came meanwhile is taken in one go."""
    interval, tokens, every = 0.4, 100, 0.02
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=paced(ollama_chat_lines([f"t{i} " for i in range(tokens)]), every)))
        run = DebugRun(settings_for(srv), FLAWED)
        seen: list[tuple[str, int]] = []  # ("open" | "closed" | "update", reasoning length), in loop order

        async def watch() -> None:
            async def sample() -> None:
                while True:
                    gate = run._read_gate
                    seen.append(("open" if gate is not None and gate.is_set() else "closed", len(run.state.reasoning)))
                    await asyncio.sleep(0)  # once per turn of the loop

            sampler = asyncio.create_task(sample())
            async for state in live_snapshots(run, interval=interval):
                seen.append(("update", len(state.reasoning)))
            sampler.cancel()

        asyncio.run(asyncio.wait_for(watch(), 30))
    assert run.state.reasoning == "".join(f"t{i} " for i in range(tokens))  # nothing lost
    updates = [i for i, (what, _) in enumerate(seen) if what == "update"]
    assert len(updates) >= 4
    token = len("t1 ")
    for a, b in zip(updates[:-2], updates[1:-1], strict=True):
        between = seen[a + 1 : b]
        gates = [what for what, _ in between]
        assert "closed" in gates and "open" in gates, gates  # closed after an update, opened before the next
        assert gates[0] == "closed", gates
        first_open = gates.index("open")
        # While closed, the stream is not read: at most the read under way when it closed ends.
        closed_levels = [length for what, length in between[:first_open]]
        assert len(set(closed_levels)) <= 2, closed_levels
        # Once open, what waited in the socket comes in one go: several tokens in one turn of the loop.
        levels = [length for _, length in between[first_open:]]
        assert max(b - a for a, b in zip(levels, levels[1:], strict=False)) >= 2 * token, levels
