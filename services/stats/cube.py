"""The supervision platform's pre-aggregated cube, without I/O: which questions it answers and how.

The direct query (repository.SupervisionSql) reads every case and node a question covers; a
province-wide answer then costs a scan of millions of rows. The cube keeps the same figures
already counted, small enough to sum in milliseconds and fine enough for the pages' questions
(P1–P6, live):

- a case is counted by its court (and region), the date bases it has a date on, and, as each
  rollup keeps them (ROLLUPS), closed or not, case type and procedure, its nodes' department or
  stage, and the month of a basis's date — a rollup that keeps the month counts a case once per
  month it has a date in, under the bases whose date falls in that month, because a question
  picks one basis (收案 and 立案 fall in one month for most cases: one row for both);
- a node by the same columns and its *class*: its supervision flags in one small number
  (status, open, overdue without warning, locked / unlocked).

Cases are counted distinct. A case with nodes in three stages is one case in a court's total
but one in each of three stages' rows; so a rollup that keeps the stage counts each case once
per stage of its nodes, and one that does not, once. Each case row carries the *mask* of the
classes its nodes there have (bit c for class c): whether a case counts under a node filter and
a measure is then `mask & bits <> 0`, summed without reading a node.

A past day is answered from a *snapshot* when it is a month end or one of the last days
(SNAPSHOT_ROLLUPS): after each such day, the service counts the cube once more as of that day —
from each node's history, the cases CourtFlow had by then, their dates up to that day — and keeps
it (service.take_snapshots). Month ends are the days the court's reports and the quality analysis
ask for ("the situation on 30 September"), kept for two years by default (STATS_SNAPSHOT_MONTHS);
the last days (a month by default) are what a weekly meeting asks for ("last Friday"). A snapshot
is about a fifth of the cube, so these are a few cubes. Once one of the last days is older, its
snapshot is kept as a *delta*, its rows minus the next day's — the few rows the day's changes
moved — and the day is answered by summing its chain: its delta, the next days' deltas, and the
first snapshot kept whole after it (chain_days): the next month end, or the next 8th, 16th or
24th, which stay whole as long as their month end does, so that a chain is at most LONGEST_CHAIN
deltas long. A day whose chain was broken (a day's snapshot never taken, e.g. in an outage; a
month end no longer kept) is dropped with it. The kept months' days that have no snapshot —
before the snapshots began, or dropped so — are then filled from the history (gap_to_fill,
service.fill_snapshots), each as its delta from the next day's counted from the cases its
changes touched; so every day of the kept months is answered from a chain.

Questions the cube cannot answer this way — a day older than the kept months or not yet filled,
a handler, responsible person, category or node type, a date range not on whole months, a caller
narrower than a court, the `abnormal` term — are answered by the direct query, which is fast for
them (narrow, indexed) or rare. `plan()` says which; an integration test asks both ways and
compares.
"""
from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import product
from types import MappingProxyType

from courtflow.common.v1.caller_pb2 import ScopeLevel
from courtflow.stats.v1.supervision_pb2 import NodeStatus

from services.stats import supervision

D = supervision.D

# Node classes: status (normal, warning, overdue) × overdue without warning × open × lock state
# (never locked, locked, unlocked = locked once and released). The SQL in repository.py computes
# the same number from a node row (CLASS_SQL); keep the two together.
STATUSES = (NodeStatus.NODE_STATUS_NORMAL, NodeStatus.NODE_STATUS_WARNING, NodeStatus.NODE_STATUS_OVERDUE)
LOCK_NONE, LOCK_LOCKED, LOCK_UNLOCKED = 0, 1, 2


@dataclass(frozen=True)
class NodeClass:
    status: int
    overdue_without_warning: bool
    open: bool
    lock: int

    @property
    def number(self) -> int:
        return ((STATUSES.index(self.status) * 2 + self.overdue_without_warning) * 2 + self.open) * 3 + self.lock


CLASSES = [NodeClass(s, w, o, lock) for s, w, o, lock in product(STATUSES, (False, True), (False, True), range(3))
           if not (w and s != NodeStatus.NODE_STATUS_OVERDUE)]
assert max(c.number for c in CLASSES) < 63, "node classes must fit a bigint mask"

CLASS_SQL = """((({status} - 1) * 2 + {without_warning}::int) * 2 + ({state} <> 4)::int) * 3
               + CASE WHEN {locked} THEN 1 WHEN {ever_locked} THEN 2 ELSE 0 END"""

