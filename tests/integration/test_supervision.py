"""The supervision platform's read model and query (services/stats: projection.py, supervision.py)
against a real PostgreSQL: events applied as the stats service's consumers apply them, in any
order and any number of times, answer the same; an extension moves an overdue node back to
running; a past day's answer does not change after later events; each caller sees exactly their
scope; and every cell's drill-down lists exactly what the cell counts."""
from __future__ import annotations

import random
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from datetime import date, datetime, timedelta

import pytest
from google.protobuf import any_pb2
from sqlalchemy import create_engine, func, select
from sqlalchemy import text as sql_text

from courtflow.case.v1.case_events_pb2 import CaseFiled, CaseUpdated
from courtflow.case.v1.case_pb2 import Case, CaseState, CaseType, Party, PartyRole, Procedure
from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel
from courtflow.common.v1.envelope_pb2 import EventEnvelope
from courtflow.node.v1.node_events_pb2 import (ApplicationDecided, NodeCompleted, NodeLocked, NodeOpened,
                                               NodeOverdue, NodeReassigned, NodeUnlocked, NodeWarned)
from courtflow.node.v1.node_pb2 import LockType, Node, NodeLock, NodeState, Stage
from courtflow.stats.v1 import supervision_pb2 as pb

from conftest import new_database
from services.common.clock import LEGAL_TZ, ManualClock, legal_today
from services.common.dates import from_date
from services.common.errors import InvalidArgument
from services.common.events import Event
from services.common.migrate import upgrade
from services.common.paging import page_request, split_page
from services.common.uow import uow_factory
from services.stats import consumers, convert, cube, quality_counts, repository, service, supervision
from services.stats.models import (MESSAGING, SCHEMA, CubeCaseRow, CubeNodeRow, CubeSnapshotCaseRow, CubeSnapshotNodeRow,
                                   CubeSnapshotRow, NodeCountRow, NodeViewRow, QualityMonthRow, QualityOpenRow, QualityOverdueRow,
                                   QualityStageRow)

pytestmark = pytest.mark.timeout(120)
MIGRATIONS = Path(service.__file__).parent / "migrations"
D = pb.Dimension
NOW = datetime(2026, 10, 20, 10, tzinfo=LEGAL_TZ)
CIVIL1, CIVIL2 = "courts/440101/departments/440101-civil1", "courts/440101/departments/440101-civil2"
JUDGE, OTHER_JUDGE = "users/judge.440101.civil1.1", "users/judge.440101.civil2.1"


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LEGAL_TZ)


def caller(user: str, scope: int, prefix: str, *, department: str = "", court: str = "440101") -> Caller:
    return Caller(user=user, role=Role.ROLE_JUDGE, court=court, department=department, scope=scope,
                  scope_prefix=prefix)


JUDGE_CALLER = caller(JUDGE, ScopeLevel.SCOPE_LEVEL_OWN, "440101", department=CIVIL1)
HEAD = caller("users/head.440101.civil1", ScopeLevel.SCOPE_LEVEL_DEPARTMENT, "440101", department=CIVIL1)
COURT = caller("users/president.440101", ScopeLevel.SCOPE_LEVEL_COURT, "440101")
REGION = caller("users/tmo.4401", ScopeLevel.SCOPE_LEVEL_REGION, "4401", court="4401")
PROVINCE = caller("users/tmo.44", ScopeLevel.SCOPE_LEVEL_PROVINCE, "44", court="44")


@dataclass
class Bus:
    """Events as the stats service's consumers receive them (envelope time = when it happened)."""

    events: list

    def node(self, payload, when: datetime) -> None:
        self.events.append(("node", payload, when))

    def case(self, payload, when: datetime) -> None:
        self.events.append(("case", payload, when))


def envelope(payload, when: datetime) -> Event:
    env = EventEnvelope(id=str(uuid.uuid4()), type=payload.DESCRIPTOR.full_name)
    env.occurred_at.FromDatetime(when)
    packed = any_pb2.Any()
    packed.Pack(payload)
    env.payload.CopyFrom(packed)
    return Event(envelope=env, payload=payload, subject="test")


def apply(factory, events: list) -> None:
    """Apply events as the consumers do, one batch per producer in the order given."""
    with factory() as uow:
        for producer, handler in (("case", consumers.on_case_changes), ("node", consumers.on_node_changes)):
            batch = [envelope(p, when) for kind, p, when in events if kind == producer]
            if batch:
                handler(uow, batch)
        uow.commit()


def apply_shuffled(factory, events: list, *, seed: int) -> None:
    """Events in a shuffled order, in batches of 1–5, as redelivery across replicas gives them."""
    rng = random.Random(seed)
    again = list(events)
    rng.shuffle(again)
    while again:
        size = rng.randint(1, 5)
        apply(factory, again[:size])
        again = again[size:]


def a_case(court: str, n: int, *, filed: date, department: str = CIVIL1, handler: str = JUDGE,
           case_type=CaseType.CASE_TYPE_CIVIL, updated: datetime | None = None, **more) -> Case:
    case = Case(name=f"courts/{court}/cases/{uuid.UUID(int=n)}", case_number=f"（2026）示{court[2:]}民初{n}号",
                case_type=case_type, procedure=Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, cause="买卖合同纠纷",
                parties=[Party(role=PartyRole.PARTY_ROLE_PLAINTIFF, display_name="张三"),
                         Party(role=PartyRole.PARTY_ROLE_DEFENDANT, display_name="李四")],
                department=department, handler=handler, filing_date=from_date(filed), receive_date=from_date(filed),
                state=CaseState.CASE_STATE_FILED, **more)
    registered = datetime(filed.year, filed.month, filed.day, 9, tzinfo=LEGAL_TZ)
    case.create_time.FromDatetime(registered)
    case.update_time.FromDatetime(updated or registered)
    return case


def a_node(case: Case, code: str, *, stage=Stage.STAGE_FILING, due: date, state=NodeState.NODE_STATE_RUNNING,
           generation: int = 0, warned: datetime | None = None, overdue: datetime | None = None,
           completed: datetime | None = None, lock: NodeLock | None = None) -> Node:
    node = Node(name=f"{case.name}/nodes/{code}", node_type=code, display_name=code, stage=stage,
                category="审限", case_number=case.case_number, department=case.department,
                responsible=case.handler, state=state, due_date=from_date(due), clock_generation=generation)
    for field, value in (("warning_time", warned), ("overdue_time", overdue), ("complete_time", completed)):
        if value is not None:
            getattr(node, field).FromDatetime(value)
    if lock is not None:
        node.lock.CopyFrom(lock)
    return node


@contextmanager
def stats_database(postgres, name: str):
    """Units of work on a new database with the stats schema, on a clock standing at NOW."""
    url = new_database(postgres, name)
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    engine = create_engine(url, pool_size=2)
    try:
        yield uow_factory(engine, producer="stats", messaging=MESSAGING, clock=ManualClock(NOW))
    finally:
        engine.dispose()


