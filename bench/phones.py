"""A class's phones and the projector's tick, without browsers: the requests the room's pages send.

The phone's page (``/room``) and the projector's room panel run events with ``queue=False``, which
a browser sends as one ``POST …/run/predict`` each (fn_index, the session, the inputs). So a phone
here is a session on an HTTP client doing what the page's JavaScript does: open the page (its load
event), join, poll on its timer's tick at the interval the page itself declares, tap a step. The
events are found in the app's ``/config`` by what they target (the phone's timer, a step button's
element id), never by their position, so a change to the page's layout does not silently move them.
Many phones share one asyncio loop: the bench's own CPU stays small beside the app's.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class RoomEvents:
    """The room's events as the app's config declares them, and the paces of its two timers."""

    phone_load: int
    join: int
    after_join: int
    phone_tick: int
    phone_tick_s: float
    phone_redraw: int | None  # when the tick only says "something changed": the event its change runs
    phone_seen: Any  # that output's value on a freshly loaded page
    votes: dict[int, int]  # choice (0: no flaw) → the event of that step's button
    projector_from_url: int
    projector_tick: int
    projector_tick_s: float

    @classmethod
    def of(cls, config: dict[str, Any]) -> RoomEvents:
        components = {c["id"]: c for c in config["components"]}
        deps = config["dependencies"]

        def elem(cid: int) -> str:
            return str(components.get(cid, {}).get("props", {}).get("elem_id") or "")

        def targets(dep: dict[str, Any]) -> list[tuple[int, str]]:
            return [(t[0], t[1]) for t in dep["targets"]]

        def outputs(dep: dict[str, Any]) -> list[str]:
            return [elem(o) for o in dep["outputs"]]

        room_page = set(config["page"]["room"]["dependencies"])
        main_page = set(config["page"][""]["dependencies"])
        timer_ticks = [d for d in deps if any(components.get(c, {}).get("type") == "timer" for c, _ in targets(d))]
        phone = next(d for d in timer_ticks if d["id"] in room_page)
        projector = next(d for d in timer_ticks if "room-bars" in outputs(d))
        # A tick that draws the phone itself, or one whose output's change event draws it.
        redraw, seen = None, None
        if "phone-title" not in outputs(phone):
            watched = set(phone["outputs"])
            redraw = next(d["id"] for d in deps if any(c in watched and k == "change" for c, k in targets(d)))
            seen = components[phone["outputs"][0]].get("props", {}).get("value")
        join = next(d for d in deps if d.get("api_name") == "room_join")
        after_join = next(d for d in deps if d.get("trigger_after") == join["id"])
        votes = {}
        for d in deps:
            for cid, kind in targets(d):
                name = elem(cid)
                if kind == "click" and name == "phone-no-flaw":
                    votes[0] = d["id"]
                elif kind == "click" and (m := re.fullmatch(r"phone-step-(\d+)", name)):
                    votes[int(m.group(1))] = d["id"]
        loads = [d for d in deps if d.get("backend_fn") and (0, "load") in targets(d)]
        phone_load = next(d for d in loads if d["id"] in room_page)
        # The projector's load that reads ?room=…&key=…: the main page's load whose outputs are the room panel's.
        from_url = next(d for d in loads if d["id"] in main_page and "room-card" in outputs(d))
        return cls(
            phone_load=phone_load["id"],
            join=join["id"],
            after_join=after_join["id"],
            phone_tick=phone["id"],
            phone_tick_s=float(components[phone["targets"][0][0]]["props"]["value"]),
            phone_redraw=redraw,
            phone_seen=seen,
            votes=votes,
            projector_from_url=from_url["id"],
            projector_tick=projector["id"],
            projector_tick_s=float(components[projector["targets"][0][0]]["props"]["value"]),
        )


def predict_url(url: str, config: dict[str, Any]) -> str:
    return url.rstrip("/") + "/" + config.get("api_prefix", "/gradio_api").strip("/") + "/run/predict"


def body(fn_index: int, session: str, data: list[Any]) -> dict[str, Any]:
    return {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None}


BARS_TOTAL = re.compile(r'class="room-bars" data-total="(\d+)"')


@dataclass
class Phone:
    """One phone's session and what happened to it: its polls' round trips, its vote's send and reply."""

    choice: int
    vote_at: float  # seconds after the run starts
    session: str = field(default_factory=lambda: uuid.uuid4().hex[:11])
    polls: list[float] = field(default_factory=list)
    redraws: int = 0
    seen: Any = None  # the tick's last value, when the page watches it for a change
    poll_errors: int = 0
    voted_sent: float | None = None
    voted_reply: float | None = None
    vote_error: str = ""


