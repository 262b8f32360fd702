"""The supervision platform's definitions on small hand-checked cases (services/stats/projection.py,
supervision.py): a node's status, which of two statuses is the later, and the query's terms."""
from datetime import date, datetime

import pytest

from courtflow.node.v1.node_pb2 import Node, NodeState
from courtflow.stats.v1 import supervision_pb2 as pb

from services.common.clock import LEGAL_TZ
from services.common.dates import from_date
from services.common.errors import InvalidArgument
from services.stats import projection, quality, supervision

TODAY = date(2026, 10, 20)


def node(state, *, due=date(2026, 9, 10), warned=None, completed=None, generation=0) -> Node:
    n = Node(name="courts/440101/cases/0b7e7a4e-3c1f-4f55-9d0e-6f4b1d2c3a4b/nodes/service", state=state,
             due_date=from_date(due), clock_generation=generation)
    if warned:
        n.warning_time.FromDatetime(warned)
    if completed:
        n.complete_time.FromDatetime(completed)
    return n


def t(month, day, hour=9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LEGAL_TZ)


@pytest.mark.parametrize("n, status", [
    (node(NodeState.NODE_STATE_RUNNING), pb.NODE_STATUS_NORMAL),
    (node(NodeState.NODE_STATE_WARNING, warned=t(9, 8)), pb.NODE_STATUS_WARNING),
    (node(NodeState.NODE_STATE_OVERDUE), pb.NODE_STATUS_OVERDUE),
    # Completed on its due date (Beijing time, even late in the evening): in time.
    (node(NodeState.NODE_STATE_COMPLETED, completed=t(9, 10, 23)), pb.NODE_STATUS_NORMAL),
    # Completed the day after: 超期完成, overdue.
    (node(NodeState.NODE_STATE_COMPLETED, completed=t(9, 11, 0)), pb.NODE_STATUS_OVERDUE),
    # Completed in time after a warning: a warning.
    (node(NodeState.NODE_STATE_COMPLETED, warned=t(9, 8), completed=t(9, 9)), pb.NODE_STATUS_WARNING),
])
def test_a_nodes_status(n, status):
    assert projection.status_of(n) == status


def test_overdue_without_warning_only_when_no_warning_came_first():
    assert projection.node_row(node(NodeState.NODE_STATE_OVERDUE), t(9, 11))["overdue_without_warning"]
    assert not projection.node_row(node(NodeState.NODE_STATE_OVERDUE, warned=t(9, 8)), t(9, 11))[
        "overdue_without_warning"]


def test_the_later_status_wins_by_generation_then_time_then_state_then_lock():
    overdue = projection.node_row(node(NodeState.NODE_STATE_OVERDUE), t(9, 11))
    extended = projection.node_row(node(NodeState.NODE_STATE_RUNNING, due=date(2026, 12, 10), generation=1), t(9, 5))
    assert projection.latest([overdue, extended]) is extended    # a new generation, even if stamped earlier
    warned = projection.node_row(node(NodeState.NODE_STATE_WARNING, warned=t(9, 8)), t(9, 8))
    assert projection.latest([overdue, warned]) is overdue
    same_time_running = projection.node_row(node(NodeState.NODE_STATE_RUNNING), t(9, 11))
    assert projection.latest([same_time_running, overdue]) is overdue


def test_regions_follow_the_court_ids():
    assert [projection.region_of(c) for c in ("440101", "4401", "44")] == ["4401", "4401", "44"]


def query(**fields) -> supervision.Query:
    return supervision.parse_query(pb.SupervisionQuery(**fields), today=TODAY)


def test_terms_are_read_and_written_back_alike():
    text = 'court = "440101" AND stage = FILING AND status = OVERDUE AND locked = true AND month = "2026-09"'
    q = query(filter=text)
    assert q.case_terms() == {"court": "440101", "month": "2026-09"}
    assert set(q.node_terms()) == {"stage", "status", "locked"}
    assert query(filter=supervision.filter_text(q.terms)).terms == q.terms