@pytest.fixture
def factory(postgres):
    with stats_database(postgres, "supervision") as units:
        yield units


def summarize(factory, who: Caller, court: str = "-", *, group_by=(), as_of: date | None = None, **query):
    q = pb.SupervisionQuery(**query)
    if as_of is not None:
        q.as_of.CopyFrom(from_date(as_of))
    return convert.summary_to_proto(service.summarize_supervision(factory, caller=who, court=court, query=q,
                                                                  group_by=list(group_by)))


def listed(factory, who: Caller, query: pb.SupervisionQuery, what: str, court: str = "-") -> list:
    """Every row of ListSupervisedCases / ListSupervisedNodes for a query, across pages of 2."""
    use = service.list_supervised_cases if what == "cases" else service.list_supervised_nodes
    rows, token = [], ""
    while True:
        page = page_request(2, token, parent=court, key_type=uuid.UUID if what == "cases" else str,
                            filter_text=query.SerializeToString(deterministic=True).hex())
        found, as_of = use(factory, caller=who, court=court, query=query, page=page)
        found, token = split_page(found, page, (lambda r: r.case_id) if what == "cases" else (lambda r: r.node))
        rows += [convert.supervised_case(r) if what == "cases" else convert.supervised_node(r, as_of=as_of)
                 for r in found]
        if not token:
            return rows


def history(bus: Bus) -> None:
    """A small province: two courts of region 4401, one of region 4402, in September–October 2026."""
    c1 = a_case("440101", 1, filed=date(2026, 9, 1))                       # overdue without warning, locked
    c2 = a_case("440101", 2, filed=date(2026, 9, 2))                       # warned, then extended
    c3 = a_case("440101", 3, filed=date(2026, 9, 3), department=CIVIL2, handler=OTHER_JUDGE)   # normal
    c4 = a_case("440102", 4, filed=date(2026, 9, 4), handler="users/judge.440102.civil1.1",
                department="courts/440102/departments/440102-civil1", case_type=CaseType.CASE_TYPE_CRIMINAL)
    c5 = a_case("440201", 5, filed=date(2026, 10, 8), handler="users/judge.440201.civil1.1",
                department="courts/440201/departments/440201-civil1")
    for c in (c1, c2, c3, c4, c5):
        bus.case(CaseFiled(case=c), c.update_time.ToDatetime(tzinfo=LEGAL_TZ))
    # c1: its service node runs 5 days and goes overdue on 9-7 without a warning, locking the case;
    # unlocked on 10-10.
    n1 = dict(case=c1, code="service", due=date(2026, 9, 6))
    bus.node(NodeOpened(node=a_node(**n1)), at(9, 1))
    overdue = a_node(**n1, state=NodeState.NODE_STATE_OVERDUE, overdue=at(9, 7, 0))
    bus.node(NodeOverdue(node=overdue, warned_before=False), at(9, 7, 0))
    lock = NodeLock(locked=True, lock_type=LockType.LOCK_TYPE_OVERDUE, reason="送达超期", lock_date=from_date(date(2026, 9, 7)))
    bus.node(NodeLocked(node=a_node(**n1, state=NodeState.NODE_STATE_OVERDUE, overdue=at(9, 7, 0), lock=lock)),
             at(9, 7, 0))
    released = NodeLock(locked=False, lock_type=LockType.LOCK_TYPE_OVERDUE, reason="送达超期",
                        lock_date=from_date(date(2026, 9, 7)), unlock_date=from_date(date(2026, 10, 10)))
    bus.node(NodeUnlocked(node=a_node(**n1, state=NodeState.NODE_STATE_OVERDUE, overdue=at(9, 7, 0), lock=released)),
             at(10, 10))
    # c2: trial limit warned 9-20, overdue 9-30, extended on 10-5 (generation 1: running again).
    n2 = dict(case=c2, code="trial", stage=Stage.STAGE_ADJUDICATION)
    bus.node(NodeOpened(node=a_node(**n2, due=date(2026, 9, 29))), at(9, 2))
    bus.node(NodeWarned(node=a_node(**n2, due=date(2026, 9, 29), state=NodeState.NODE_STATE_WARNING,
                                    warned=at(9, 20))), at(9, 20))
    bus.node(NodeOverdue(node=a_node(**n2, due=date(2026, 9, 29), state=NodeState.NODE_STATE_OVERDUE,
                                     warned=at(9, 20), overdue=at(9, 30, 0)), warned_before=True), at(9, 30, 0))
    bus.node(ApplicationDecided(node=a_node(**n2, due=date(2026, 12, 29), generation=1)), at(10, 5))
    # c3: a node completed in time.
    n3 = dict(case=c3, code="service", due=date(2026, 9, 8))
    bus.node(NodeOpened(node=a_node(**n3)), at(9, 3))
    bus.node(NodeCompleted(node=a_node(**n3, state=NodeState.NODE_STATE_COMPLETED, completed=at(9, 5))), at(9, 5))
    # c4: completed late (超期完成) on 9-12 after going overdue on 9-11.
    n4 = dict(case=c4, code="service", due=date(2026, 9, 10))
    bus.node(NodeOpened(node=a_node(**n4)), at(9, 4))
    bus.node(NodeOverdue(node=a_node(**n4, state=NodeState.NODE_STATE_OVERDUE, overdue=at(9, 11, 0))), at(9, 11, 0))
    bus.node(NodeCompleted(node=a_node(**n4, state=NodeState.NODE_STATE_COMPLETED, overdue=at(9, 11, 0),
                                       completed=at(9, 12))), at(9, 12))
    # c5: running in another region.
    bus.node(NodeOpened(node=a_node(c5, "service", due=date(2026, 10, 14))), at(10, 8))


def counts(summary) -> tuple:
    c, n = summary.case_totals, summary.node_totals
    return (c.total, c.abnormal, c.normal, c.warning, c.overdue, c.overdue_without_warning, c.locked, c.unlocked,
            n.total, n.open, n.finished, n.normal, n.warning, n.overdue, n.locked, n.unlocked)


def test_the_counts_mean_what_the_platform_says(factory):
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    now = summarize(factory, PROVINCE)
    # Today (10-20): c1 overdue without warning and unlocked; c2 running again; c4 completed late.
    c, n = now.case_totals, now.node_totals
    assert (c.total, c.abnormal, c.normal) == (5, 2, 3)
    assert (c.warning, c.overdue, c.overdue_without_warning, c.locked, c.unlocked) == (0, 2, 2, 0, 1)
    assert (n.total, n.open, n.finished) == (5, 3, 2)
    assert (n.normal, n.warning, n.overdue, n.locked, n.unlocked) == (3, 0, 2, 0, 1)
    # On 30 September: c1 locked, c2 overdue (with a warning before), c4 completed late; c5 not yet filed.
    then = summarize(factory, PROVINCE, as_of=date(2026, 9, 30))
    c, n = then.case_totals, then.node_totals
    assert (c.total, c.abnormal, c.warning, c.overdue, c.overdue_without_warning, c.locked, c.unlocked) == \
        (4, 3, 0, 3, 2, 1, 0)
    assert (n.total, n.open, n.overdue, n.locked) == (4, 2, 3, 1)
    # On 25 September c2 was in warning.
    assert summarize(factory, PROVINCE, as_of=date(2026, 9, 25)).node_totals.warning == 1


