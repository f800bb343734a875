"""An asyncio event loop on a virtual clock, for code that paces itself with ``loop.time()``
and ``asyncio.sleep``: when the loop has nothing to do but wait for its next timer, the
clock jumps to that timer instead of the loop waiting. A 30 s sleep then returns at once
with ``loop.time()`` 30 s later, so a test can assert on the times asked for, exactly.

Real I/O still works (it is polled first), but a jump never waits for it: code under test
must not wait on sockets or threads while it also has a timer pending.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class _JumpingSelector(selectors.DefaultSelector):
    def __init__(self, clock: VirtualClockLoop) -> None:
        super().__init__()
        self._clock = clock

    def select(self, timeout: float | None = None):
        ready = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:  # no timer at all: only real I/O can wake the loop
            return super().select(None)
        self._clock.now += timeout
        return []


class VirtualClockLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self.now = 0.0
        super().__init__(_JumpingSelector(self))

    def time(self) -> float:
        return self.now


def run_on_virtual_clock(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` on a :class:`VirtualClockLoop`."""
    with asyncio.Runner(loop_factory=VirtualClockLoop) as runner:
        return runner.run(main)