def test_today_is_the_live_answer_and_the_future_is_refused():
    assert query(as_of=from_date(TODAY)).as_of is None
    assert query(as_of=from_date(date(2026, 9, 30))).as_of == date(2026, 9, 30)
    with pytest.raises(InvalidArgument) as refused:
        query(as_of=from_date(date(2026, 10, 21)))
    assert refused.value.violations[0].field == "query.as_of" and "晚于今天" in refused.value.violations[0].description


@pytest.mark.parametrize("text, said", [
    ("stage = SOMEWHERE", "stage"), ("locked = yes", "locked"), ("month = 2026-13", "month"),
    ("court = 44x", "court"), ("judge = x", "不支持按 judge 过滤"), ("court 440101", "无法解析"),
])
def test_a_bad_term_is_refused_in_chinese_naming_the_field(text, said):
    with pytest.raises(InvalidArgument) as refused:
        query(filter=text)
    violation = refused.value.violations[0]
    assert violation.field == "query.filter" and said in violation.description


def test_month_labels_and_stage_words():
    assert supervision.group_value(pb.DIMENSION_MONTH, "2026-09")[2] == "2026年9月"
    assert supervision.group_value(pb.DIMENSION_STAGE, 3)[1:] == ("FILING", "立案登记")


def test_a_month_ends_snapshot_is_due_once_its_last_events_have_had_time_to_arrive():
    """cube.snapshot_due: the newest month end without a snapshot, `settle` after it ended (legal
    time: 1 October begins at 00:00 in Shanghai, 16:00 UTC the day before), no further back than
    `months`."""
    from datetime import timedelta

    from services.common.clock import start_of_legal_day
    from services.stats import cube

    def due(now, taken=(), months=3):
        return cube.snapshot_due(now, now.astimezone(LEGAL_TZ).date(), start_of_legal_day,
                                 settle=timedelta(hours=2), taken=set(taken), months=months)

    assert due(datetime(2026, 10, 1, 1, 59, tzinfo=LEGAL_TZ)) == date(2026, 8, 31)   # 9-30 still settling
    assert due(datetime(2026, 10, 1, 2, 0, tzinfo=LEGAL_TZ)) == date(2026, 9, 30)
    assert due(datetime(2026, 10, 1, 2, 0, tzinfo=LEGAL_TZ), taken=[date(2026, 9, 30)]) == date(2026, 8, 31)
    assert due(datetime(2026, 10, 20, tzinfo=LEGAL_TZ),
               taken=[date(2026, 9, 30), date(2026, 8, 31), date(2026, 7, 31)]) is None   # three months back
    assert due(datetime(2026, 3, 5, tzinfo=LEGAL_TZ), months=1) == date(2026, 2, 28)
    assert due(datetime(2025, 1, 3, tzinfo=LEGAL_TZ), months=1) == date(2024, 12, 31)


def test_the_last_days_snapshots_are_due_beside_the_month_ends_and_dropped_when_older():
    """cube.snapshot_due with `days`: each of the last days too, newest first (yesterday once it has
    settled), the month ends among them once; cube.snapshot_kept: one of the last `months` month
    ends and, as long as they are, the days where chains of deltas end (the 8th, 16th, 24th);
    another day while it is one of the last `days`."""
    from datetime import timedelta

    from services.common.clock import start_of_legal_day
    from services.stats import cube

    def due(now, taken=(), months=2, days=3):
        return cube.snapshot_due(now, now.astimezone(LEGAL_TZ).date(), start_of_legal_day,
                                 settle=timedelta(hours=2), taken=set(taken), months=months, days=days)

    morning = datetime(2026, 10, 3, 1, tzinfo=LEGAL_TZ)        # 10-02 still settling
    assert due(morning) == date(2026, 10, 1)
    order, taken = [], []
    while (day := due(datetime(2026, 10, 3, 3, tzinfo=LEGAL_TZ), taken)) is not None:
        order.append(day)
        taken.append(day)
    assert order == [date(2026, 10, 2), date(2026, 10, 1), date(2026, 9, 30), date(2026, 8, 31)]
    assert due(datetime(2026, 10, 3, 3, tzinfo=LEGAL_TZ), days=0) == date(2026, 9, 30)
    today = date(2026, 10, 20)
    assert [d.day for d in (date(2026, 10, n) for n in range(14, 21))
            if cube.snapshot_kept(d, today, days=3, months=24)] == [16, 17, 18, 19]
    assert [d.day for d in (date(2026, 10, n) for n in range(14, 21))
            if cube.snapshot_kept(d, today, days=3, months=24, chain=30)] == [17, 18, 19]
    assert cube.snapshot_kept(date(2024, 10, 24), today, days=0, months=24)      # a chain's end in the month
    assert not cube.snapshot_kept(date(2024, 9, 24), today, days=0, months=24)   # of a month end kept
    assert cube.snapshot_kept(date(2024, 10, 31), today, days=0, months=24)      # the 24th month end back
    assert not cube.snapshot_kept(date(2024, 9, 30), today, days=0, months=24)   # the 25th
    assert not cube.snapshot_kept(date(2026, 10, 19), today, days=0, months=24)
    assert not cube.snapshot_kept(date(2026, 8, 31), today, days=0, months=1)