# A node term's condition on a class (the node terms of supervision.NODE_TERMS that are flags).
FLAG_TERMS = {
    "status": lambda c, v: c.status == v,
    "open": lambda c, v: c.open == v,
    "locked": lambda c, v: (c.lock == LOCK_LOCKED) == v,
    "unlocked": lambda c, v: (c.lock == LOCK_UNLOCKED) == v,
    "overdue_without_warning": lambda c, v: c.overdue_without_warning == v,
}
# Each measure's condition on a class (a node counts in it; a case counts when a node of it does).
MEASURES = {
    "total": lambda c: True,
    "abnormal": lambda c: c.status != NodeStatus.NODE_STATUS_NORMAL or c.lock == LOCK_LOCKED,
    "warning": lambda c: c.status == NodeStatus.NODE_STATUS_WARNING,
    "overdue": lambda c: c.status == NodeStatus.NODE_STATUS_OVERDUE,
    "overdue_without_warning": lambda c: c.overdue_without_warning,
    "locked": lambda c: c.lock == LOCK_LOCKED,
    "unlocked": lambda c: c.lock == LOCK_UNLOCKED,
    "open": lambda c: c.open,
    "normal": lambda c: c.status == NodeStatus.NODE_STATUS_NORMAL,
}
CASE_MEASURES = ("total", "abnormal", "warning", "overdue", "overdue_without_warning", "locked", "unlocked")
NODE_MEASURES = ("total", "open", "normal", "warning", "overdue", "overdue_without_warning", "locked", "unlocked")

# The cube's rollups: which optional key columns each keeps (the others are summed over). Every
# row also keeps the court (scope, the court and region dimensions) and the date basis (a case
# counts on a basis only with a date on it). A case is counted once per rollup row it falls in:
# with `department` or `stage` kept, once per department or stage of its nodes. A question reads
# the smallest rollup that keeps every column it groups or filters by (the first that does, in
# this order); one that none keeps goes to the direct query. Ids are stored: append, never renumber.
ROLLUPS = {
    1: frozenset(),
    2: frozenset({"case_type", "procedure"}),
    3: frozenset({"stage"}),
    4: frozenset({"department"}),
    5: frozenset({"closed", "case_type", "procedure"}),
    6: frozenset({"month"}),
    7: frozenset({"department", "stage"}),
    8: frozenset({"month", "case_type", "procedure"}),
    9: frozenset({"month", "stage"}),
    10: frozenset({"month", "department"}),
    11: frozenset({"closed", "department"}),
}
# The rollups the cube keeps as it goes: the projection's work grows with each, so one that only
# a past month's report needs (11: a basic court's 期末未结 by department) is counted into month
# ends' snapshots only.
LIVE_ROLLUPS = frozenset(range(1, 11))
# The rollups a snapshot keeps: all but those that keep the month with something else
# (8–10), which hold most of the cube's rows — except that a month end's keeps what a basic
# court's work report of the month asks by department (P7): the month (10, the cases received
# and closed in it) and open or closed (11, 期末未结). Another past day's question by month and
# another column goes to the direct query.
SNAPSHOT_ROLLUPS = frozenset({1, 2, 3, 4, 5, 6, 7})
MONTH_END_ROLLUPS = SNAPSHOT_ROLLUPS | {10, 11}
PARTITIONS = frozenset({"department", "stage"})   # node columns: a case is in one row per value
# A column a rollup sums over holds this value in its rows.
ANY = {"month": "", "closed": 2, "case_type": -1, "procedure": -1, "department": "*", "stage": -1}

CUBE_DIMENSIONS = {D.DIMENSION_REGION, D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT, D.DIMENSION_STAGE,
                   D.DIMENSION_CASE_TYPE, D.DIMENSION_PROCEDURE, D.DIMENSION_MONTH}
KEY_TERMS = ("region", "court", "case_type", "procedure", "month", "closed", "department", "stage")


# A row's `bases`: the bits 1 << basis of the date bases (DateBasis 1–4: 收案、立案、结案、归档) it
# counts under — in a rollup that keeps the month, those whose date is in the row's month; in one
# that does not, those the case has a date on. (Snapshots taken before migration 0015 have one
# basis per row of a monthly rollup: read the same way.)
BASES = (1, 2, 3, 4)


def bases_with(basis: int) -> list[int]:
    """The values of `bases` that count under `basis`: a question's rows found as a few ranges of
    the cube's key (rollup, bases, court, …) rather than by testing the bit on every row of its
    rollup — at a million cases P1 read three rows for each one it counted."""
    every = sum(1 << b for b in BASES)
    return [v for v in range(every + 1) if v & ~every == 0 and v & (1 << basis)]