def test_redelivered_and_reordered_events_give_the_same_figures(factory, postgres):
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    expected = [counts(summarize(factory, PROVINCE, as_of=d)) for d in (date(2026, 9, 25), date(2026, 9, 30), None)]
    with factory() as uow:
        rows = {r.node: (r.state, r.generation, r.status, r.locked, r.department)
                for r in uow.session.scalars(select(NodeViewRow))}
    cells = counter_cells(factory)
    # The same events again, shuffled, in batches of any size, twice over.
    apply_shuffled(factory, bus.events * 2, seed=7)
    assert [counts(summarize(factory, PROVINCE, as_of=d))
            for d in (date(2026, 9, 25), date(2026, 9, 30), None)] == expected
    with factory() as uow:
        assert {r.node: (r.state, r.generation, r.status, r.locked, r.department)
                for r in uow.session.scalars(select(NodeViewRow))} == rows
    assert counter_cells(factory) == cells and cells   # ListNodeStatistics' counters too


def counter_cells(factory) -> dict:
    """The four counters (ListNodeStatistics) per cell that counts anything."""
    with factory() as uow:
        return {r.cell: (r.open_count, r.warning_count, r.overdue_count, r.overdue_without_warning_count)
                for r in uow.session.scalars(select(NodeCountRow))
                if (r.open_count, r.warning_count, r.overdue_count, r.overdue_without_warning_count) != (0, 0, 0, 0)}


def test_the_counters_follow_the_later_of_two_moves_whatever_order_they_arrive_in(factory):
    """Two pull loops (and two replicas) commit batches in any order: a node moved to 民二庭 and
    then to 民三庭 is counted in 民三庭 even when the second move is applied first."""
    civil3 = "courts/440101/departments/440101-civil3"
    case = a_case("440101", 31, filed=date(2026, 10, 1))
    node = dict(case=case, code="serve", due=date(2026, 11, 30))
    moved_to = {}
    for department in (CIVIL2, civil3):
        moved_to[department] = a_node(**node)
        moved_to[department].department = department
    apply(factory, [("case", CaseFiled(case=case), at(10, 1)), ("node", NodeOpened(node=a_node(**node)), at(10, 1))])
    apply(factory, [("node", NodeReassigned(node=moved_to[civil3], previous_department=CIVIL2), at(10, 9))])
    apply(factory, [("node", NodeReassigned(node=moved_to[CIVIL2], previous_department=CIVIL1), at(10, 8))])
    assert counter_cells(factory) == {f"440101|{civil3}|{Stage.STAGE_FILING}": (1, 0, 0, 0)}
    with factory() as uow:
        assert uow.session.scalars(select(NodeViewRow.department)).all() == [civil3]


def test_an_extension_moves_an_overdue_node_back_to_running(factory):
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    trial = f"courts/440101/cases/{uuid.UUID(int=2)}/nodes/trial"
    nodes = {r.name: r for r in listed(factory, COURT, pb.SupervisionQuery(), "nodes")}
    assert nodes[trial].state == NodeState.NODE_STATE_RUNNING and nodes[trial].status == pb.NODE_STATUS_NORMAL
    assert nodes[trial].due_date == from_date(date(2026, 12, 29))
    before = {r.name: r for r in listed(factory, COURT, pb.SupervisionQuery(as_of=from_date(date(2026, 10, 1))),
                                        "nodes")}
    assert before[trial].status == pb.NODE_STATUS_OVERDUE and before[trial].days_overdue == 2


def withdrawn_after_a_lock(bus: Bus) -> str:
    """c7 (440101): its trial limit runs out on 10-2 and locks the case; on 10-12 a corrected case
    attribute (foreign-related: no trial limit, 民事诉讼法第二百八十七条) withdraws it, which
    releases the lock with no unlock application (services/node/reopening.py withdraw)."""
    c7 = a_case("440101", 7, filed=date(2026, 9, 1))
    bus.case(CaseFiled(case=c7), c7.update_time.ToDatetime(tzinfo=LEGAL_TZ))
    limit = dict(case=c7, code="trial", stage=Stage.STAGE_ADJUDICATION, due=date(2026, 10, 1))
    bus.node(NodeOpened(node=a_node(**limit)), at(9, 1))
    lock = NodeLock(locked=True, lock_type=LockType.LOCK_TYPE_OVERDUE, reason="审限届满",
                    lock_date=from_date(date(2026, 10, 2)))
    bus.node(NodeLocked(node=a_node(**limit, state=NodeState.NODE_STATE_OVERDUE, overdue=at(10, 2, 0), lock=lock)),
             at(10, 2, 0))
    released = NodeLock(locked=False, lock_type=LockType.LOCK_TYPE_OVERDUE, reason="审限届满",
                        lock_date=from_date(date(2026, 10, 2)), unlock_date=from_date(date(2026, 10, 12)))
    withdrawn = a_node(**limit, state=NodeState.NODE_STATE_COMPLETED, overdue=at(10, 2, 0), completed=at(10, 12),
                       lock=released)
    withdrawn.withdrawn = True
    bus.node(NodeUnlocked(node=withdrawn, application=""), at(10, 12))
    bus.node(NodeCompleted(node=withdrawn), at(10, 12))
    return withdrawn.name


