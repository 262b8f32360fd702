"""Q2 质效分析 on a small hand-checked court (services/stats/quality.py): each indicator's value
worked out by hand below, time per stage, and recurring problems, against real PostgreSQL."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, func, select, text

from courtflow.case.v1.case_events_pb2 import CaseFiled, CaseUpdated
from courtflow.case.v1.case_pb2 import CaseState, CaseType
from courtflow.common.v1.caller_pb2 import ScopeLevel
from courtflow.node.v1.node_events_pb2 import (ApplicationDecided, NodeCompleted, NodeLocked, NodeOpened, NodeOverdue,
                                               NodeReassigned)
from courtflow.node.v1.node_pb2 import (Application, ApplicationKind, ApplicationState, LockType, NodeLock, NodeState,
                                        Stage)
from courtflow.stats.v1 import stats_service_pb2 as ss, supervision_pb2 as pb

from services.common import scope
from services.common.clock import LEGAL_TZ, legal_today, start_of_legal_day
from services.common.dates import from_date
from services.common.errors import InvalidArgument
from services.stats import convert, quality, quality_counts, repository, service, supervision
from services.stats.models import NodeHistoryRow, NodeViewRow, QualitySnapshotRow
from services.stats.projection import NODE_STATUS, order_key
from test_supervision import (CIVIL2, COURT, JUDGE, JUDGE_CALLER, NOW, PROVINCE, REGION, Bus, a_case, a_node, apply,
                              apply_shuffled, history, stats_database)

pytestmark = pytest.mark.timeout(120)
D = pb.Dimension
LIMIT = "审限管理"


@pytest.fixture
def factory(postgres):
    with stats_database(postgres, "quality") as units:
        yield units


def t(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=LEGAL_TZ)


def trial(case, *, due: date, opened: datetime, **more):
    node = a_node(case, "trial", stage=Stage.STAGE_ADJUDICATION, due=due, **more)
    node.category = LIMIT
    node.open_time.FromDatetime(opened)
    return node


def service_node(case, *, due: date, opened: datetime, **more):
    node = a_node(case, "service", stage=Stage.STAGE_PRE_TRIAL, due=due, **more)
    node.category = "立案文书送达"
    node.open_time.FromDatetime(opened)
    return node


def closed(case, on: date):
    done = type(case)()
    done.CopyFrom(case)
    done.state = CaseState.CASE_STATE_CLOSED
    done.close_date.CopyFrom(from_date(on))
    done.update_time.FromDatetime(t(on.year, on.month, on.day, 18))
    return done


def court_history(bus: Bus) -> None:
    """Five cases of one court; the figures below are worked out from them by hand."""
    a = a_case("440101", 11, filed=date(2026, 3, 1))
    b = a_case("440101", 12, filed=date(2026, 4, 1))
    c = a_case("440101", 13, filed=date(2026, 5, 1))
    d = a_case("440101", 14, filed=date(2025, 8, 1))        # open for more than 12 months
    e = a_case("440101", 15, filed=date(2026, 9, 15))       # open
    for case in (a, b, c, d, e):
        bus.case(CaseFiled(case=case), case.update_time.ToDatetime(tzinfo=LEGAL_TZ))
    # A: closed 6-29 within its limit (120 days).
    ta = dict(due=date(2026, 9, 1), opened=t(2026, 3, 1))
    bus.node(NodeOpened(node=trial(a, **ta)), t(2026, 3, 1))
    bus.node(NodeCompleted(node=trial(a, **ta, state=NodeState.NODE_STATE_COMPLETED, completed=t(2026, 6, 29))),
             t(2026, 6, 29))
    bus.case(CaseUpdated(case=closed(a, date(2026, 6, 29))), t(2026, 6, 29, 18))
    # B: its limit ran out on 10-1, closed late on 10-10 (192 days).
    tb = dict(due=date(2026, 10, 1), opened=t(2026, 4, 1))
    bus.node(NodeOpened(node=trial(b, **tb)), t(2026, 4, 1))
    bus.node(NodeOverdue(node=trial(b, **tb, state=NodeState.NODE_STATE_OVERDUE, overdue=t(2026, 10, 2, 0))),
             t(2026, 10, 2, 0))
    bus.node(NodeCompleted(node=trial(b, **tb, state=NodeState.NODE_STATE_COMPLETED, overdue=t(2026, 10, 2, 0),
                                      completed=t(2026, 10, 10))), t(2026, 10, 10))
    bus.case(CaseUpdated(case=closed(b, date(2026, 10, 10))), t(2026, 10, 10, 18))
    # C: limit extended on 9-20 to the year's end, closed 9-27 (149 days).
    bus.node(NodeOpened(node=trial(c, due=date(2026, 11, 1), opened=t(2026, 5, 1))), t(2026, 5, 1))
    extension = Application(kind=ApplicationKind.APPLICATION_KIND_EXTENSION,
                            state=ApplicationState.APPLICATION_STATE_APPROVED)
    longer = dict(due=date(2026, 12, 31), opened=t(2026, 5, 1), generation=1)
    bus.node(ApplicationDecided(application=extension, node=trial(c, **longer)), t(2026, 9, 20))
    bus.node(NodeCompleted(node=trial(c, **longer, state=NodeState.NODE_STATE_COMPLETED, completed=t(2026, 9, 27))),
             t(2026, 9, 27))
    bus.case(CaseUpdated(case=closed(c, date(2026, 9, 27))), t(2026, 9, 27, 18))
    # Service nodes overdue in June, July and September: node type "service" keeps coming back.
    for case, month in ((a, 6), (c, 7), (e, 9)):
        due = date(2026, month, 10)
        bus.node(NodeOpened(node=service_node(case, due=due, opened=t(2026, month, 5))), t(2026, month, 5))
        bus.node(NodeOverdue(node=service_node(case, due=due, opened=t(2026, month, 5), state=NodeState.NODE_STATE_OVERDUE,
                                               overdue=t(2026, month, 11, 0))), t(2026, month, 11, 0))


def analyze(factory, **request) -> ss.AnalyzeQualityResponse:
    return convert.quality_to_proto(service.analyze_quality(
        factory, caller=JUDGE_CALLER if request.pop("judge", False) else COURT, court="-",
        request=ss.AnalyzeQualityRequest(**request)))


def test_each_indicator_as_worked_out_by_hand(factory):
    bus = Bus([])
    court_history(bus)
    apply(factory, bus.events)
    q = analyze(factory).totals     # the period: 1 January to today (20 October)
    assert (q.received, q.closed, q.closed_to_received) == (4, 3, 0.75)
    assert (q.closed_with_limit, q.closed_within_limit, q.within_limit_rate) == (3, 2, 0.6667)
    assert q.average_trial_days == 153.7                  # (120 + 192 + 149) / 3
    assert (q.open, q.open_over_12_months, q.over_12_months_ratio) == (2, 1, 0.5)
    assert (q.extended, q.extension_rate) == (1, 0.3333)


def test_a_period_ending_earlier_sees_the_situation_then(factory):
    bus = Bus([])
    court_history(bus)
    apply(factory, bus.events)
    # To 30 September: B is still open and not yet overdue; A and C closed, both in time.
    q = analyze(factory, query=pb.SupervisionQuery(start_date=from_date(date(2026, 1, 1)),
                                                   end_date=from_date(date(2026, 9, 30)))).totals
    assert (q.closed, q.closed_with_limit, q.closed_within_limit) == (2, 2, 2)
    assert (q.open, q.open_over_12_months) == (3, 1)


def test_time_per_stage_and_recurring_problems(factory):
    bus = Bus([])
    court_history(bus)
    apply(factory, bus.events)
    answer = analyze(factory)
    adjudication = next(s for s in answer.stage_durations if s.stage == Stage.STAGE_ADJUDICATION)
    assert (adjudication.cases, adjudication.median_days, adjudication.p90_days) == (3, 149.0, 183.4)
    assert list(answer.months) == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    problems = {(p.dimension, p.value): list(p.monthly_overdue) for p in answer.recurring_problems}
    assert problems == {(D.DIMENSION_NODE_TYPE, "service"): [0, 1, 1, 0, 1, 0],
                        (D.DIMENSION_COURT, "440101"): [0, 1, 1, 0, 1, 1],
                        (D.DIMENSION_DEPARTMENT, "courts/440101/departments/440101-civil1"): [0, 1, 1, 0, 1, 1]}
    assert answer.definitions["within_limit_rate"].startswith("法定审限内结案率")


def test_groups_add_up_to_the_totals(factory):
    bus = Bus([])
    court_history(bus)
    apply(factory, bus.events)
    answer = analyze(factory, group_by=[D.DIMENSION_HANDLER, D.DIMENSION_CASE_TYPE])
    for field in ("received", "closed", "closed_with_limit", "closed_within_limit", "open", "open_over_12_months",
                  "extended"):
        assert sum(getattr(i, field) for i in answer.indicators) == getattr(answer.totals, field), field


def test_node_terms_and_node_dimensions_are_refused(factory):
    for request, field in ((dict(query=pb.SupervisionQuery(filter="stage = FILING")), "query.filter"),
                           (dict(group_by=[D.DIMENSION_STAGE]), "group_by[0]"),
                           (dict(recurring_months=2, recurring_threshold=3), "recurring_threshold")):
        with pytest.raises(InvalidArgument) as refused:
            analyze(factory, **request)
        assert refused.value.violations[0].field == field


def province_history(bus: Bus) -> None:
    """court_history and the supervision tests' small province, with what the pre-counted tables
    must get right besides: open cases filed around the day 12 months before today and on the
    last days of a month, a criminal case closed late in another court, a node overdue before the
    recurring window and locked within it (not a new problem), and one moved to another department."""
    court_history(bus)
    history(bus)
    for n, filed in ((21, date(2025, 10, 5)), (22, date(2025, 10, 25)), (23, date(2025, 10, 30)),
                     (24, date(2025, 10, 31)), (25, date(2025, 9, 28))):
        case = a_case("440102", n, filed=filed, handler="users/judge.440102.civil1.1",
                      department="courts/440102/departments/440102-civil1")
        bus.case(CaseFiled(case=case), case.update_time.ToDatetime(tzinfo=LEGAL_TZ))
    late = a_case("440201", 26, filed=date(2026, 2, 2), handler="users/judge.440201.civil1.1",
                  department="courts/440201/departments/440201-civil1", case_type=CaseType.CASE_TYPE_CRIMINAL)
    bus.case(CaseFiled(case=late), t(2026, 2, 2))
    limit = dict(due=date(2026, 6, 1), opened=t(2026, 2, 2))
    bus.node(NodeOpened(node=trial(late, **limit)), t(2026, 2, 2))
    bus.node(NodeOverdue(node=trial(late, **limit, state=NodeState.NODE_STATE_OVERDUE, overdue=t(2026, 6, 2, 0))),
             t(2026, 6, 2, 0))
    bus.node(NodeCompleted(node=trial(late, **limit, state=NodeState.NODE_STATE_COMPLETED, overdue=t(2026, 6, 2, 0),
                                      completed=t(2026, 7, 1))), t(2026, 7, 1))
    bus.case(CaseUpdated(case=closed(late, date(2026, 7, 1))), t(2026, 7, 1, 18))
    old = a_case("440101", 27, filed=date(2026, 3, 2))
    bus.case(CaseFiled(case=old), t(2026, 3, 2))
    due = date(2026, 4, 10)
    bus.node(NodeOpened(node=service_node(old, due=due, opened=t(2026, 4, 1))), t(2026, 4, 1))
    overdue = dict(due=due, opened=t(2026, 4, 1), state=NodeState.NODE_STATE_OVERDUE, overdue=t(2026, 4, 11, 0))
    bus.node(NodeOverdue(node=service_node(old, **overdue)), t(2026, 4, 11, 0))
    lock = NodeLock(locked=True, lock_type=LockType.LOCK_TYPE_OVERDUE, reason="送达超期",
                    lock_date=from_date(date(2026, 6, 1)))
    bus.node(NodeLocked(node=service_node(old, **overdue, lock=lock)), t(2026, 6, 1))
    moved = service_node(old, **overdue, lock=lock)
    moved.department = CIVIL2
    bus.node(NodeReassigned(node=moved), t(2026, 8, 3))


def _normalized(rows, *, groups: bool = True) -> list[dict]:
    """Rows of either path as dicts: group values g0…, the counts, the mean; groups of no figure left out."""
    out = []
    for r in rows:
        values = vars(r) if isinstance(r, SimpleNamespace) else dict(r._mapping)
        if any(values[c] for c in quality.COUNTS):
            mean = values["average_trial_days"]
            out.append({**{k: v for k, v in values.items() if groups and k[:1] == "g" and k[1:].isdigit()},
                        **{c: values[c] for c in quality.COUNTS},
                        "average_trial_days": None if mean is None else round(float(mean), 6)})
    return sorted(out, key=repr)


def _both_ways(factory, who, **request) -> tuple[dict, dict]:
    """The same analysis from the read model (the direct query) and from the pre-counted tables
    (or, for a period ending at a past month end, their snapshot)."""
    with factory() as uow:
        today = legal_today(uow.clock)
        a = quality.parse(ss.AnalyzeQualityRequest(**request), today=today)
        kept = quality_counts.snapshot_registry(uow.session)
        plan = quality.counted_plan(a, today=today, scope_level=who.scope, scope_prefix=who.scope_prefix, court="-",
                                    wide_scopes=scope.WIDE, snapshots=kept[False], deltas=kept[True])
        assert plan is not None, request
        assert plan.snapshot == (a.end if a.end < today else None)
        sql = repository.quality_sql(who, "-", a, today=today)
        direct, counted = {}, {}
        if plan.rollup is not None:
            rows, totals = repository.quality_indicators(uow.session, sql, a, a.dimensions)
            direct["indicators"] = _normalized(rows), _normalized([totals], groups=False)
            rows, totals = quality_counts.indicators(uow.session, who, "-", plan, a, a.dimensions)
            counted["indicators"] = _normalized(rows), _normalized([totals], groups=False)
        if plan.area is not None:
            direct["stages"] = [(r.stage, r.cases, round(float(r.median_days), 6), round(float(r.p90_days), 6))
                                for r in repository.stage_durations(uow.session, sql, a)]
            counted["stages"] = [(r.stage, r.cases, round(r.median_days, 6), round(r.p90_days, 6))
                                 for r in quality_counts.stage_durations(uow.session, plan, a)]
            direct["overdue"] = repository.overdue_by_month(uow.session, sql, a, quality.RECURRING_DIMENSIONS)
            counted["overdue"] = quality_counts.overdue_by_month(uow.session, who, "-", plan, a)
    return direct, counted


QUALITY_QUESTIONS = [
    dict(), dict(group_by=[D.DIMENSION_COURT]), dict(group_by=[D.DIMENSION_REGION, D.DIMENSION_COURT]),
    dict(group_by=[D.DIMENSION_DEPARTMENT]), dict(group_by=[D.DIMENSION_CASE_TYPE, D.DIMENSION_PROCEDURE]),
    dict(query=pb.SupervisionQuery(filter="case_type = CRIMINAL")), dict(recurring_months=3, recurring_threshold=1),
    dict(query=pb.SupervisionQuery(filter='court = "440101"'), group_by=[D.DIMENSION_DEPARTMENT]),
    dict(query=pb.SupervisionQuery(filter='region = "4401"', start_date=from_date(date(2026, 6, 1)))),
    dict(query=pb.SupervisionQuery(start_date=from_date(date(2025, 9, 1))), group_by=[D.DIMENSION_COURT]),
    # Starting within a month: its days counted apart, added (the month not read) or taken out.
    *[dict(query=pb.SupervisionQuery(start_date=from_date(start)), group_by=group_by) for start, group_by in (
        (date(2026, 6, 29), [D.DIMENSION_COURT]),                    # + 29–30 June: case 11 closed on the 29th
        (date(2026, 6, 30), []),                                     # + 30 June: not it
        (date(2026, 7, 2), [D.DIMENSION_REGION]),                    # − 1 July: case 26 closed then, a stage done
        (date(2026, 9, 2), [D.DIMENSION_REGION, D.DIMENSION_COURT]),  # − 1 September: cases 1, 7 filed
        (date(2026, 10, 9), [D.DIMENSION_DEPARTMENT]),               # − 1–8 October, to today
        (date(2026, 10, 11), [D.DIMENSION_CASE_TYPE, D.DIMENSION_PROCEDURE]),   # + to today, or − 1–10 October
        (date(2025, 10, 26), []))],                                  # + 26–31 October 2025: cases filed late in it
    dict(query=pb.SupervisionQuery(filter='region = "4401"', start_date=from_date(date(2026, 9, 20))),
         group_by=[D.DIMENSION_COURT]),
    dict(query=pb.SupervisionQuery(filter='court = "440101"', start_date=from_date(date(2026, 9, 28)))),
]


# A snapshot answers periods of whole months (one starting within a month goes to the direct query).
WHOLE_MONTHS = [q for q in QUALITY_QUESTIONS if "query" not in q or q["query"].start_date.day in (0, 1)]


@pytest.mark.parametrize("today", [NOW, datetime(2026, 10, 31, 15, tzinfo=LEGAL_TZ)])
def test_the_pre_counted_tables_answer_as_the_read_model_does(factory, today):
    """Today's analysis from the pre-counted tables (quality.py) equals the direct query's for
    every kind of question they take, callers of a court, a region and the province, after
    redelivered and reordered events; kept batch by batch they equal the tables counted afresh.
    On 31 October "12 months before" is 31 October 2025, counted to the day by filing_tail; on
    20 October it is the 20th, and the days before it are read from the read model."""
    bus = Bus([])
    province_history(bus)
    apply_shuffled(factory, bus.events * 2, seed=5)
    with factory() as uow:
        uow.clock.set(today)
    compared = set()
    for who in (PROVINCE, REGION, COURT):
        for request in QUALITY_QUESTIONS:
            direct, counted = _both_ways(factory, who, **request)
            assert counted == direct, (who.user, request, counted, direct)
            compared |= {(part, bool(rows)) for part, rows in direct.items()}
    assert {("indicators", True), ("stages", True), ("overdue", True)} <= compared
    with factory() as uow:
        assert quality_counts.differences(uow.session, limit=100) == []
        assert quality_counts.prune(uow.session) > 0    # rows the projection left at zero
        kept = {t: sorted(map(tuple, uow.session.execute(text(f"SELECT * FROM {t}")))) for t in quality_counts.TABLES}
        quality_counts.rebuild(uow.session.connection())
        assert {t: sorted(map(tuple, uow.session.execute(text(f"SELECT * FROM {t}")))) for t in kept} == kept
    # Over 12 months, as of the day: 9-28 and 10-05 always; 10-25 and 10-30 by the 31st; never 10-31.
    over = service.analyze_quality(factory, caller=PROVINCE, court="440102",
                                   request=ss.AnalyzeQualityRequest()).totals.open_over_12_months
    assert over == (2 if today == NOW else 4)


def _ending(request: dict, day: date) -> dict:
    query = pb.SupervisionQuery()
    query.CopyFrom(request.get("query", pb.SupervisionQuery()))
    query.end_date.CopyFrom(from_date(day))
    return {**request, "query": query}


def test_a_month_ends_snapshot_answers_as_the_read_model_did_and_stays(factory):
    """A period ending at a past month end is read from that day's snapshot (quality.py), counted
    after the month ended as of its end: the same rows as the direct query, for every kind of
    question, and the same answer after later events about that month."""
    bus = Bus([])
    province_history(bus)
    apply_shuffled(factory, bus.events * 2, seed=7)
    assert service.take_snapshots(factory, settle=timedelta(hours=2), months=3) == [
        date(2026, 9, 30), date(2026, 8, 31), date(2026, 7, 31)]
    answers = []
    for day in (date(2026, 9, 30), date(2026, 7, 31)):
        for who in (PROVINCE, REGION, COURT):
            for request in WHOLE_MONTHS:
                asked = _ending(request, day)
                direct, counted = _both_ways(factory, who, **asked)
                assert counted == direct, (day, who.user, request, counted, direct)
                answers.append((who, asked, counted))
    # Later: another service node of case e (filed 9-15), overdue in September, reported late.
    late = Bus([])
    e = a_case("440101", 15, filed=date(2026, 9, 15))
    again = dict(due=date(2026, 9, 20), opened=t(2026, 9, 16))
    for event, node in ((NodeOpened, service_node(e, **again)),
                        (NodeOverdue, service_node(e, **again, state=NodeState.NODE_STATE_OVERDUE,
                                                   overdue=t(2026, 9, 21, 0)))):
        node.name = node.name.rsplit("/", 1)[0] + "/service_again"
        late.node(event(node=node), t(2026, 9, 21, 0) if event is NodeOverdue else t(2026, 9, 16))
    apply(factory, late.events)
    for who, asked, counted in answers:
        assert _both_ways(factory, who, **asked)[1] == counted
    # The read model now has three service nodes overdue in September in 440101; the snapshot two.
    direct, counted = _both_ways(factory, COURT, **_ending({}, date(2026, 9, 30)))
    september = lambda rows: dict(((d, v), n) for d, v, m, n in rows if m == "2026-09")  # noqa: E731
    assert (september(counted["overdue"])[D.DIMENSION_NODE_TYPE, "service"],
            september(direct["overdue"])[D.DIMENSION_NODE_TYPE, "service"]) == (2, 3)


def test_a_past_days_snapshot_answers_as_the_read_model_did_whole_and_as_a_delta(factory):
    """A period ending on one of the last days (STATS_SNAPSHOT_DAYS) is read from that day's
    snapshot, taken with the cube's (quality.snapshot_wanted); once the day is older, from its
    difference from the next day's summed with the next day's (repository.age_snapshots): the
    same rows as the direct query for every kind of question both ways, and the same answer after
    later events. 12 months before 7 October is the 7th: the open cases filed in October 2025
    before it are read from the read model as the day saw them — one closed since counts, one
    registered since does not. A day whose chain breaks is dropped and the direct query answers."""
    bus = Bus([])
    province_history(bus)
    closing = a_case("440102", 28, filed=date(2025, 10, 3), handler="users/judge.440102.civil1.1",
                     department="courts/440102/departments/440102-civil1")
    bus.case(CaseFiled(case=closing), t(2025, 10, 3))
    apply_shuffled(factory, bus.events * 2, seed=11)
    day, eighth = date(2026, 10, 7), date(2026, 10, 8)
    with factory() as uow:
        clock = uow.clock
    clock.set(datetime(2026, 10, 9, 9, tzinfo=LEGAL_TZ))
    assert service.take_snapshots(factory, settle=timedelta(hours=2), months=1, days=2) == [
        eighth, day, date(2026, 9, 30)]
    clock.set(NOW)
    answers = []
    for who in (PROVINCE, REGION, COURT):
        for request in WHOLE_MONTHS:
            asked = _ending(request, day)
            direct, counted = _both_ways(factory, who, **asked)
            assert counted == direct, (who.user, request, counted, direct)
            answers.append((who, asked, counted))
    rows = lambda: {t.name: uow.session.scalar(select(func.count()).select_from(t).where(t.c.day == day))  # noqa: E731
                    for t in quality_counts.SNAPSHOTS.values()}
    with factory() as uow:
        whole_rows = rows()
        # On 10-20, with one last day kept, 10-07 becomes its difference from 10-08, kept whole (the 8th).
        repository.age_snapshots(uow.session, today=legal_today(uow.clock), days=1, months=1)
        uow.commit()
    with factory() as uow:
        assert quality_counts.snapshot_registry(uow.session) == {False: {date(2026, 9, 30), eighth}, True: {day}}
        delta_rows = rows()
    assert sum(delta_rows.values()) < sum(whole_rows.values()) / 10, (delta_rows, whole_rows)
    # Later: case 28 closed on 10-15; case 29, filed on 10-06-2025, registered in CourtFlow on 10-16.
    late = Bus([])
    late.case(CaseUpdated(case=closed(closing, date(2026, 10, 15))), t(2026, 10, 15, 18))
    registered = a_case("440102", 29, filed=date(2025, 10, 6), handler="users/judge.440102.civil1.1",
                        department="courts/440102/departments/440102-civil1")
    registered.create_time.FromDatetime(t(2026, 10, 16))
    late.case(CaseFiled(case=registered), t(2026, 10, 16))
    apply(factory, late.events)
    for who, asked, counted in answers:
        direct, again = _both_ways(factory, who, **asked)
        assert again == counted == direct, (who.user, asked, again, direct)
    # 440102's open cases filed more than 12 months before 10-07: 9-28 and 10-05 (cases 25 and 21),
    # and 10-03 (case 28, closed only on 10-15); not 10-06 (case 29, not in CourtFlow by then).
    open_then = lambda: service.analyze_quality(  # noqa: E731
        factory, caller=PROVINCE, court="440102", request=ss.AnalyzeQualityRequest(
            query=pb.SupervisionQuery(start_date=from_date(date(2026, 10, 1)), end_date=from_date(day)))).totals
    from_chain = (open_then().open, open_then().open_over_12_months)
    assert from_chain[1] == 3
    # Without 10-08's snapshot the chain is broken: the housekeeping drops 10-07's, the read model answers.
    with factory() as uow:
        for table in (*quality_counts.SNAPSHOTS.values(), QualitySnapshotRow.__table__):
            uow.session.execute(table.delete().where(table.c.day == eighth))
        repository.age_snapshots(uow.session, today=legal_today(uow.clock), days=1, months=1)
        uow.commit()
    with factory() as uow:
        assert quality_counts.snapshot_registry(uow.session) == {False: {date(2026, 9, 30)}, True: set()}
        a = quality.parse(ss.AnalyzeQualityRequest(**_ending({}, day)), today=legal_today(uow.clock))
        assert quality.counted_plan(a, today=legal_today(uow.clock), scope_level=PROVINCE.scope,
                                    scope_prefix=PROVINCE.scope_prefix, court="-", wide_scopes=scope.WIDE,
                                    snapshots={date(2026, 9, 30)}) is None
    assert (open_then().open, open_then().open_over_12_months) == from_chain


def test_a_node_overdue_before_the_window_is_not_a_new_problem_in_it(factory):
    """Recurring problems count a node in the month it became overdue (April), under its
    department now, and not again when, still overdue, it was locked (June) or moved to another
    department (August) — today (the pre-counted tables) and for a period ending earlier (the
    read model), with the window starting before April and after it."""
    bus = Bus([])
    province_history(bus)
    apply(factory, bus.events)
    ending = dict(query=pb.SupervisionQuery(end_date=from_date(date(2026, 9, 30))))
    for request, april in ((dict(recurring_months=7), True), (dict(recurring_months=6), False),
                           (dict(**ending, recurring_months=7), True), (dict(**ending, recurring_months=5), False)):
        answer = analyze(factory, recurring_threshold=1, **request)
        months = list(answer.months)
        series = {(p.dimension, p.value): dict(zip(months, p.monthly_overdue)) for p in answer.recurring_problems}
        moved = {m: n for m, n in series.get((D.DIMENSION_DEPARTMENT, CIVIL2), {}).items() if n}
        assert moved == ({"2026-04": 1} if april else {}), request
        assert series[D.DIMENSION_NODE_TYPE, "service"]["2026-06"] == 1, request   # court_history's a only


def test_a_completed_stage_with_a_new_node_is_no_longer_counted(factory):
    """A stage counts once all its nodes are completed: a node opening in it afterwards (in a later
    batch) takes it out of the time per stage again, in the tables as in the read model."""
    bus = Bus([])
    court_history(bus)
    apply(factory, bus.events)
    before = analyze(factory).stage_durations
    c = a_case("440101", 13, filed=date(2026, 5, 1))
    bus = Bus([])
    review = _renamed(trial(c, due=date(2026, 10, 30), opened=t(2026, 10, 1)), "judgment_review")
    bus.node(NodeOpened(node=review), t(2026, 10, 1))
    apply(factory, bus.events)
    after = analyze(factory).stage_durations
    direct, counted = _both_ways(factory, COURT)
    assert counted == direct
    adjudication = lambda stages: next(s.cases for s in stages if s.stage == Stage.STAGE_ADJUDICATION)  # noqa: E731
    assert (adjudication(before), adjudication(after)) == (3, 2)


def test_a_withdrawn_trial_limit_binds_nothing(factory):
    """F's trial limit runs out on 10-2; on 10-5 the case is corrected to foreign-related, which
    withdraws the limit (民事诉讼法第二百八十七条: no trial limit of 第一百五十二条 applies), and
    it closes on 10-15. It is closed, but not a case closed under a limit (neither within it nor
    beyond it), and its withdrawal is not the end of its adjudication stage — in the tables as in
    the read model, and for a judge's own scope (the read model only)."""
    bus = Bus([])
    court_history(bus)
    f = a_case("440101", 16, filed=date(2026, 6, 1))
    bus.case(CaseFiled(case=f), t(2026, 6, 1))
    limit = dict(due=date(2026, 10, 1), opened=t(2026, 6, 1))
    bus.node(NodeOpened(node=trial(f, **limit)), t(2026, 6, 1))
    overdue = dict(**limit, state=NodeState.NODE_STATE_OVERDUE, overdue=t(2026, 10, 2, 0))
    bus.node(NodeOverdue(node=trial(f, **overdue)), t(2026, 10, 2, 0))
    withdrawn = trial(f, **{**overdue, "state": NodeState.NODE_STATE_COMPLETED}, completed=t(2026, 10, 5))
    withdrawn.withdrawn = True
    bus.node(NodeCompleted(node=withdrawn), t(2026, 10, 5))
    bus.case(CaseUpdated(case=closed(f, date(2026, 10, 15))), t(2026, 10, 15, 18))
    apply(factory, bus.events)
    for judge in (False, True):
        answer = analyze(factory, judge=judge)
        q = answer.totals
        # court_history alone: closed 3, under a limit 3, within it 2.
        assert (q.closed, q.closed_with_limit, q.closed_within_limit) == (4, 3, 2), judge
        adjudication = next(s for s in answer.stage_durations if s.stage == Stage.STAGE_ADJUDICATION)
        assert (adjudication.cases, adjudication.median_days) == (3, 149.0), judge
    direct, counted = _both_ways(factory, COURT)
    assert counted == direct


