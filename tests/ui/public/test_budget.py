"""Public mode's accounting on its own, on a clock the test moves: what each limit admits,
when a refused visitor may try again, and that runs side by side cannot overspend together."""

from __future__ import annotations

import pytest

from magistral_debugger.ui.public.budget import DAY, HOUR, Budget, Limits, Refusal, Ticket


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def budget(clock: Clock, **limits: int) -> Budget:
    chosen = dict(runs_per_hour=3, tokens_per_day=1000, global_tokens_per_day=10_000, runs_at_once=1, run_tokens=100)
    return Budget(Limits(**(chosen | limits)), clock)


def run(b: Budget, keys: tuple[str, ...], tokens: int) -> Ticket:
    ticket = b.admit(keys)
    assert isinstance(ticket, Ticket), ticket
    b.settle(ticket, tokens)
    return ticket


def test_runs_per_hour_admits_exactly_the_limit_and_says_when_the_oldest_leaves_the_hour():
    clock = Clock()
    b = budget(clock)
    for _ in range(3):
        run(b, ("session:a",), 10)
        clock.now += 60
    refused = b.admit(("session:a",))
    assert refused == Refusal("runs_per_hour", 3, HOUR - 180)
    clock.now += HOUR - 180
    assert isinstance(b.admit(("session:a",)), Ticket)


def test_each_key_counts_so_a_new_session_from_the_same_address_is_refused_too():
    b = budget(Clock())
    for session in "abc":
        run(b, (f"session:{session}", "address:203.0.113.7"), 10)
    assert isinstance(b.admit(("session:d", "address:203.0.113.7")), Refusal)
    assert isinstance(b.admit(("session:e", "address:198.51.100.2")), Ticket)


def test_a_run_reserves_its_max_tokens_so_runs_side_by_side_cannot_overspend():
    b = budget(Clock(), tokens_per_day=250, runs_per_hour=100, runs_at_once=10)
    first, second = b.admit(("session:a",)), b.admit(("session:a",))
    assert isinstance(first, Ticket) and isinstance(second, Ticket)
    # 200 reserved: a third run's 100 would make 300 > 250, whatever the two end up using
    assert b.admit(("session:a",)) == Refusal("tokens_per_day", 250, None)
    b.settle(first, 40)
    assert isinstance(b.admit(("session:a",)), Ticket)  # 40 + 100 + 100 ≤ 250


def test_tokens_per_day_says_when_enough_of_the_day_has_rolled_off():
    clock = Clock()
    b = budget(clock, tokens_per_day=250, runs_per_hour=100)
    run(b, ("session:a",), 100)
    clock.now += 600
    run(b, ("session:a",), 100)
    # 200 spent: the next run's 100 needs 50 freed, which the first run's 100 does a day after it
    assert b.admit(("session:a",)) == Refusal("tokens_per_day", 250, DAY - 600)
    clock.now += DAY - 600
    assert isinstance(b.admit(("session:a",)), Ticket)


def test_the_global_cap_holds_for_everyone_together():
    b = budget(Clock(), global_tokens_per_day=250, tokens_per_day=10_000)
    run(b, ("session:a",), 100)
    run(b, ("session:b",), 100)
    refused = b.admit(("session:c",))
    assert isinstance(refused, Refusal) and refused.reason == "global_tokens_per_day"
    assert b.spent() == 200


def test_one_run_at_a_time_per_visitor_until_it_ends():
    b = budget(Clock())
    ticket = b.admit(("session:a",))
    assert b.admit(("session:a",)) == Refusal("runs_at_once", 1, None)
    b.settle(ticket, 5)
    assert isinstance(b.admit(("session:a",)), Ticket)


def test_a_run_that_never_reached_the_server_is_not_one_of_the_hours_runs():
    b = budget(Clock(), runs_per_hour=1)
    b.settle(b.admit(("session:a",)), 0, ran=False)
    assert isinstance(b.admit(("session:a",)), Ticket)


@pytest.mark.parametrize("visitors", [5000])
def test_visitors_gone_for_a_day_are_forgotten(visitors):
    clock = Clock()
    b = budget(clock)
    for n in range(visitors):
        run(b, (f"session:{n}",), 1)
    clock.now += DAY + 1
    for n in range(1000):  # a sweep runs every 1000 admissions
        run(b, (f"session:new{n}",), 1)
    assert len(b._accounts) <= 1001 + 1