def test_a_withdrawn_node_is_neither_overdue_nor_unlocked(factory):
    """A lock released because its node was withdrawn is not 解锁 (nobody approved an unlock), and
    a withdrawn limit did not run out: today the node counts as a finished, normal node; on a day
    while it was locked it counts as it was then. The cube answers the same."""
    base = Bus([])
    history(base)
    bus = Bus(list(base.events))
    name = withdrawn_after_a_lock(bus)
    apply(factory, bus.events)
    c, n = summarize(factory, PROVINCE).case_totals, summarize(factory, PROVINCE).node_totals
    # history() alone: cases (5, abnormal 2, unlocked 1), nodes (5, finished 2, normal 3, overdue 2, unlocked 1).
    assert (c.total, c.abnormal, c.normal, c.overdue, c.locked, c.unlocked) == (6, 2, 4, 2, 0, 1)
    assert (n.total, n.finished, n.normal, n.overdue, n.locked, n.unlocked) == (6, 3, 4, 2, 0, 1)
    assert name not in {r.name for r in listed(factory, PROVINCE, pb.SupervisionQuery(filter="unlocked = true"),
                                                "nodes")}
    assert name not in {r.name for r in listed(factory, PROVINCE, pb.SupervisionQuery(filter="status = OVERDUE"),
                                                "nodes")}
    listed_now = {r.name: r for r in listed(factory, PROVINCE, pb.SupervisionQuery(), "nodes")}
    listed_then = {r.name: r for r in listed(factory, PROVINCE, pb.SupervisionQuery(as_of=from_date(date(2026, 10, 5))),
                                             "nodes")}
    assert (listed_now[name].withdrawn, listed_now[name].status, listed_now[name].HasField("unlock_date")) == (
        True, pb.NODE_STATUS_NORMAL, False)
    assert (listed_then[name].withdrawn, listed_then[name].status, listed_then[name].locked) == (
        False, pb.NODE_STATUS_OVERDUE, True)
    then = summarize(factory, PROVINCE, as_of=date(2026, 10, 5))   # c1 still locked then, as c7 was
    assert (then.case_totals.locked, then.node_totals.locked, then.node_totals.overdue) == (2, 2, 3)
    # A past day's lock lists read the nodes with a lock on record: the withdrawn node kept its lock's.
    locked_then = pb.SupervisionQuery(filter="locked = true", as_of=from_date(date(2026, 10, 5)))
    assert name in {r.name for r in listed(factory, PROVINCE, locked_then, "nodes")}
    assert len(listed(factory, PROVINCE, locked_then, "nodes")) == len(listed(factory, PROVINCE, locked_then, "cases")) == 2
    for text_filter in ("unlocked = true", "locked = true", "status = OVERDUE", ""):
        direct, cubed = _direct_and_cube(factory, PROVINCE, pb.SupervisionQuery(filter=text_filter),
                                         [D.DIMENSION_COURT])
        assert cubed == direct, text_filter


def test_a_past_days_answer_does_not_change_after_later_events(factory):
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    asked = summarize(factory, PROVINCE, as_of=date(2026, 10, 12), group_by=[D.DIMENSION_COURT])
    # Later: c5's node goes overdue and locks; c3 moves department.
    c5 = a_case("440201", 5, filed=date(2026, 10, 8), handler="users/judge.440201.civil1.1",
                department="courts/440201/departments/440201-civil1")
    lock = NodeLock(locked=True, lock_type=LockType.LOCK_TYPE_OVERDUE, reason="送达超期",
                    lock_date=from_date(date(2026, 10, 15)))
    late = Bus([])
    late.node(NodeLocked(node=a_node(c5, "service", due=date(2026, 10, 14), state=NodeState.NODE_STATE_OVERDUE,
                                     overdue=at(10, 15, 0), lock=lock)), at(10, 15, 0))
    moved = a_case("440101", 3, filed=date(2026, 9, 3), department=CIVIL1, handler=JUDGE, updated=at(10, 16))
    late.case(CaseUpdated(case=moved), at(10, 16))
    # And a case registered on 10-17 with a filing date of 10-2 (recorded late) was not there on 10-12.
    backdated = a_case("440101", 6, filed=date(2026, 10, 2))
    backdated.create_time.FromDatetime(at(10, 17))
    backdated.update_time.FromDatetime(at(10, 17))
    late.case(CaseFiled(case=backdated), at(10, 17))
    apply(factory, late.events)
    assert summarize(factory, PROVINCE, as_of=date(2026, 10, 12), group_by=[D.DIMENSION_COURT]) == asked
    assert summarize(factory, PROVINCE).case_totals.total == 6
    assert summarize(factory, PROVINCE).case_totals.locked == 1


def test_each_caller_sees_exactly_their_scope(factory):
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    seen = {name: {c.name for c in listed(factory, who, pb.SupervisionQuery(), "cases")}
            for name, who in (("judge", JUDGE_CALLER), ("head", HEAD), ("court", COURT), ("region", REGION),
                              ("province", PROVINCE))}
    case = lambda court, n: f"courts/{court}/cases/{uuid.UUID(int=n)}"  # noqa: E731
    assert seen["judge"] == {case("440101", 1), case("440101", 2)}
    assert seen["head"] == {case("440101", 1), case("440101", 2)}
    assert seen["court"] == {case("440101", 1), case("440101", 2), case("440101", 3)}
    assert seen["region"] == seen["court"] | {case("440102", 4)}
    assert seen["province"] == seen["region"] | {case("440201", 5)}
    assert summarize(factory, JUDGE_CALLER).case_totals.total == 2
    with pytest.raises(Exception) as refused:
        summarize(factory, COURT, "440102")
    assert getattr(refused.value, "reason", "") == "OUT_OF_SCOPE"


def test_own_scope_counts_the_cases_one_is_on_and_follows_a_change_of_team(factory):
    """A clerk (or assistant, or panel member) of own scope counts the cases they are on, as the
    case service shows them; a change of clerk moves the case to the new clerk's figures."""
    clerk, other = "users/clerk.440101.civil1.1", "users/clerk.440101.civil1.2"
    who = {u: Caller(user=u, role=Role.ROLE_CLERK, court="440101", department=CIVIL1, scope=ScopeLevel.SCOPE_LEVEL_OWN,
                     scope_prefix="440101") for u in (clerk, other)}
    bus = Bus([])
    history(bus)
    mine = a_case("440101", 6, filed=date(2026, 10, 9), clerk=clerk, panel=[OTHER_JUDGE])
    bus.case(CaseFiled(case=mine), at(10, 9))
    apply(factory, bus.events)

    def seen(caller: Caller) -> set[str]:
        return {c.name for c in listed(factory, caller, pb.SupervisionQuery(), "cases")}
    assert seen(who[clerk]) == {mine.name} and summarize(factory, who[clerk]).case_totals.total == 1
    assert seen(who[other]) == set()
    # The panel judge counts it besides the cases they handle.
    assert mine.name in seen(caller(OTHER_JUDGE, ScopeLevel.SCOPE_LEVEL_OWN, "440101", department=CIVIL2))

    moved = Case()
    moved.CopyFrom(mine)
    moved.clerk = other
    moved.update_time.FromDatetime(at(10, 12))
    apply(factory, [("case", CaseUpdated(case=moved, changed_fields=["clerk"]), at(10, 12))])
    assert seen(who[clerk]) == set() and summarize(factory, who[clerk]).case_totals.total == 0
    assert seen(who[other]) == {mine.name}


@pytest.mark.parametrize("group_by", [
    [D.DIMENSION_REGION], [D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT], [D.DIMENSION_STAGE],
    [D.DIMENSION_CASE_TYPE, D.DIMENSION_MONTH], [D.DIMENSION_HANDLER, D.DIMENSION_NODE_TYPE]])
