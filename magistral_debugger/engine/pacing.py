"""How often a page gets an update of a live run.

Each update costs the process the same work in Gradio's queue whatever it carries, and
that work, not the tokens, is what fills the CPU when a class streams at once. So the
interval grows with the number of runs streaming in this process: one person sees every
token within 80 ms as before, while a class of 128 costs fewer updates per second than 64
did at 80 ms (bench/, measurement 7, compares it with a fixed 80 ms). The interval never
exceeds SLOWEST, so the wait it adds stays under the 300 ms a token may take.
"""

from __future__ import annotations

import threading

FASTEST = 0.080  # seconds: one person alone, and any class up to FASTEST / PER_STREAM
SLOWEST = 0.200
PER_STREAM = 0.0015  # seconds added per run streaming in this process


def update_interval(streaming: int) -> float:
    """The seconds between two updates of a run while ``streaming`` runs stream here."""
    return min(max(PER_STREAM * streaming, FASTEST), SLOWEST)


class LiveRuns:
    """How many runs are streaming to a page in this process. Gradio drives them on one event
    loop, but tests and scripts may run loops on several threads: hence the lock."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    @property
    def count(self) -> int:
        return self._count

    def started(self) -> None:
        with self._lock:
            self._count += 1

    def ended(self) -> None:
        with self._lock:
            self._count -= 1


LIVE_RUNS = LiveRuns()