def test_q2_takes_the_month_ends_and_the_last_days_snapshots():
    """quality.snapshot_wanted: Q2's snapshot of a day is taken when it is one of the last `months`
    month ends or of the last `days` days, as the cube's; not of an older day (the cube's chain
    ends, the 8th, 16th and 24th, stay whole only once taken as one of the last days)."""
    today = date(2026, 10, 20)
    assert [n for n in range(14, 21) if quality.snapshot_wanted(date(2026, 10, n), today, days=3, months=24)] == [
        17, 18, 19]
    assert quality.snapshot_wanted(date(2024, 10, 31), today, days=0, months=24)      # the 24th month end back
    assert not quality.snapshot_wanted(date(2024, 9, 30), today, days=0, months=24)   # the 25th
    assert not quality.snapshot_wanted(date(2026, 10, 8), today, days=3, months=24)
    assert quality.snapshot_wanted(date(2026, 9, 30), today, days=31, months=1)
    assert not quality.snapshot_wanted(date(2026, 8, 31), today, days=31, months=1)


def test_a_day_no_longer_kept_whole_becomes_a_delta_when_its_chain_reaches_a_whole_snapshot():
    """cube.snapshots_aging: a day older than the last `days` becomes a delta (its rows minus the
    next day's) when the next day's snapshot stays whole or becomes a delta too, oldest first; a
    day whose next day has no snapshot is dropped. cube.chain_days: a day's snapshot is its own,
    or its deltas up to the first whole one; none across a missing day."""
    from services.stats import cube

    d = lambda month, day: date(2026, month, day)  # noqa: E731
    # Kept whole on 10-20 with days=3: 09-30 (a month end) and 10-17…10-19. 10-12 has none (an outage).
    # (chain=30: no day but the month ends where chains end, see the next test.)
    whole = {d(9, 28), d(9, 29), d(9, 30), d(10, 10), d(10, 11), d(10, 13), d(10, 14), d(10, 15), d(10, 16),
             d(10, 17), d(10, 18), d(10, 19)}
    turned, dropped = cube.snapshots_aging(whole, d(10, 20), days=3, months=2, chain=30)
    assert turned == [d(9, 28), d(9, 29), d(10, 13), d(10, 14), d(10, 15), d(10, 16)]
    assert dropped == [d(10, 10), d(10, 11)]   # 10-11's next day was never taken, so 10-10 leads nowhere
    kept = whole - set(turned) - set(dropped)
    assert cube.chain_days(d(9, 28), kept, turned) == (d(9, 28), d(9, 29), d(9, 30))
    assert cube.chain_days(d(10, 13), kept, turned) == (d(10, 13), d(10, 14), d(10, 15), d(10, 16), d(10, 17))
    assert cube.chain_days(d(10, 17), kept, turned) == (d(10, 17),)
    assert cube.chain_days(d(10, 12), kept, turned) is None and cube.chain_days(d(10, 5), kept, turned) is None
    # A month end of the last `months` is never aged; an older one is dropped (its next day is not
    # kept), and so is a day whose chain led to it.
    assert cube.snapshots_aging({d(8, 31), d(9, 30)}, d(10, 20), days=0, months=2) == ([], [])
    assert cube.snapshots_aging({d(8, 30), d(8, 31), d(9, 30)}, d(10, 20), days=0, months=1) == (
        [], [d(8, 30), d(8, 31)])