@pytest.mark.parametrize("as_of", [None, date(2026, 9, 30)])
def test_every_number_drills_down_to_exactly_its_cases_and_nodes(factory, group_by, as_of):
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    summary = summarize(factory, PROVINCE, group_by=group_by, as_of=as_of)
    assert summary.cells
    for cell in summary.cells:
        for measure, term in summary.measure_filters.items():
            kind, name = measure.split(".")
            query = pb.SupervisionQuery()
            query.CopyFrom(cell.drill_down)
            query.filter = " AND ".join(t for t in (query.filter, term) if t)
            expected = getattr(getattr(cell, kind), name)
            assert len(listed(factory, PROVINCE, query, kind)) == expected, (measure, cell.group, query.filter)


def test_bad_queries_are_refused_naming_the_field(factory):
    for query, field in ((dict(filter="stage = NOWHERE"), "query.filter"), (dict(filter="court ~ 44"), "query.filter"),
                         (dict(start_date=from_date(date(2026, 10, 2)), end_date=from_date(date(2026, 10, 1))),
                          "query.end_date"),
                         (dict(as_of=from_date(date(2026, 10, 21))), "query.as_of")):
        with pytest.raises(InvalidArgument) as refused:
            summarize(factory, PROVINCE, **query)
        assert refused.value.violations[0].field == field
        assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.violations[0].description)


def _direct_and_cube(factory, who: Caller, query: pb.SupervisionQuery, group_by: list[int], *, snapshots=frozenset()):
    """The same question answered by the direct query over the read model and by the cube (or a
    snapshot of it: those of the days `snapshots`, whole or deltas)."""
    with factory() as uow:
        today = NOW.date()
        q = supervision.parse_query(query, today=today)
        node_dims = any(d in service.NODE_DIMENSIONS for d in group_by)
        kept, deltas = ({day: rollups for day, rollups in repository.snapshot_rollups(uow.session, deltas=delta).items()
                         if day in snapshots} for delta in (False, True))
        plan = cube.plan(q, group_by, scope=who.scope, with_nodes=node_dims, snapshots=kept, deltas=deltas)
        if plan is None:
            return None
        sql = repository.SupervisionSql(who, "-", q, today=today, with_nodes=node_dims)
        direct = [repository.summarize(uow.session, sql, group_by), repository.summarize(uow.session, sql, [])]
        cubed = [repository.cube_summary(uow.session, who, "-", plan, q, group_by),
                 repository.cube_summary(uow.session, who, "-", plan, q, group_by, totals=True)]
    columns = lambda row: {k: v for k, v in row._asdict().items()} if hasattr(row, "_asdict") else vars(row)  # noqa: E731
    return [[columns(r) for r in rows] for rows in direct], [[columns(r) for r in rows] for rows in cubed]


CUBE_QUESTIONS = [
    ("", []), ("", [D.DIMENSION_REGION, D.DIMENSION_COURT]), ("", [D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT]),
    ("status = OVERDUE", [D.DIMENSION_STAGE]), ("locked = true", [D.DIMENSION_REGION]),
    ("unlocked = true", [D.DIMENSION_CASE_TYPE]), ("", [D.DIMENSION_MONTH]), ("closed = true", [D.DIMENSION_COURT]),
    ("closed = false AND status = OVERDUE", []), ("stage = ADJUDICATION", [D.DIMENSION_COURT]),
    ('department = "' + CIVIL1 + '"', []), ("open = false", [D.DIMENSION_DEPARTMENT, D.DIMENSION_STAGE]),
    ("overdue_without_warning = true", [D.DIMENSION_PROCEDURE]), ('month = "2026-09"', [D.DIMENSION_STAGE]),
    ('court = "440101"', [D.DIMENSION_MONTH, D.DIMENSION_STAGE]), ("", [D.DIMENSION_MONTH, D.DIMENSION_DEPARTMENT]),
]
# Kept in month ends' snapshots only (cube.MONTH_END_ROLLUPS; the live cube leaves it to the direct query).
MONTH_END_QUESTIONS = [("closed = false", [D.DIMENSION_DEPARTMENT])]


@pytest.mark.parametrize("basis", [pb.DATE_BASIS_RECEIVE, pb.DATE_BASIS_FILING, pb.DATE_BASIS_CLOSE])
def test_the_cube_answers_as_the_read_model_does_after_any_order_of_events(factory, basis):
    """Today's figures come from the cube (cube.py): for every kind of question it takes, the same
    rows as the direct query over the read model, after redelivered and reordered events, a case
    closed and reopened in its dates, and the cube kept batch by batch equals one counted afresh.
    Most cases are received and filed in one month (one row of a monthly rollup for both bases);
    one was received in August, filed in September and closed in October."""
    bus = Bus([])
    history(bus)
    c3 = a_case("440101", 3, filed=date(2026, 9, 3), department=CIVIL2, handler=OTHER_JUDGE,
                updated=at(10, 1), close_date=from_date(date(2026, 10, 1)))
    c3.receive_date.CopyFrom(from_date(date(2026, 8, 28)))
    bus.case(CaseUpdated(case=c3), at(10, 1))
    apply_shuffled(factory, bus.events * 2, seed=11)
    compared = 0
    for text_filter, group_by in CUBE_QUESTIONS:
        for dated in (False, True):
            query = pb.SupervisionQuery(filter=text_filter, date_basis=basis)
            if dated:
                query.start_date.CopyFrom(from_date(date(2026, 9, 1)))
                query.end_date.CopyFrom(from_date(date(2026, 10, 31)))
            answers = _direct_and_cube(factory, PROVINCE, query, group_by)
            if answers is None:   # no rollup keeps the month with these columns: the direct query's
                assert dated, (text_filter, group_by)
                continue
            compared += 1
            direct, cubed = answers
            assert cubed == direct, (text_filter, group_by, dated)
    assert compared >= 25
    for text_filter, group_by in MONTH_END_QUESTIONS:
        assert _direct_and_cube(factory, PROVINCE, pb.SupervisionQuery(filter=text_filter), group_by) is None
    with factory() as uow:
        # Rows the projection left at zero count nothing: no drift, and the housekeeping removes them.
        assert repository.cube_differences(uow.session, "44", limit=100) == []
        assert repository.prune_cube(uow.session) > 0
        kept = {t: sorted(map(tuple, uow.session.execute(select(t)))) for t in (CubeCaseRow.__table__,
                                                                                  CubeNodeRow.__table__)}
        repository.rebuild_cube(uow.session.connection())
        assert {t: sorted(map(tuple, uow.session.execute(select(t)))) for t in kept} == kept
        assert kept[CubeCaseRow.__table__]