def _renamed(node, code: str):
    node.name = node.name.rsplit("/", 1)[0] + "/" + code
    node.node_type = code
    return node


def test_a_past_days_statuses_are_each_nodes_last_before_that_day_ended(factory):
    """A past day's node statuses take a node nothing happened to since as it is now and look up
    only the others in the history (repository.node_status for questions, the snapshots' own SQL
    for the cube's and Q2's counts): on each day of the province's history, each node's status is
    its last history row before the day ended (none: not there yet), as worked out here from the
    whole history, after redelivered and reordered events; and for a court's or a region's nodes."""
    bus = Bus([])
    province_history(bus)
    apply_shuffled(factory, bus.events * 2, seed=11)
    looked_up = 0
    with factory() as uow:
        history = list(uow.session.execute(select(NodeHistoryRow.__table__)))
        now = {r.node: r for r in uow.session.execute(select(NodeViewRow.__table__))}
        # Every third day from before the first event, and every day around the midnight changes
        # (a change at midnight is the next day's: 4-11, 6-2, 9-7, 9-11, 9-30 …).
        days = {date(2025, 9, 27) + timedelta(days=n) for n in range(0, 390, 3)}
        days |= {d + timedelta(days=k) for d in (date(2026, 4, 11), date(2026, 6, 2)) for k in (-1, 0)}
        for day in sorted(days | {date(2026, 9, 1) + timedelta(days=n) for n in range(50)}):
            cutoff = start_of_legal_day(supervision.cutoff_day(day))
            last = {}
            for r in history:
                if r.at < cutoff and (r.node not in last or order_key(r._mapping) > order_key(last[r.node]._mapping)):
                    last[r.node] = r
            expected = {node: tuple(getattr(r, c) for c in NODE_STATUS) for node, r in last.items()}
            looked_up += sum(expected[node] != tuple(getattr(now[node], c) for c in NODE_STATUS) for node in expected)
            # Both ways (repository.RECENT): asked the next day, and a year later.
            for today in (day + timedelta(days=1), day + timedelta(days=365)):
                for prefix in ("", "courts/440101/", "courts/4402"):
                    statuses = repository.node_status(day, prefix, today=today)
                    got = {r.node: tuple(getattr(r, c) for c in NODE_STATUS)
                           for r in uow.session.execute(select(statuses))}
                    assert got == {k: v for k, v in expected.items() if k.startswith(prefix)}, (day, today, prefix)
                # The snapshots' (a temporary table, dropped with the transaction).
                repository._keep_as_of_nodes(uow.session, day, taken_at=start_of_legal_day(today),
                                             params={"cutoff": cutoff})
                kept = {r.node: tuple(getattr(r, c) for c in repository._AS_OF_COLUMNS)
                        for r in uow.session.execute(text(f"SELECT * FROM {repository._AS_OF_NODES}"))}
                assert kept == {node: tuple(getattr(r, c) for c in repository._AS_OF_COLUMNS)
                                for node, r in last.items()}, (day, today)
                uow.session.execute(text(f"DROP TABLE {repository._AS_OF_NODES}"))
    assert looked_up > 20   # days on which nodes stood otherwise than now: the history was read