def test_a_running_systems_chains_are_never_longer_than_the_longest_chain():
    """Over two years of daily housekeeping (STATS_SNAPSHOT_DAYS=31, _MONTHS=24): yesterday's
    snapshot taken, then the older ones aged. Every day kept as a delta chains to a whole one in at
    most `chain` deltas (7 by default: the 8th, 16th and 24th stay whole with the month ends; a
    day 29 deltas before its month end answered P3 in 67 ms); a day of the last 24 month ends'
    span is answered; kept whole are the last 31 days and, older, the month ends and the 8th, 16th
    and 24th."""
    from datetime import timedelta

    from services.stats import cube

    for chain, longest in ((cube.LONGEST_CHAIN, 7), (30, 30)):
        whole, deltas = set(), set()
        for n in range(790):   # 2025-01-01 … 2027-03-01
            today = date(2025, 1, 1) + timedelta(days=n)
            whole.add(today - timedelta(days=1))
            turned, dropped = cube.snapshots_aging(whole, today, days=31, months=24, chain=chain)
            whole, deltas = whole - set(turned) - set(dropped), deltas | set(turned)
            deltas = {d for d in deltas if cube.chain_days(d, whole, deltas) is not None}
        chains = [cube.chain_days(d, whole, deltas) for d in deltas]
        assert max(len(c) - 1 for c in chains) == longest, chain
        first = cube.month_ends(today, 24)[-1].replace(day=1)   # the 24th month end's month
        assert min(deltas | whole) == first
        assert all(cube.chain_days(first + timedelta(days=n), whole, deltas) is not None
                   for n in range((today - first).days)), chain
        if chain == cube.LONGEST_CHAIN:   # older than the last 31 days: the month ends, the 8th, 16th, 24th
            older = [first + timedelta(days=n) for n in range((today - timedelta(days=31) - first).days)]
            assert {d for d in whole if d < today - timedelta(days=31)} == {
                d for d in older if cube.is_month_end(d) or d.day in (8, 16, 24)}


def test_the_days_a_new_system_or_an_outage_left_without_snapshots_are_filled_a_run_at_a_time():
    """A new system (or one upgraded, whose history goes back further) takes the last 24 month
    ends and the last 31 days whole (snapshot_due); cube.gap_to_fill then finds the runs between
    them, newest first, each ending the day before a snapshot and holding no month end. Filled as
    fill_gap fills them (the 8th, 16th and 24th whole, the rest deltas), every day of the kept
    months chains in at most 7 deltas. A missing month end (its snapshot still waiting) holds back
    the days before it; STATS_SNAPSHOT_DAYS=0 keeps month ends only and fills nothing."""
    from datetime import timedelta

    from services.stats import cube

    today = date(2026, 12, 7)
    first = cube.month_ends(today, 24)[-1].replace(day=1)
    kept = lambda d: cube.snapshot_kept(d, today, days=31, months=24)  # noqa: E731
    whole = {*cube.month_ends(today, 24), *(today - timedelta(days=n) for n in range(1, 32))}
    deltas, runs = set(), []
    while (gap := cube.gap_to_fill(today, whole, deltas, days=31, months=24)) is not None:
        runs.append(gap)
        run = [gap[0] + timedelta(days=n) for n in range((gap[1] - gap[0]).days + 1)]
        assert not any(cube.is_month_end(d) for d in run) and len(run) <= 30
        assert cube.chain_days(gap[1] + timedelta(days=1), whole, deltas) is not None
        for d in reversed(run):
            (whole if kept(d) else deltas).add(d)
    assert runs[0] == (date(2026, 11, 1), date(2026, 11, 5)) and runs[-1] == (first, first + timedelta(days=29))
    assert [r[1] for r in runs] == sorted((r[1] for r in runs), reverse=True)
    assert len(runs) == 24
    chains = [cube.chain_days(first + timedelta(days=n), whole, deltas) for n in range((today - first).days)]
    assert all(c is not None and len(c) <= cube.LONGEST_CHAIN + 1 for c in chains)
    assert cube.snapshots_aging(whole, today, days=31, months=24) == ([], [])   # as a running system keeps them
    # September's month end still waiting: September's days wait too; the other months are filled.
    waiting = {*cube.month_ends(today, 24), *(today - timedelta(days=n) for n in range(1, 32))} - {date(2026, 9, 30)}
    gaps = []
    while (gap := cube.gap_to_fill(today, waiting, set(), days=31, months=24)) is not None:
        gaps.append(gap)
        waiting |= {gap[0] + timedelta(days=n) for n in range((gap[1] - gap[0]).days + 1)}
    assert gaps[:3] == [(date(2026, 11, 1), date(2026, 11, 5)), (date(2026, 10, 1), date(2026, 10, 30)),
                        (date(2026, 8, 1), date(2026, 8, 30))]
    assert len(gaps) == 23 and not any(date(2026, 9, 1) <= d <= date(2026, 9, 30) for d in waiting)
    assert cube.gap_to_fill(today, set(cube.month_ends(today, 24)), set(), days=0, months=24) is None