def mask(condition) -> int:
    """The classes that meet a condition, as bits."""
    return sum(1 << c.number for c in CLASSES if condition(c))


def classes_in(bits: int) -> list[int]:
    """The classes of a mask."""
    return [c.number for c in CLASSES if bits >> c.number & 1]


@dataclass(frozen=True)
class Plan:
    """How the cube answers a question: the rollups to read (for the groups, for the totals), the
    key terms to match, and the classes the node filter selects."""

    rollup: int                # of the grouped question
    totals_rollup: int         # of its totals (no groups)
    key_terms: dict            # key column = value (closed as 0/1)
    selected: int              # mask of the classes the node terms select (all when none)
    with_nodes: bool           # cases count only with a selected node (as the direct query's join)
    snapshot: date | None = None   # the day whose snapshot answers; None: the cube as it is
    dated: bool = False        # the question's months bound the rows (start; an end before as_of)
    days: tuple[date, ...] = ()    # the snapshot's rows to sum: its own, or its chain of deltas

    def measure_mask(self, measure: str) -> int:
        return self.selected & mask(MEASURES[measure])


def rollup_for(columns: set[str], among=LIVE_ROLLUPS) -> int | None:
    return next((r for r, kept in ROLLUPS.items() if columns <= kept and r in among), None)


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def snapshot_rollups(day: date) -> frozenset[int]:
    """The rollups counted into a snapshot of `day` taken now."""
    return MONTH_END_ROLLUPS if is_month_end(day) else SNAPSHOT_ROLLUPS


def month_ends(today: date, months: int) -> list[date]:
    """The last `months` month ends before `today`, newest first."""
    ends, year, month = [], today.year, today.month
    for _ in range(months):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        ends.append(date(year, month, calendar.monthrange(year, month)[1]))
    return ends


# The longest chain of deltas a past day is summed from (STATS_SNAPSHOT_CHAIN). Each delta of a
# chain costs a question about half a millisecond at a province's size (bench/supervision.py
# --chain-days): a day 29 deltas before its month end answered P3 in 67 ms, over the goal of 50.
# So besides the month ends, the days of the month that are multiples of chain + 1 (the 8th, 16th
# and 24th for 7) stay whole as long as the month ends do, and every day's chain ends at one of
# them within `chain` days: three more whole days a month, about 3 × 58 MB at a million cases.
LONGEST_CHAIN = 7


def snapshot_kept(day: date, today: date, *, days: int, months: int, chain: int = LONGEST_CHAIN) -> bool:
    """Whether a snapshot of `day` is kept whole: one of the last `months` month ends (the reports'
    days) or, in their months, a day of the month that is a multiple of `chain` + 1 (where chains
    end); or one of the last `days` days before `today`."""
    if (is_month_end(day) or day.day % (chain + 1) == 0) and day >= month_ends(today, months)[-1].replace(day=1):
        return True
    return today - timedelta(days=days) <= day < today


def snapshots_aging(whole: Collection[date], today: date, *, days: int, months: int, chain: int = LONGEST_CHAIN
                    ) -> tuple[list[date], list[date]]:
    """What the housekeeping does with the whole snapshots of days no longer kept (snapshot_kept):
    each becomes a *delta* — its rows minus the next day's — when the next day's snapshot is kept
    or becomes a delta too, so that the day is still answered, by its chain (chain_days); it is
    dropped otherwise (the next day's was never taken, e.g. in an outage; a month end older than
    the last `months`, whose next day is not kept). The days to turn into deltas, oldest first
    (each is taken from its next day's whole rows), and the days to drop."""
    aging = sorted(d for d in whole if not snapshot_kept(d, today, days=days, months=months, chain=chain))
    kept = set(whole) - set(aging)
    deltas: set[date] = set()
    for day in reversed(aging):   # newest first: the next day's fate is known
        if day + timedelta(days=1) in kept | deltas:
            deltas.add(day)
    return sorted(deltas), [d for d in aging if d not in deltas]


def chain_days(day: date, whole: Collection[date], deltas: Collection[date]) -> tuple[date, ...] | None:
    """The snapshots whose rows, summed, are `day`'s: its own when kept whole; else its delta and
    the next days' up to one kept whole (day − (day+1) + (day+1) − … + whole). None: no such chain
    (a day between was dropped)."""
    chain = []
    while day in deltas:
        chain.append(day)
        day += timedelta(days=1)
    return (*chain, day) if day in whole else None


