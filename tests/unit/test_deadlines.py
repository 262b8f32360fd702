"""When a node's warning rungs and deadline fire, and what each firing means (DOMAIN §1, §5, §6).

A node is overdue from 00:00 Asia/Shanghai of the day after its due date (16:00 UTC of the due
date); rung N fires at 00:00 Asia/Shanghai N days before the due date. Only the latest applicable
reminder goes out; a node already past due gets no warning (超期未预警).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.clock import LEGAL_TZ
from services.node.deadlines import (DEADLINE_RUNG, Firing, days_overdue, days_remaining, deadline_time, decide,
                                     fire_time, legal_date, schedule)

UTC = timezone.utc
DUE = date(2026, 7, 6)          # a Monday
RUNGS = [15, 7, 3]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LEGAL_TZ)


def firing(rung: int, now: datetime, *, due: date = DUE, rungs=RUNGS, completed: bool = False) -> Firing:
    return decide(rung=rung, due=due, rungs=list(rungs), completed=completed, now=now)


# -- when timers fire ---------------------------------------------------------------------------------

def test_deadline_is_midnight_shanghai_after_the_due_date():
    assert deadline_time(DUE) == local(2026, 7, 7, 0, 0)
    assert deadline_time(DUE) == utc(2026, 7, 6, 16, 0)
    assert deadline_time(DUE).utcoffset() == timedelta(0)


@pytest.mark.parametrize("due, expected_utc", [
    (date(2026, 12, 31), utc(2026, 12, 31, 16)),   # deadline falls in the next year
    (date(2026, 2, 28), utc(2026, 2, 28, 16)),     # 2026 is no leap year: deadline on 1 March local
    (date(2028, 2, 28), utc(2028, 2, 28, 16)),     # leap year: deadline on 29 February local
])
def test_deadline_across_month_and_year_ends(due, expected_utc):
    assert deadline_time(due) == expected_utc
    assert deadline_time(due).astimezone(LEGAL_TZ).date() == due + timedelta(days=1)


@pytest.mark.parametrize("rung, expected_local_day", [(15, date(2026, 6, 21)), (7, date(2026, 6, 29)),
                                                      (3, date(2026, 7, 3)), (1, date(2026, 7, 5))])
def test_rung_fires_at_midnight_shanghai_n_days_before_due(rung, expected_local_day):
    at = fire_time(DUE, rung)
    assert at == local(expected_local_day.year, expected_local_day.month, expected_local_day.day)
    assert at == utc(expected_local_day.year, expected_local_day.month, expected_local_day.day) - timedelta(hours=8)


def test_fire_time_of_the_deadline_rung_is_the_deadline():
    assert fire_time(DUE, DEADLINE_RUNG) == deadline_time(DUE)


def test_schedule_lists_rungs_descending_and_the_deadline_last():
    assert schedule(DUE, [3, 15, 7]) == [
        (15, fire_time(DUE, 15)), (7, fire_time(DUE, 7)), (3, fire_time(DUE, 3)),
        (DEADLINE_RUNG, deadline_time(DUE))]


def test_schedule_fire_times_are_strictly_increasing():
    times = [at for _, at in schedule(DUE, RUNGS)]
    assert times == sorted(times) and len(set(times)) == len(times)


def test_schedule_lists_a_repeated_rung_once():
    assert [r for r, _ in schedule(DUE, (7, 7, 3))] == [7, 3, DEADLINE_RUNG]


def test_schedule_without_rungs_is_only_the_deadline():
    assert schedule(DUE, ()) == [(DEADLINE_RUNG, deadline_time(DUE))]


# -- what a firing means ----------------------------------------------------------------------------

def test_rung_warns_when_only_it_is_due():
    assert firing(15, fire_time(DUE, 15)) is Firing.WARN
    assert firing(7, fire_time(DUE, 7) + timedelta(hours=1)) is Firing.WARN
    assert firing(3, deadline_time(DUE) - timedelta(seconds=1)) is Firing.WARN


def test_rung_still_warns_one_second_before_the_next_rung_is_due():
    assert firing(15, fire_time(DUE, 7) - timedelta(seconds=1)) is Firing.WARN


def test_rung_is_skipped_when_a_later_rung_is_also_due():
    """After downtime only the latest applicable reminder goes out."""
    now = fire_time(DUE, 7)                      # both 15 and 7 are due now
    assert firing(15, now) is Firing.SKIP
    assert firing(7, now) is Firing.WARN
    now = fire_time(DUE, 3) + timedelta(hours=5)  # 15, 7 and 3 all due
    assert [firing(r, now) for r in RUNGS] == [Firing.SKIP, Firing.SKIP, Firing.WARN]


def test_every_rung_is_skipped_once_the_deadline_is_due():
    """A node swept (or created) already past due gets no warning: overdue without warning."""
    now = deadline_time(DUE)
    assert [firing(r, now) for r in RUNGS] == [Firing.SKIP] * 3
    assert firing(DEADLINE_RUNG, now) is Firing.OVERDUE


def test_node_created_long_after_due_is_overdue_without_warning():
    now = deadline_time(DUE) + timedelta(days=40)
    outcomes = {r: firing(r, now) for r, _ in schedule(DUE, RUNGS)}
    assert outcomes == {15: Firing.SKIP, 7: Firing.SKIP, 3: Firing.SKIP, DEADLINE_RUNG: Firing.OVERDUE}


def test_rung_list_order_does_not_matter():
    now = fire_time(DUE, 7)
    assert firing(15, now, rungs=[3, 7, 15]) is Firing.SKIP
    assert firing(7, now, rungs=[3, 15, 7]) is Firing.WARN


def test_deadline_rung_is_overdue():
    assert firing(DEADLINE_RUNG, deadline_time(DUE)) is Firing.OVERDUE
    assert firing(DEADLINE_RUNG, deadline_time(DUE), rungs=[]) is Firing.OVERDUE


@pytest.mark.parametrize("rung", [15, 7, 3, DEADLINE_RUNG])
@pytest.mark.parametrize("now", [fire_time(DUE, 15), fire_time(DUE, 3), deadline_time(DUE),
                                 deadline_time(DUE) + timedelta(days=100)])
def test_completed_node_skips_everything(rung, now):
    assert firing(rung, now, completed=True) is Firing.SKIP


# -- days counted in legal dates (Asia/Shanghai) -------------------------------------------------------

def test_legal_date_changes_at_midnight_shanghai_not_utc():
    assert legal_date(utc(2026, 7, 5, 15, 59)) == date(2026, 7, 5)
    assert legal_date(utc(2026, 7, 5, 16, 1)) == date(2026, 7, 6)


def test_days_remaining_around_local_midnight():
    # 23:59 on 5 July local (15:59 UTC): one day left; 00:01 on 6 July local (16:01 UTC): the due day.
    assert days_remaining(DUE, utc(2026, 7, 5, 15, 59)) == 1
    assert days_remaining(DUE, utc(2026, 7, 5, 16, 1)) == 0
    assert days_remaining(DUE, local(2026, 7, 5, 23, 59)) == 1
    assert days_remaining(DUE, local(2026, 7, 6, 0, 1)) == 0


def test_days_remaining_when_a_rung_fires_is_the_rung():
    for rung in RUNGS:
        assert days_remaining(DUE, fire_time(DUE, rung)) == rung


def test_days_overdue_around_local_midnight():
    # 23:59 on the due day local is still on time; 00:01 the next day is the first day overdue.
    assert days_overdue(DUE, utc(2026, 7, 6, 15, 59)) == 0
    assert days_overdue(DUE, utc(2026, 7, 6, 16, 1)) == 1
    assert days_overdue(DUE, local(2026, 7, 6, 23, 59)) == 0
    assert days_overdue(DUE, local(2026, 7, 7, 0, 1)) == 1


def test_days_overdue_is_one_at_the_deadline_and_counts_whole_days():
    assert days_overdue(DUE, deadline_time(DUE)) == 1
    assert days_overdue(DUE, deadline_time(DUE) + timedelta(days=30, hours=23)) == 31
    assert days_overdue(DUE, deadline_time(DUE) + timedelta(days=90)) == 91


# -- properties --------------------------------------------------------------------------------------

dues = st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31))
rung_sets = st.lists(st.integers(min_value=1, max_value=60), max_size=6)
offsets = st.integers(min_value=-70 * 24 * 60, max_value=70 * 24 * 60).map(lambda m: timedelta(minutes=m))


def due_warnings(due: date, rungs: list[int], now: datetime) -> list[int]:
    """Rungs whose timer is due at `now` and that would fire a warning."""
    return [r for r in set(rungs)
            if fire_time(due, r) <= now and decide(rung=r, due=due, rungs=rungs, completed=False, now=now)
            is Firing.WARN]


@settings(max_examples=300, deadline=None)
@given(due=dues, rungs=rung_sets, offset=offsets)
def test_at_most_one_warning_at_a_time_and_none_after_the_deadline(due, rungs, offset):
    now = deadline_time(due) + offset
    warns = due_warnings(due, rungs, now)
    assert len(warns) <= 1
    if now >= deadline_time(due):
        assert warns == []
        assert decide(rung=DEADLINE_RUNG, due=due, rungs=rungs, completed=False, now=now) is Firing.OVERDUE
    else:
        due_rungs = [r for r in rungs if fire_time(due, r) <= now]
        # exactly the latest due reminder goes out, if any is due
        assert warns == ([min(due_rungs)] if due_rungs else [])


@settings(max_examples=200, deadline=None)
@given(due=dues, rungs=rung_sets,
       sweeps=st.lists(st.integers(min_value=-70 * 24, max_value=10 * 24), min_size=1, max_size=12))
def test_sweeper_simulation_fires_each_timer_once_and_overdue_last(due, rungs, sweeps):
    """Sweeps at arbitrary instants (downtime between them) fire each due timer once, in the order
    the sweeper uses; warnings go out for descending rungs and never after the overdue."""
    pending = schedule(due, rungs)
    outcomes: list[tuple[int, Firing]] = []
    instants = [deadline_time(due) + timedelta(hours=h) for h in sorted(sweeps) + [24 * 11]]  # last: after due
    for now in instants:
        ready = sorted((t for t in pending if t[1] <= now), key=lambda t: (t[1], -t[0]))
        pending = [t for t in pending if t not in ready]
        in_this_sweep = [decide(rung=rung, due=due, rungs=rungs, completed=False, now=now) for rung, _ in ready]
        outcomes += [(rung, result) for (rung, _), result in zip(ready, in_this_sweep)]
        assert in_this_sweep.count(Firing.WARN) <= 1
    assert pending == []
    assert len(outcomes) == len(set(rungs)) + 1
    assert [o for _, o in outcomes].count(Firing.OVERDUE) == 1 and outcomes[-1] == (DEADLINE_RUNG, Firing.OVERDUE)
    warned_rungs = [r for r, o in outcomes if o is Firing.WARN]
    assert warned_rungs == sorted(set(warned_rungs), reverse=True)
    # warned before the overdue exactly when some sweep ran after the first rung came due and before the deadline
    sweep_in_warning_window = bool(rungs) and any(
        fire_time(due, max(rungs)) <= now < deadline_time(due) for now in instants)
    assert bool(warned_rungs) == sweep_in_warning_window