def test_a_past_days_question_is_planned_over_its_chain_with_the_rollups_all_of_it_holds():
    from courtflow.common.v1.caller_pb2 import ScopeLevel
    from services.stats import cube

    q = supervision.parse_query(pb.SupervisionQuery(as_of=from_date(date(2026, 9, 29))), today=date(2026, 10, 20))
    month_end = {date(2026, 9, 30): cube.MONTH_END_ROLLUPS}
    deltas = {date(2026, 9, 29): cube.SNAPSHOT_ROLLUPS}
    plan = cube.plan(q, [pb.DIMENSION_COURT], scope=ScopeLevel.SCOPE_LEVEL_PROVINCE, with_nodes=False,
                     snapshots=month_end, deltas=deltas)
    assert plan.days == (date(2026, 9, 29), date(2026, 9, 30)) and plan.snapshot == date(2026, 9, 29)
    # By department and open or closed: rollup 11, which the month end holds and the delta does not.
    closed = supervision.parse_query(pb.SupervisionQuery(filter="closed = false", as_of=from_date(date(2026, 9, 29))),
                                     today=date(2026, 10, 20))
    assert cube.plan(closed, [pb.DIMENSION_DEPARTMENT], scope=ScopeLevel.SCOPE_LEVEL_PROVINCE, with_nodes=False,
                     snapshots=month_end, deltas=deltas) is None
    assert cube.plan(closed, [pb.DIMENSION_DEPARTMENT], scope=ScopeLevel.SCOPE_LEVEL_PROVINCE, with_nodes=False,
                     snapshots=month_end | {date(2026, 9, 29): cube.MONTH_END_ROLLUPS}) is not None
    assert cube.plan(q, [], scope=ScopeLevel.SCOPE_LEVEL_PROVINCE, with_nodes=False, snapshots={},
                     deltas=deltas) is None   # the chain ends nowhere


@pytest.mark.parametrize("start, end, expected", [
    (date(2026, 10, 1), date(2026, 12, 6), ("2026-10", None)),
    # Fewer days before the start than from it to the month's end: the month read whole, those taken out.
    (date(2026, 10, 9), date(2026, 12, 6), ("2026-10", quality.Days(date(2026, 10, 1), date(2026, 10, 8), -1))),
    # Fewer from the start on: the month not read, those days added.
    (date(2026, 10, 20), date(2026, 12, 6), ("2026-11", quality.Days(date(2026, 10, 20), date(2026, 10, 31), 1))),
    # A tie adds: 10 days each side of 11 December, up to the 20th.
    (date(2026, 12, 11), date(2026, 12, 20), ("2027-01", quality.Days(date(2026, 12, 11), date(2026, 12, 20), 1))),
    (date(2026, 12, 3), date(2026, 12, 6), ("2026-12", quality.Days(date(2026, 12, 1), date(2026, 12, 2), -1))),
    (date(2024, 2, 29), date(2024, 3, 5), ("2024-03", quality.Days(date(2024, 2, 29), date(2024, 2, 29), 1))),
])
def test_a_period_starting_within_a_month_counts_its_first_days_apart(start, end, expected):
    assert quality.first_month(start, end) == expected