def gap_to_fill(today: date, whole: Collection[date], deltas: Collection[date], *, days: int, months: int
                ) -> tuple[date, date] | None:
    """The newest run of days without a snapshot that the housekeeping can fill from the read
    model's history (first, last), or None. Such a day was never taken — before the snapshots
    began (a new system, or one upgraded, whose history goes back further) or in an outage — or
    was dropped when its chain broke; without a snapshot it is counted from every node's status
    as of that day, minutes for a province. A run lies within the kept months (from the first day
    of the oldest kept month end's) and before the last `days` (those snapshot_due takes whole), holds no month
    end (taken whole by snapshot_due), and its last day's next day has a chain to
    sum to. `days` 0 keeps month ends only: nothing is filled."""
    if days <= 0:
        return None
    present = set(whole) | set(deltas)
    start = month_ends(today, months)[-1].replace(day=1)
    day = today - timedelta(days=days + 1)
    while day >= start:
        if day in present or is_month_end(day) or chain_days(day + timedelta(days=1), whole, deltas) is None:
            day -= timedelta(days=1)
            continue
        first = day
        while (first - timedelta(days=1) >= start and first - timedelta(days=1) not in present
               and not is_month_end(first - timedelta(days=1))):
            first -= timedelta(days=1)
        return first, day
    return None


def snapshot_due(now: datetime, today: date, day_start, *, settle: timedelta, taken: set[date],
                 months: int, days: int = 0) -> date | None:
    """The day whose snapshot to take next, or None: the newest of the last `months` month ends
    and the last `days` days before `today` (the legal day of `now`) that has none and ended at
    least `settle` ago (`day_start(d)`: when the legal day d begins) — time for the events of its
    last day to reach the read model."""
    recent = [today - timedelta(days=n) for n in range(1, days + 1)]
    for day in sorted({*month_ends(today, months), *recent}, reverse=True):
        if day not in taken and day_start(day + timedelta(days=1)) + settle <= now:
            return day
    return None


def _whole_months(q: supervision.Query) -> bool:
    if q.start is not None and q.start.day != 1:
        return False
    return q.end is None or q.end.day == calendar.monthrange(q.end.year, q.end.month)[1]


def plan(q: supervision.Query, dimensions: list[int], *, scope: int, with_nodes: bool,
         snapshots: Mapping[date, frozenset[int]] = MappingProxyType({}),
         deltas: Mapping[date, frozenset[int]] = MappingProxyType({})) -> Plan | None:
    """The cube's plan for a question, or None when the direct query must answer it. `snapshots`:
    the days whose snapshot is kept whole, `deltas` those kept as deltas, with the rollups each
    holds (only as_of's chain matters)."""
    chain = chain_days(q.as_of, snapshots, deltas) if q.as_of is not None else ()
    if chain is None or not _whole_months(q):
        return None
    if scope not in (ScopeLevel.SCOPE_LEVEL_COURT, ScopeLevel.SCOPE_LEVEL_REGION, ScopeLevel.SCOPE_LEVEL_PROVINCE):
        return None   # department and own scopes select by the case's department or handler
    if not set(dimensions) <= CUBE_DIMENSIONS:
        return None
    key_terms, flags = {}, {}
    for name, value in q.terms.items():
        if name in KEY_TERMS:
            key_terms[name] = int(value) if name == "closed" else value
        elif name in FLAG_TERMS:
            flags[name] = value
        else:
            return None   # handler, responsible, category, node_type, abnormal
    needed = set(key_terms) - {"court", "region"}
    # A snapshot has no date after its day (the cases' dates as they stood then): an end on or
    # after it bounds nothing (a report's 期末未结: received by the period's end, as of that end).
    dated = q.start is not None or (q.end is not None and (q.as_of is None or q.end < q.as_of))
    if dated:
        needed.add("month")
    grouped = {supervision.DIMENSION_TERMS[d] for d in dimensions} - {"court", "region"}
    among = frozenset.intersection(*[snapshots[d] if d in snapshots else deltas[d] for d in chain]) if chain \
        else LIVE_ROLLUPS
    rollup, totals_rollup = rollup_for(needed | grouped, among), rollup_for(needed, among)
    if rollup is None or totals_rollup is None:
        return None
    selected = mask(lambda c: all(FLAG_TERMS[k](c, v) for k, v in flags.items()))
    return Plan(rollup=rollup, totals_rollup=totals_rollup, key_terms=key_terms, selected=selected,
                with_nodes=with_nodes or bool(flags) or bool(PARTITIONS & set(key_terms)), snapshot=q.as_of,
                dated=dated, days=chain)