def test_a_recount_a_migration_asked_for_runs_at_head_even_after_an_interruption(postgres):
    """A migration that changes what the cube or Q2's tables count asks for a recount, run by the
    code at head once every migration has run (services/common/migrate.py): if the migrations Job
    is killed after the last migration committed and before the count did, the next upgrade
    counts them, and then forgets the request."""
    url = new_database(postgres, "recount")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    engine = create_engine(url, pool_size=1)
    try:
        units = uow_factory(engine, producer="stats", messaging=MESSAGING, clock=ManualClock(NOW))
        bus = Bus([])
        history(bus)
        apply(units, bus.events)
        tables = [r.__table__ for r in (CubeCaseRow, CubeNodeRow, QualityMonthRow, QualityOpenRow, QualityStageRow,
                                        QualityOverdueRow)]
        with units() as uow:
            repository.prune_cube(uow.session)   # rows the projection left at zero, as a count has none
            quality_counts.prune(uow.session)
            counted = {t.name: sorted(map(tuple, uow.session.execute(select(t)))) for t in tables}
            # (history()'s nodes carry no opening time: no stage is timed.)
            assert [n for n, rows in counted.items() if not rows] == ["quality_stages"]
            # The Job killed: the requests are recorded, the tables not yet counted.
            uow.session.execute(sql_text(f"INSERT INTO {SCHEMA}.recounts_due VALUES ('cube'), ('quality')"))
            for t in tables:
                uow.session.execute(t.delete())
            uow.commit()
        upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
        with units() as uow:
            assert {t.name: sorted(map(tuple, uow.session.execute(select(t)))) for t in tables} == counted
            assert uow.session.execute(sql_text(f"SELECT count(*) FROM {SCHEMA}.recounts_due")).scalar() == 0
    finally:
        engine.dispose()


def test_a_month_ends_snapshot_answers_as_the_read_model_did_and_stays(factory):
    """A past month end is answered from its snapshot (cube.py), counted after the month ended from
    each node's history: for every kind of question a snapshot takes, the same rows as the direct
    query as of that day; later events (a case moved to another department, a node locked) leave
    its answer as it was."""
    bus = Bus([])
    history(bus)
    apply_shuffled(factory, bus.events * 2, seed=5)
    day = date(2026, 9, 30)
    with factory() as uow:
        clock = uow.clock
    # On 11-03 the last node change the read model holds is from 10-10: for it 30 September is over,
    # 31 October not yet (the projection behind the clock) — that one waits.
    clock.set(datetime(2026, 11, 3, 9, tzinfo=LEGAL_TZ))
    assert service.take_snapshots(factory, settle=timedelta(hours=2), months=2) == [day]
    clock.set(NOW)
    assert service.take_snapshots(factory, settle=timedelta(hours=2), months=2) == [date(2026, 8, 31)]
    assert service.take_snapshots(factory, settle=timedelta(hours=2), months=2) == []   # kept: not again
    compared, asked = 0, {}
    for text_filter, group_by in CUBE_QUESTIONS + MONTH_END_QUESTIONS:
        query = pb.SupervisionQuery(filter=text_filter, date_basis=pb.DATE_BASIS_FILING, as_of=from_date(day))
        answers = _direct_and_cube(factory, PROVINCE, query, group_by, snapshots={day})
        if answers is None:   # month and another column: not in a snapshot
            continue
        compared += 1
        direct, snapshot = answers
        assert snapshot == direct, (text_filter, group_by)
        asked[text_filter, tuple(group_by)] = snapshot
    assert compared >= 10
    assert counts(summarize(factory, PROVINCE, as_of=day))[:8] == (4, 3, 1, 0, 3, 2, 1, 0)
    moved = a_case("440101", 3, filed=date(2026, 9, 3), department=CIVIL1, handler=JUDGE, updated=at(10, 16))
    later = Bus([])
    later.case(CaseUpdated(case=moved), at(10, 16))
    apply(factory, later.events)
    for (text_filter, group_by), snapshot in asked.items():
        query = pb.SupervisionQuery(filter=text_filter, date_basis=pb.DATE_BASIS_FILING, as_of=from_date(day))
        assert _direct_and_cube(factory, PROVINCE, query, list(group_by), snapshots={day})[1] == snapshot
    # The snapshot is what answers: a month end without one goes to the read model.
    with factory() as uow:
        uow.session.execute(CubeSnapshotCaseRow.__table__.update().where(CubeSnapshotCaseRow.day == day)
                            .values(cases=CubeSnapshotCaseRow.cases * 10))
        uow.commit()
    assert summarize(factory, PROVINCE, as_of=day).case_totals.total == 40
    assert summarize(factory, PROVINCE, as_of=date(2026, 9, 29)).case_totals.total == 4


def test_a_recent_days_snapshot_answers_as_the_read_model_did_until_it_is_dropped(factory):
    """One of the last days (STATS_SNAPSHOT_DAYS) is answered from its snapshot as a month end is —
    the same rows as the direct query as of that day — taken with Q2's (test_quality has its
    questions). Once the day is older than the last `days`, the housekeeping drops it, Q2's too,
    and the read model answers again; the month end stays."""
    bus = Bus([])
    history(bus)
    apply_shuffled(factory, bus.events, seed=7)
    day = date(2026, 10, 7)    # c2 extended on 10-05 and running again, c1 still locked, c5 not yet filed
    with factory() as uow:
        clock = uow.clock
    clock.set(datetime(2026, 10, 8, 9, tzinfo=LEGAL_TZ))
    assert service.take_snapshots(factory, settle=timedelta(hours=2), months=1, days=2) == [
        day, date(2026, 10, 6), date(2026, 9, 30)]
    assert service.take_snapshots(factory, settle=timedelta(hours=2), months=1, days=2) == []   # kept
    with factory() as uow:
        assert quality_counts.snapshot_days(uow.session) == {day, date(2026, 10, 6), date(2026, 9, 30)}
    compared = 0
    for text_filter, group_by in CUBE_QUESTIONS:
        query = pb.SupervisionQuery(filter=text_filter, date_basis=pb.DATE_BASIS_FILING, as_of=from_date(day))
        answers = _direct_and_cube(factory, PROVINCE, query, group_by, snapshots={day})
        if answers is None:
            continue
        compared += 1
        direct, snapshot = answers
        assert snapshot == direct, (text_filter, group_by)
    assert compared >= 10
    clock.set(NOW)
    as_it_was = counts(summarize(factory, PROVINCE, as_of=day))
    assert as_it_was != counts(summarize(factory, PROVINCE, as_of=date(2026, 9, 30)))
    with factory() as uow:   # the snapshot is what answers
        uow.session.execute(CubeSnapshotCaseRow.__table__.update().where(CubeSnapshotCaseRow.day == day)
                            .values(cases=CubeSnapshotCaseRow.cases * 10))
        uow.commit()
    assert summarize(factory, PROVINCE, as_of=day).case_totals.total == 10 * as_it_was[0]
    # On 10-20 the last two days are 10-18 and 10-19 (not yet reached by the read model: waiting).
    # 10-07 has no later snapshot to chain to: dropped. (September's other days are filled from the
    # history, chained to 9-30: fill_snapshots.)
    service.keep_cube(factory, settle=timedelta(hours=2), months=1, days=2)
    with factory() as uow:
        assert repository.snapshot_days(uow.session) == {date(2026, 9, n) for n in range(1, 31)}
        assert not uow.session.execute(select(CubeSnapshotCaseRow).where(CubeSnapshotCaseRow.day == day)).first()
        assert quality_counts.snapshot_days(uow.session) == {date(2026, 9, 30)}
    assert counts(summarize(factory, PROVINCE, as_of=day)) == as_it_was   # the read model again


