"""Measurement 9 (issue 24): a class's phones voting while the projector streams a run.

The same run twice, side by side, each on its own ``python app.py``: (a) no room, the projector's
page alone streams a 2,000-token run at 50 tokens/s from the loopback model server; (b) a room
open and its proof projected, the projector's session ticking as its timer does, and N phones
(``bench/phones.py``: the requests the phone's page sends) joined, polling at the pace the page
declares and each tapping a step once while the run streams. The projector's run goes through
the harness's wiretap, as in measurement 7, so its tokens' latency is measured from the model
server writing them to their update arriving; the phones and the tick talk to the app directly.

What it reports per side: the run's tokens on time (≤ 300 ms) and p95 latency, the app's peak
RSS and CPU share while streaming; and for (b) vote → bar latency (a phone's tap until the
projector's tick shows it counted), votes counted of N, and the phones' poll round trips.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from . import tokens as tk
from .app_bench import ON_TIME, AppProcess, Sampler, run_on_wire
from .gradio_wire import PAGE_OUTPUTS
from .harness import Harness
from .page_client import PageClient
from .phones import Class, Projector, RoomEvents, vote_to_bar
from .stats import percentile

STEPS = ("Let x = y.", "Then x² = xy.", "So x² − y² = xy − y².", "Divide by x − y: x + y = y.", "So 2 = 1.")
RATE = 50
ROOM_DB = "bench-rooms.sqlite3"  # in the app's own temporary directory


def run(quick: bool, progress: Callable[[str], None], phones: int | None = None) -> dict[str, Any]:
    n = phones if phones is not None else (16 if quick else 128)
    count = 250 if quick else 2000
    out: dict[str, Any] = {"phones": n, "tokens": count, "rate": RATE}
    with Harness() as harness:
        harness.prepare("ollama", "field", count)
        for side in ("alone", "room"):
            out[side] = _side(harness, side == "room", n, count, progress)
    return out


def _side(harness: Harness, with_room: bool, n: int, count: int, progress: Callable[[str], None]) -> dict[str, Any]:
    app = AppProcess({"MAGISTRAL_OLLAMA_URL": harness.url, "MAGISTRAL_ROOM_DB": ROOM_DB})
    try:
        app.wait_until_served()
        tapped = f"http://127.0.0.1:{harness.tap(app.port)}/"
        with ThreadPoolExecutor(max_workers=2) as tabs:
            projector_page = PageClient(tapped, tabs)
            result = _stream(app, harness, projector_page, with_room, n, count)
            projector_page.close()
    finally:
        app.close()
    if with_room:
        progress(
            f"  a room of {n} phones: {result['on_time_share']:.1%} on time, p95 {result['latency_p95_ms']:.0f} ms, "
            f"RSS {result['app_rss_mb']:.0f} MB, app CPU {result['app_cpu_share']:.0%}; vote → bar p95 "
            f"{result['vote_to_bar_p95_s']:.2f} s, {result['votes_counted']} of {n} counted, poll p95 "
            f"{result['poll_p95_ms']:.0f} ms (phones every {result['phone_tick_s']:g} s, projector every "
            f"{result['projector_tick_s']:g} s)"
        )
    else:
        progress(
            f"  no room: {result['on_time_share']:.1%} on time, p95 {result['latency_p95_ms']:.0f} ms, "
            f"RSS {result['app_rss_mb']:.0f} MB, app CPU {result['app_cpu_share']:.0%}"
        )
    return result


def _start_class(
    room: dict[str, Any], n: int, count: int
) -> tuple[asyncio.AbstractEventLoop, threading.Thread, asyncio.Event]:
    """The phones join, then live through the run (and the projector ticks) on a loop of their own."""
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    started_at: list[float] = []
    ready = threading.Event()

    def live() -> None:
        asyncio.set_event_loop(loop)

        async def main() -> None:
            limits = httpx.Limits(max_connections=n + 4, max_keepalive_connections=n + 4)
            async with httpx.AsyncClient(timeout=60, trust_env=False, limits=limits) as http:
                await room["class"].join(http)
                started_at.append(time.monotonic())
                ready.set()
                window = (1.0, max(1.5, 0.75 * count / RATE))
                await asyncio.gather(
                    room["class"].live(http, started_at[0], window, stop), room["projector"].ticking(http, stop)
                )

        try:
            loop.run_until_complete(main())
        finally:
            ready.set()

    thread = threading.Thread(target=live, daemon=True)
    thread.start()
    ready.wait(300)
    if not started_at:
        raise RuntimeError("measurement 9: the phones did not join")
    return loop, thread, stop


def _await_last_bars(room: dict[str, Any]) -> None:
    """The last votes' bars come on a tick after the run: wait for them (a few ticks at most)."""
    events: RoomEvents = room["events"]
    deadline = time.monotonic() + 5 * max(events.projector_tick_s, events.phone_tick_s) + 5
    phones = room["class"].phones
    while time.monotonic() < deadline and (
        any(p.voted_reply is None and not p.vote_error for p in phones)
        or room["projector"].shown() < sum(1 for p in phones if p.voted_reply is not None)
    ):
        time.sleep(0.1)


