"""What strangers may spend of the owner's key: runs per hour and tokens per day per visitor,
tokens per day for the whole app, and runs at once per visitor.

Windows roll (the last hour, the last 24 hours) rather than reset at midnight, so a refusal
can say exactly when the visitor may try again. A run reserves its whole max tokens when it
is admitted and is charged what it used when it ends: runs admitted side by side can never
spend more than the limit together, which a check of "spent so far" alone would allow.

In memory, for one process: the counts live and die with it (README, "Public mode").
Everything runs on the app's event loop, so plain dicts need no lock.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

HOUR, DAY = 3600.0, 86400.0
# Keys nobody touched for a while are swept out every so many admissions (memory stays bounded
# by the visitors of the last day).
SWEEP_EVERY = 1000
GLOBAL = "*"

Reason = Literal["runs_per_hour", "tokens_per_day", "global_tokens_per_day", "runs_at_once"]


@dataclass(frozen=True)
class Limits:
    runs_per_hour: int
    tokens_per_day: int
    global_tokens_per_day: int
    runs_at_once: int
    # What one run may spend at most (its max tokens), reserved while it runs.
    run_tokens: int


@dataclass(frozen=True)
class Refusal:
    """Why a run may not start, the limit it met, and in how many seconds it may (None: when
    one of the visitor's runs now going on has ended)."""

    reason: Reason
    limit: int
    retry_in: float | None


@dataclass(frozen=True)
class Ticket:
    """An admitted run: the keys it counts against, the tokens it reserved, and when."""

    keys: tuple[str, ...]
    reserved: int
    started: float


@dataclass
class _Account:
    runs: deque[float] = field(default_factory=deque)  # start times within the last hour
    spent: deque[tuple[float, int]] = field(default_factory=deque)  # (when, tokens) within the last day
    spent_total: int = 0
    reserved: int = 0
    running: int = 0

    def forget_before(self, now: float) -> None:
        while self.runs and self.runs[0] <= now - HOUR:
            self.runs.popleft()
        while self.spent and self.spent[0][0] <= now - DAY:
            self.spent_total -= self.spent.popleft()[1]

    @property
    def idle(self) -> bool:
        return not (self.runs or self.spent or self.running or self.reserved)

    def wait_for_tokens(self, need: int, limit: int, now: float) -> float | None:
        """Seconds until ``need`` more tokens fit under ``limit`` (None: only a run's end frees them)."""
        over = self.spent_total + self.reserved + need - limit
        if over <= 0:
            return 0.0
        for when, tokens in self.spent:
            over -= tokens
            if over <= 0:
                return when + DAY - now
        return None


class Budget:
    """``admit(keys)`` a run or say why not; ``settle(ticket, tokens)`` when it ends."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.time) -> None:
        self.limits = limits
        self.clock = clock
        self._accounts: dict[str, _Account] = {}
        self._admitted = 0

    def _account(self, key: str, now: float) -> _Account:
        account = self._accounts.setdefault(key, _Account())
        account.forget_before(now)
        return account

    def admit(self, keys: Sequence[str]) -> Ticket | Refusal:
        now, limits = self.clock(), self.limits
        mine = [self._account(key, now) for key in dict.fromkeys(keys)]
        everyone = self._account(GLOBAL, now)
        refusal = self._refusal(mine, everyone, now)
        if refusal is not None:
            return refusal
        for account in mine:
            account.runs.append(now)
            account.running += 1
        for account in (*mine, everyone):
            account.reserved += limits.run_tokens
        self._admitted += 1
        if self._admitted % SWEEP_EVERY == 0:
            self._sweep(now)
        return Ticket((*dict.fromkeys(keys), GLOBAL), limits.run_tokens, now)

    def _refusal(self, mine: Iterable[_Account], everyone: _Account, now: float) -> Refusal | None:
        limits = self.limits
        mine = list(mine)
        if any(account.running >= limits.runs_at_once for account in mine):
            return Refusal("runs_at_once", limits.runs_at_once, None)
        full = [account.runs[0] + HOUR - now for account in mine if len(account.runs) >= limits.runs_per_hour]
        if full:
            return Refusal("runs_per_hour", limits.runs_per_hour, max(full))
        waits = [account.wait_for_tokens(limits.run_tokens, limits.tokens_per_day, now) for account in mine]
        if any(wait != 0.0 for wait in waits):
            return Refusal("tokens_per_day", limits.tokens_per_day, _longest(waits))
        wait = everyone.wait_for_tokens(limits.run_tokens, limits.global_tokens_per_day, now)
        if wait != 0.0:
            return Refusal("global_tokens_per_day", limits.global_tokens_per_day, wait)
        return None

    def settle(self, ticket: Ticket, tokens: int, *, ran: bool = True) -> None:
        """The run has ended, having used ``tokens``: its reservation becomes what it spent.
        A run that never reached the server (``ran`` False: the app was busy, the text too
        long) does not count as one of the hour's runs either."""
        now = self.clock()
        for key in ticket.keys:
            account = self._account(key, now)
            account.reserved -= ticket.reserved
            if key != GLOBAL:
                account.running -= 1
                if not ran and ticket.started in account.runs:
                    account.runs.remove(ticket.started)
            if tokens > 0:
                account.spent.append((now, tokens))
                account.spent_total += tokens

    def spent(self, key: str = GLOBAL) -> int:
        """Tokens ``key`` spent in the last day (the whole app's by default)."""
        account = self._accounts.get(key)
        if account is None:
            return 0
        account.forget_before(self.clock())
        return account.spent_total

    def _sweep(self, now: float) -> None:
        for key in [key for key, account in self._accounts.items() if key != GLOBAL]:
            account = self._accounts[key]
            account.forget_before(now)
            if account.idle:
                del self._accounts[key]


def _longest(waits: Sequence[float | None]) -> float | None:
    """The wait that frees every account: None (a run's end) where one is only freed so."""
    known = [wait for wait in waits if wait]
    if any(wait is None for wait in waits):
        return None
    return max(known) if known else 0.0
