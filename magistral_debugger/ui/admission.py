"""Admits runs: how many may talk to the model server at once, and how many may wait.

Gradio's own full-queue reply is a generic error toast; admitting runs ourselves lets
the status line say plainly that the app is busy, and lets people who wait see it.
Everything runs on one event loop, so plain counters need no lock.
"""

from __future__ import annotations

import asyncio
from collections import deque


class Busy(Exception):
    """Every slot is taken and the waiting line is full."""


class Admission:
    def __init__(self, running: int, waiting: int) -> None:
        self.running_limit = running
        self.waiting_limit = waiting
        self.running = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    def request(self) -> Slot:
        """A place for one run, taken at once; raises :class:`Busy` when the line is full."""
        if self.running < self.running_limit and not self._waiters:
            self.running += 1
            return Slot(self, None)
        if len(self._waiters) >= self.waiting_limit:
            raise Busy()
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        return Slot(self, turn)

    def _release(self) -> None:
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(None)  # hand the slot straight to the next in line
                return
        self.running -= 1


class Slot:
    """Use as ``async with admission.request() as slot: await slot.turn()``."""

    def __init__(self, admission: Admission, turn: asyncio.Future[None] | None) -> None:
        self._admission = admission
        self._turn = turn

    @property
    def must_wait(self) -> bool:
        return self._turn is not None and not self._turn.done()

    @property
    def ahead(self) -> int:
        waiters = self._admission._waiters
        return waiters.index(self._turn) + 1 if self._turn is not None and self._turn in waiters else 0

    async def turn(self) -> None:
        if self._turn is not None:
            await asyncio.shield(self._turn)

    async def __aenter__(self) -> Slot:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._turn is not None and not self._turn.done():
            self._turn.cancel()  # left the line before its turn: nothing to hand on
            try:
                self._admission._waiters.remove(self._turn)
            except ValueError:
                pass
            return
        self._admission._release()