def _stream(app: AppProcess, harness: Harness, page: PageClient, with_room: bool, n: int, count: int) -> dict[str, Any]:
    """One projected run; with the room, the class lives through it on a loop of its own."""
    room: dict[str, Any] = {}
    if with_room:
        room = _open_room(app, app.url, page.session_hash, n)
        loop, loop_thread, stop = _start_class(room, n, count)
    sid = f"m9-{'room' if with_room else 'alone'}"
    since = time.monotonic()
    cpu0 = app.cpu_seconds()
    with Sampler(app) as sampler:
        page.submit(tk.marker(id=sid, form="field", tokens=count, rate=RATE)).result(timeout=count / RATE * 4 + 120)
        elapsed = time.monotonic() - since
        cpu1 = app.cpu_seconds()
        if with_room:
            _await_last_bars(room)
            loop.call_soon_threadsafe(stop.set)
            loop_thread.join(30)
    wire = run_on_wire(harness.report(since=since), page.session_hash, sid, PAGE_OUTPUTS)
    if "error" in wire:
        raise RuntimeError(f"measurement 9 ({'room' if with_room else 'no room'}): {wire['error']}")
    on_time = sum(1 for x in wire["latencies"] if x <= ON_TIME)
    result: dict[str, Any] = {
        "tokens": wire["tokens"],
        "on_time_share": on_time / max(wire["tokens"], 1),
        "latency_p50_ms": percentile(wire["latencies"], 50) * 1000,
        "latency_p95_ms": percentile(wire["latencies"], 95) * 1000,
        "gap_p95_ms": percentile(wire["gaps"], 95) * 1000,
        "app_rss_mb": sampler.max_rss,
        "app_cpu_share": (cpu1 - cpu0) / elapsed,
        "streaming_s": elapsed,
    }
    if with_room:
        result.update(_room_figures(room))
    return result


def _open_room(app: AppProcess, url: str, session: str, n: int) -> dict[str, Any]:
    """A room opened on the app's own room file and its proof projected (as the teacher's Debug
    does in guess-first mode), the projector's session given the room by the teacher's link."""
    from magistral_debugger.classroom import Classroom, SqliteRoomStore

    classroom = Classroom(SqliteRoomStore(os.path.join(app.dir, ROOM_DB)))
    code, token = classroom.open_room()
    classroom.project(code, token, STEPS)
    with httpx.Client(timeout=60, trust_env=False) as http:
        config = http.get(url + "config").raise_for_status().json()
        events = RoomEvents.of(config)
        projector = Projector(url, config, events, session)
        projector.take_room(http, code, token)
    return {
        "classroom": classroom,
        "code": code,
        "events": events,
        "projector": projector,
        "class": Class(url, config, events, code, n, len(STEPS)),
    }


def _room_figures(room: dict[str, Any]) -> dict[str, Any]:
    phones = room["class"].phones
    projector: Projector = room["projector"]
    events: RoomEvents = room["events"]
    latencies = vote_to_bar(phones, projector.totals)
    polls = [x for p in phones for x in p.polls]
    counted = room["classroom"].tally(room["code"]).total
    return {
        "phone_tick_s": events.phone_tick_s,
        "projector_tick_s": events.projector_tick_s,
        "votes_sent": sum(1 for p in phones if p.voted_sent is not None),
        "votes_answered": sum(1 for p in phones if p.voted_reply is not None),
        "votes_counted": counted,
        "votes_on_bars": projector.shown(),
        "vote_errors": sum(1 for p in phones if p.vote_error),
        "vote_to_bar_p50_s": percentile(latencies, 50),
        "vote_to_bar_p95_s": percentile(latencies, 95),
        "vote_to_bar_max_s": max(latencies, default=float("nan")),
        "polls": len(polls),
        "redraws": sum(p.redraws for p in phones),
        "poll_errors": sum(p.poll_errors for p in phones),
        "poll_p50_ms": percentile(polls, 50) * 1000,
        "poll_p95_ms": percentile(polls, 95) * 1000,
        "tick_p95_ms": percentile(projector.tick_latencies, 95) * 1000,
    }
