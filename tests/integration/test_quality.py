"""Q2 质效分析 on a small hand-checked court (services/stats/quality.py): each indicator's value
worked out by hand below, time per stage, and recurring problems, against real PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from courtflow.case.v1.case_events_pb2 import CaseFiled, CaseUpdated
from courtflow.case.v1.case_pb2 import CaseState
from courtflow.node.v1.node_events_pb2 import ApplicationDecided, NodeCompleted, NodeOpened, NodeOverdue
from courtflow.node.v1.node_pb2 import Application, ApplicationKind, ApplicationState, NodeState, Stage
from courtflow.stats.v1 import stats_service_pb2 as ss, supervision_pb2 as pb

from services.common.clock import LEGAL_TZ
from services.common.dates import from_date
from services.common.errors import InvalidArgument
from services.stats import convert, service
from test_supervision import COURT, JUDGE_CALLER, Bus, a_case, a_node, apply, stats_database

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