def test_an_older_days_snapshot_is_kept_as_a_delta_and_its_chain_answers_as_the_read_model_did(factory):
    """Once one of the last days is older than STATS_SNAPSHOT_DAYS, its snapshot is kept as its
    difference from the next day's (cube.snapshots_aging): summed with the next days' deltas up to
    a snapshot kept whole, it gives the same rows as the direct query as of that day — across an
    extension (10-05) and a filing (10-08) — in fewer rows than a whole snapshot; a day whose
    chain is broken goes back to the read model (until the housekeeping fills it again: the next
    test)."""
    bus = Bus([])
    history(bus)
    apply_shuffled(factory, bus.events, seed=13)
    with factory() as uow:
        clock = uow.clock
    days = [date(2026, 10, n) for n in range(4, 9)]
    clock.set(datetime(2026, 10, 9, 9, tzinfo=LEGAL_TZ))
    assert set(service.take_snapshots(factory, settle=timedelta(hours=2), months=1, days=5)) == {
        *days, date(2026, 9, 30)}
    with factory() as uow:
        whole_rows = uow.session.scalar(select(func.count()).select_from(CubeSnapshotCaseRow)
                                        .where(CubeSnapshotCaseRow.day == date(2026, 10, 4)))
    # On 10-20 the last twelve days are 10-08…10-19: 10-04…10-07 are older and their chains end
    # at 10-08, kept whole.
    clock.set(NOW)
    _take_and_age(factory, months=1, days=12)
    with factory() as uow:
        assert set(repository.snapshot_rollups(uow.session, deltas=True)) == set(days[:4])
        assert date(2026, 10, 8) in repository.snapshot_rollups(uow.session)
        delta_rows = uow.session.scalar(select(func.count()).select_from(CubeSnapshotCaseRow)
                                        .where(CubeSnapshotCaseRow.day == date(2026, 10, 4)))
    assert 0 < delta_rows < whole_rows   # the rows c2's extension moved (a province: a few of them)
    figures = {}
    for day in days[:4]:
        compared = 0
        for text_filter, group_by in CUBE_QUESTIONS:
            query = pb.SupervisionQuery(filter=text_filter, date_basis=pb.DATE_BASIS_FILING, as_of=from_date(day))
            answers = _direct_and_cube(factory, PROVINCE, query, group_by, snapshots=set(days))
            if answers is None:   # month and another column: not in a snapshot
                continue
            compared += 1
            direct, chained = answers
            assert chained == direct, (day, text_filter, group_by)
        assert compared >= 10
        figures[day] = counts(summarize(factory, PROVINCE, as_of=day))
    assert figures[date(2026, 10, 4)] != figures[date(2026, 10, 5)]   # the extension is in the chain
    # The chain is what answers: without 10-06's delta, 10-04 and 10-05 go to the read model (the
    # housekeeping drops them, their chain broken), 10-07 still has its own.
    with factory() as uow:
        for table in (CubeSnapshotCaseRow.__table__, CubeSnapshotNodeRow.__table__):
            uow.session.execute(table.delete().where(table.c.day == date(2026, 10, 6)))
        uow.session.execute(CubeSnapshotRow.__table__.delete().where(CubeSnapshotRow.day == date(2026, 10, 6)))
        uow.commit()
    _take_and_age(factory, months=1, days=12)
    with factory() as uow:
        assert set(repository.snapshot_rollups(uow.session, deltas=True)) == {date(2026, 10, 7)}
    query = pb.SupervisionQuery(date_basis=pb.DATE_BASIS_FILING, as_of=from_date(date(2026, 10, 4)))
    assert _direct_and_cube(factory, PROVINCE, query, [], snapshots=set(days)) is None
    assert counts(summarize(factory, PROVINCE, as_of=date(2026, 10, 4))) == figures[date(2026, 10, 4)]
    # On 5 December, keeping one month end (STATS_SNAPSHOT_MONTHS=1), 9-30 is no longer kept: its
    # snapshots, the cube's and Q2's, are dropped, and so is every day whose chain led to it or to
    # 10-08 (no longer one of the last days, and 10-09 has none). 11-30's waits for the read model.
    # Q2's are aged alike: whole for the month end, the 8th and 10-09 (one of the last twelve days),
    # deltas for 10-04…10-07 (their chain is whole: only the cube's 10-06 was deleted).
    with factory() as uow:
        assert quality_counts.snapshot_registry(uow.session) == {
            False: {date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9)}, True: set(days[:4])}
    clock.set(datetime(2026, 12, 5, 9, tzinfo=LEGAL_TZ))
    service.keep_cube(factory, settle=timedelta(hours=2), months=1, days=12)
    with factory() as uow:
        assert repository.snapshot_days(uow.session) == set() and quality_counts.snapshot_days(uow.session) == set()
        assert uow.session.scalar(select(func.count()).select_from(CubeSnapshotCaseRow)) == 0
    clock.set(NOW)
    assert counts(summarize(factory, PROVINCE, as_of=date(2026, 10, 4))) == figures[date(2026, 10, 4)]


def _take_and_age(factory, *, months: int, days: int) -> None:
    """The housekeeping's turn without filling the days that have no snapshot (fill_snapshots)."""
    service.take_snapshots(factory, settle=timedelta(hours=2), months=months, days=days)
    with factory() as uow:
        repository.age_snapshots(uow.session, today=legal_today(uow.clock), days=days,
                                 months=months)
        uow.commit()