def test_scopes_and_questions_the_tables_do_not_take_go_to_the_read_model():
    a = quality.Analysis(supervision.Query(), date(2026, 1, 1), date(2026, 10, 20), [], ["2026-10"], 1)
    plan = lambda analysis=a, **k: quality.counted_plan(  # noqa: E731
        analysis, today=k.pop("today", date(2026, 10, 20)), scope_level=k.pop("level", ScopeLevel.SCOPE_LEVEL_PROVINCE),
        scope_prefix=k.pop("prefix", "44"), court=k.pop("court", "-"), wide_scopes=scope.WIDE)
    assert plan().area == (quality.LEVEL_PROVINCE, "")
    assert plan(prefix="4401", level=ScopeLevel.SCOPE_LEVEL_REGION).area == (quality.LEVEL_REGION, "4401")
    assert plan(court="440101").area == (quality.LEVEL_COURT, "440101")
    assert plan(prefix="4401", court="440201").area is None           # outside the caller's region
    assert plan(today=date(2026, 10, 21)) is None                     # a period ending before today
    assert plan(level=ScopeLevel.SCOPE_LEVEL_DEPARTMENT) is None
    mid_month = plan(dataclasses.replace(a, start=date(2026, 1, 2)))   # up to today: the tables, and a day apart
    assert (mid_month.first_month, mid_month.days) == ("2026-01", quality.Days(date(2026, 1, 1), date(2026, 1, 1), -1))
    assert plan(dataclasses.replace(a, start=date(2026, 1, 2), end=date(2026, 9, 30)), today=date(2026, 10, 20)) is None
    assert plan(dataclasses.replace(a, query=supervision.Query(terms={"handler": JUDGE}))) is None
    assert plan(dataclasses.replace(a, dimensions=[D.DIMENSION_HANDLER])).rollup is None
    assert plan(dataclasses.replace(a, dimensions=[D.DIMENSION_DEPARTMENT, D.DIMENSION_CASE_TYPE])).rollup is None
    typed = plan(dataclasses.replace(a, query=supervision.Query(terms={"case_type": 2})))
    assert (typed.rollup, typed.area) == (3, None)


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_percentiles_from_a_histogram_are_postgresqls(postgres, fraction):
    values = [3, 3, 7, 10, 10, 10, 41]
    engine = create_engine(postgres)
    with engine.connect() as conn:
        expected = conn.execute(text("SELECT percentile_cont(:f) WITHIN GROUP (ORDER BY v) FROM unnest(CAST(:v AS int[])) v"),
                                {"f": fraction, "v": values}).scalar_one()
    engine.dispose()
    assert quality.percentile([(10, 3), (3, 2), (41, 1), (7, 1)], fraction) == pytest.approx(expected)