class Class:
    """N phones in a room, on one asyncio loop: open the page, join, poll, vote once."""

    def __init__(self, url: str, config: dict[str, Any], events: RoomEvents, code: str, n: int, steps: int) -> None:
        self.predict = predict_url(url, config)
        self.events, self.code = events, code
        rng = random.Random(9)
        self.phones = [Phone(choice=rng.randrange(steps + 1), vote_at=0.0, seen=events.phone_seen) for _ in range(n)]
        self._rng = rng

    async def join(self, http: httpx.AsyncClient) -> None:
        """Every phone opens ``/room`` and joins (eight at a time, as a class trickles in)."""
        gate = asyncio.Semaphore(8)

        async def one(index: int, phone: Phone) -> None:
            async with gate:
                e = self.events
                await self._post(http, e.phone_load, phone, [""])
                reply = await self._post(http, e.join, phone, [self.code, f"Phone {index}", "", None, "en"])
                if not reply or not reply[0]:
                    raise RuntimeError(f"phone {index} could not join room {self.code}: {reply}")
                await self._post(http, e.after_join, phone, [None])

        await asyncio.gather(*(one(i, p) for i, p in enumerate(self.phones)))

    async def live(
        self, http: httpx.AsyncClient, started: float, vote_window: tuple[float, float], stop: asyncio.Event
    ):
        """Each phone polls at the page's pace from a random phase and taps its step once, at a
        random moment in ``vote_window`` (seconds after ``started``), until ``stop``."""
        low, high = vote_window
        for phone in self.phones:
            phone.vote_at = self._rng.uniform(low, high)
        await asyncio.gather(*(self._phone(http, p, started, stop) for p in self.phones))

    async def _phone(self, http: httpx.AsyncClient, phone: Phone, started: float, stop: asyncio.Event) -> None:
        pace = self.events.phone_tick_s
        next_poll = started + self._rng.uniform(0, pace)
        while not stop.is_set():
            now = time.monotonic()
            if phone.voted_sent is None and now >= started + phone.vote_at:
                phone.voted_sent = time.monotonic()
                try:
                    await self._post(http, self.events.votes[phone.choice], phone, [None])
                    phone.voted_reply = time.monotonic()
                except httpx.HTTPError as error:
                    phone.vote_error = repr(error)
            elif now >= next_poll:
                sent = time.monotonic()
                try:
                    reply = await self._post(http, self.events.phone_tick, phone, [None])
                    phone.polls.append(time.monotonic() - sent)
                    await self._redraw(http, phone, reply)
                except httpx.HTTPError:
                    phone.poll_errors += 1
                next_poll += pace
                while next_poll < time.monotonic():  # a browser's timer does not catch up missed ticks
                    next_poll += pace
            wake = min(next_poll, started + phone.vote_at if phone.voted_sent is None else next_poll)
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.0, wake - time.monotonic()))
            except TimeoutError:
                pass

    async def _redraw(self, http: httpx.AsyncClient, phone: Phone, reply: list[Any]) -> None:
        """As the browser does when a tick's output changes value: run that output's change event."""
        redraw = self.events.phone_redraw
        value = reply[0] if reply else None
        if redraw is None or isinstance(value, dict) or value == phone.seen:
            return
        phone.seen = value
        phone.redraws += 1
        await self._post(http, redraw, phone, [None])

    async def _post(self, http: httpx.AsyncClient, fn: int, phone: Phone, data: list[Any]) -> list[Any]:
        reply = await http.post(self.predict, json=body(fn, phone.session, data))
        reply.raise_for_status()
        return list(reply.json().get("data") or [])


class Projector:
    """The projector's room panel: its session takes the room with the teacher's link, then ticks
    at the page's pace; each reply's bars say how many votes the class's count holds."""

    def __init__(self, url: str, config: dict[str, Any], events: RoomEvents, session: str) -> None:
        self.predict, self.events, self.session = predict_url(url, config), events, session
        self.totals: list[tuple[float, int]] = []  # (reply arrived, votes the bars show)
        self.tick_latencies: list[float] = []

    def take_room(self, http: httpx.Client, code: str, token: str) -> None:
        reply = http.post(
            self.predict + f"?room={code}&key={token}",
            json=body(self.events.projector_from_url, self.session, [None, "en"]),
        )
        reply.raise_for_status()
        self._read(reply.json(), time.monotonic())

    async def ticking(self, http: httpx.AsyncClient, stop: asyncio.Event) -> None:
        pace = self.events.projector_tick_s
        next_tick = time.monotonic() + pace
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.0, next_tick - time.monotonic()))
                return
            except TimeoutError:
                pass
            sent = time.monotonic()
            reply = await http.post(
                self.predict, json=body(self.events.projector_tick, self.session, [None, None, "en"])
            )
            arrived = time.monotonic()
            self.tick_latencies.append(arrived - sent)
            if reply.status_code == 200:
                self._read(reply.json(), arrived)
            next_tick += pace
            while next_tick < time.monotonic():
                next_tick += pace

    def _read(self, reply: dict[str, Any], arrived: float) -> None:
        for value in reply.get("data") or []:
            text = value if isinstance(value, str) else (value or {}).get("value") if isinstance(value, dict) else None
            if isinstance(text, str) and (m := BARS_TOTAL.search(text)):
                self.totals.append((arrived, int(m.group(1))))

    def shown(self) -> int:
        return self.totals[-1][1] if self.totals else 0


def vote_to_bar(phones: list[Phone], totals: list[tuple[float, int]]) -> list[float]:
    """Seconds from each counted vote's tap until the projector's bars first held it. The bars
    show a count, not names: the k-th vote to be answered is shown by the first tick whose count
    reaches k (a later vote answered first only swaps two latencies, never changes their sum)."""
    answered = sorted((p for p in phones if p.voted_reply is not None), key=lambda p: p.voted_reply or 0)
    out = []
    for rank, phone in enumerate(answered, start=1):
        seen = next((t for t, total in totals if total >= rank and t >= (phone.voted_sent or 0)), None)
        if seen is not None:
            out.append(seen - (phone.voted_sent or 0))
    return out