def test_days_without_a_snapshot_are_filled_from_the_history_and_answer_as_the_read_model_does(factory):
    """A day of the kept months that has no snapshot — before the snapshots began, or its chain
    broken in an outage — is counted from the read model's history by the housekeeping
    (fill_snapshots), a run of days in one transaction: the last whole, then kept as a delta from
    the next day's chain, each earlier day as a delta counted from the cases its changes touched,
    and the 8th, 16th and 24th whole, so that no chain is longer than cube.LONGEST_CHAIN. Every
    such day then answers from its chain exactly as the direct query does as of it — across a
    lock (9-07), a warning (9-20), an extension (10-05) and a filing (10-08). Before, the cube
    had no plan for them: each was counted from every node's history (minutes for a province)."""
    bus = Bus([])
    history(bus)
    apply_shuffled(factory, bus.events, seed=17)
    with factory() as uow:
        clock = uow.clock
    clock.set(NOW)
    # On 10-20, with two month ends and the last twelve days kept: 8-31, 9-30, 10-08 and 10-09 are
    # taken (10-10 on the read model has not passed yet); every other day of August to 10-07 is
    # filled, a run a turn of the housekeeping, the newest first.
    service.keep_cube(factory, settle=timedelta(hours=2), months=2, days=12)
    with factory() as uow:
        assert set(repository.snapshot_registry(uow.session)[True]) == {date(2026, 10, n) for n in range(1, 8)}
    assert service.fill_snapshots(factory, months=2, days=12, runs=1) == [
        date(2026, 9, 29) - timedelta(days=n) for n in range(29)]
    service.keep_cube(factory, settle=timedelta(hours=2), months=2, days=12)
    filled = [date(2026, 8, 1) + timedelta(days=n) for n in range(68)]
    filled = [d for d in filled if d not in (date(2026, 8, 31), date(2026, 9, 30))]
    with factory() as uow:
        kept = repository.snapshot_registry(uow.session)
        whole_rows = uow.session.scalar(select(func.count()).select_from(CubeSnapshotCaseRow)
                                        .where(CubeSnapshotCaseRow.day == date(2026, 9, 30)))
        rows = dict(uow.session.execute(select(CubeSnapshotCaseRow.day, func.count())
                                        .group_by(CubeSnapshotCaseRow.day)).all())
    assert set(kept[False]) == {date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9),
                                *(date(2026, m, d) for m in (8, 9) for d in (8, 16, 24))}
    assert set(kept[True]) == set(filled) - set(kept[False])
    assert all(len(cube.chain_days(d, kept[False], kept[True])) <= cube.LONGEST_CHAIN + 1 for d in filled)
    assert rows[date(2026, 10, 4)] < whole_rows and date(2026, 10, 3) not in rows   # 10-04: the extension
    assert service.fill_snapshots(factory, months=2, days=12) == []   # filled: not again
    figures = {}
    for day in filled:
        for text_filter, group_by in CUBE_QUESTIONS:
            query = pb.SupervisionQuery(filter=text_filter, date_basis=pb.DATE_BASIS_FILING, as_of=from_date(day))
            answers = _direct_and_cube(factory, PROVINCE, query, group_by, snapshots=set(kept[False]) | set(kept[True]))
            if answers is None:   # month and another column: not in a snapshot
                assert group_by and D.DIMENSION_MONTH in group_by or "month" in text_filter, (day, text_filter)
                continue
            direct, chained = answers
            assert chained == direct, (day, text_filter, group_by)
        figures[day] = counts(summarize(factory, PROVINCE, as_of=day))
    assert len({figures[d] for d in (date(2026, 9, 6), date(2026, 9, 7), date(2026, 10, 4), date(2026, 10, 5))}) == 4
    # An outage: 10-05's delta lost. The housekeeping drops 10-01…10-04 (their chain broken) and
    # fills the five days again.
    with factory() as uow:
        for table in (CubeSnapshotCaseRow.__table__, CubeSnapshotNodeRow.__table__, CubeSnapshotRow.__table__):
            uow.session.execute(table.delete().where(table.c.day == date(2026, 10, 5)))
        uow.commit()
    _take_and_age(factory, months=2, days=12)
    with factory() as uow:
        assert set(repository.snapshot_registry(uow.session)[True]) == set(kept[True]) - {
            date(2026, 10, n) for n in range(1, 6)}
    service.keep_cube(factory, settle=timedelta(hours=2), months=2, days=12)
    with factory() as uow:
        assert set(repository.snapshot_registry(uow.session)[True]) == set(kept[True])
    for day in (date(2026, 10, 1), date(2026, 10, 4), date(2026, 10, 5)):
        assert counts(summarize(factory, PROVINCE, as_of=day)) == figures[day]


def test_one_replica_fills_at_a_time(factory):
    """While another replica's housekeeping is filling days (its claim held), this one's turn
    fills nothing and goes on; once that transaction has ended, it fills."""
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    service.take_snapshots(factory, settle=timedelta(hours=2), months=1, days=12)
    with factory() as other:
        other.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        assert repository.claim_filling(other.session)
        assert service.fill_snapshots(factory, months=1, days=12) == []
    assert service.fill_snapshots(factory, months=1, days=12, runs=1) == [
        date(2026, 10, 7) - timedelta(days=n) for n in range(7)]


def test_questions_the_cube_cannot_answer_go_to_the_read_model(factory):
    """A past day, a handler or node type, a range inside a month, a division head: the direct
    query answers them, and they still add up (the drill-down test covers their figures)."""
    q = lambda **kw: supervision.parse_query(pb.SupervisionQuery(**kw), today=NOW.date())  # noqa: E731
    province = ScopeLevel.SCOPE_LEVEL_PROVINCE
    assert cube.plan(q(as_of=from_date(date(2026, 9, 30))), [], scope=province, with_nodes=False) is None
    assert cube.plan(q(), [D.DIMENSION_HANDLER], scope=province, with_nodes=False) is None
    assert cube.plan(q(filter='node_type = "service"'), [], scope=province, with_nodes=True) is None
    assert cube.plan(q(filter="abnormal = true"), [], scope=province, with_nodes=False) is None
    assert cube.plan(q(start_date=from_date(date(2026, 9, 2))), [], scope=province, with_nodes=False) is None
    assert cube.plan(q(), [], scope=ScopeLevel.SCOPE_LEVEL_DEPARTMENT, with_nodes=False) is None
    assert cube.plan(q(start_date=from_date(date(2026, 9, 1)), end_date=from_date(date(2026, 9, 30))),
                     [D.DIMENSION_COURT], scope=province, with_nodes=False) is not None


def test_a_cube_that_drifted_from_the_read_model_is_named(factory):
    """VerifySupervision's last check: every cube row a court's leaders see equals the recount of
    the read model it is kept from (repository.cube_differences); a changed or lost row is named."""
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    with factory() as uow:
        assert repository.cube_differences(uow.session, "44", limit=100) == []
        uow.session.execute(CubeCaseRow.__table__.update()
                            .where(CubeCaseRow.court == "440101", CubeCaseRow.rollup == 1).values(cases=99))
        uow.session.execute(CubeNodeRow.__table__.delete().where(CubeNodeRow.court == "440102"))
        found = repository.cube_differences(uow.session, "44", limit=100)
        assert {(row.split()[0], column, kept) for row, column, kept, _ in found if column == "cases"} == \
            {("stats.cube_cases", "cases", 99)}
        assert any(row.startswith("stats.cube_nodes") and "court=440102" in row and kept == 0
                   for row, column, kept, _ in found)
        assert repository.cube_differences(uow.session, "440201", limit=100) == []   # another court: untouched
