"""The demo province's case history (runtime/history.py): a pure plan, checked against the
catalogue and against the rules the case and node services enforce, without any server.

The plan predicts no node states (the start command asks the node service what it made of the
events); `nodes_of` below follows a case's nodes through its events to check the plan with."""
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

import pytest
from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure

from runtime.demo import event_request
from runtime.history import ANSWER_PERIOD, EVIDENCE_PERIOD, plan_history
from runtime.synthetic import generate_province
from services.node import catalog as node_catalog
from services.node.calendar import HolidayCalendar
from services.node.catalog import NodeRule
from services.node.deadlines import fire_time, legal_date, opening_anchor
from services.node.hearing import HearingFacts, HearingRules, check_hearing
from services.node.periods import compute_deadline
from services.node.service import COMPLETES_EVERY_INSTANCE

TODAY = date(2026, 11, 27)
CALENDAR = HolidayCalendar.builtin()
DOCUMENT = r"^[a-z][a-z0-9_]{0,62}$"


@pytest.fixture(scope="module")
def catalog():
    return node_catalog.load()


@pytest.fixture(scope="module")
def demo(catalog):
    """What `python -m runtime start` loads: seed 1, 300 cases filed over the 8 months to today."""
    province = generate_province(seed=1, reference_date=TODAY)
    return province, plan_history(province.cases, seed=1, today=TODAY, catalog=catalog)


@pytest.fixture(scope="module")
def finished(catalog):
    """Many cases filed long enough ago that every history has run to its end."""
    province = generate_province(seed=5, reference_date=date(2025, 6, 30), cases=1500)
    return province, plan_history(province.cases, seed=5, today=date(2026, 12, 31), catalog=catalog)


def by_case(history):
    out = defaultdict(list)
    for e in history.events:
        out[e.case.request_id].append(e)
    return out


@dataclass
class Node:
    rule: NodeRule
    due: date
    opened: date                  # record day of the event that opened it
    wave: int                     # that event's wave (the filing: 0)
    completed_by: object = None   # the PlannedEvent that completed it

    @property
    def completed(self) -> date | None:
        return self.completed_by.record_date if self.completed_by else None


def nodes_of(case, events, catalog) -> list[Node]:
    """The case's nodes as the node service opens and completes them for these events: the
    catalogue's triggers and anchors, compute_deadline, and of a repeating node the oldest open
    instance (every instance on CLOSED), in opening order."""
    ct = CaseType.Value(f"CASE_TYPE_{case.case_type.upper()}")
    pr = Procedure.Value(f"PROCEDURE_{case.procedure.upper()}")
    rules = [r for r in catalog.rules if r.applies(ct, pr)]
    nodes: list[Node] = []
    anchors: dict[str, date] = {}

    def open_for(trigger, on: date, recorded: date, wave: int) -> None:
        have = {n.rule.code for n in nodes}
        for r in rules:
            if r.opens_on(trigger) and (r.code not in have or r.repeats):
                anchor = anchors[r.code] = opening_anchor(r, event_date=on, filing_date=case.filing_date,
                                                          calendar=CALENDAR, anchors=anchors)
                due = compute_deadline(start=anchor, period=r.period, calendar=CALENDAR,
                                       custody=case.custody and r.custody_term, rollover=r.rollover).due
                nodes.append(Node(r, due, recorded, wave))

    open_for((CaseEventType.CASE_EVENT_TYPE_FILED, ""), case.filing_date, case.filing_date, 0)
    for e in sorted(events, key=lambda e: e.seq):
        trigger, once = (e.event_type, e.document), set()
        for n in nodes:
            if n.completed_by is None and n.rule.completed_by_event(trigger):
                if n.rule.repeats and e.event_type not in COMPLETES_EVERY_INSTANCE:
                    if n.rule.code in once:
                        continue
                    once.add(n.rule.code)
                n.completed_by = e
        open_for(trigger, e.occur_date, e.record_date, e.wave)
    return nodes


def all_nodes(province, history, catalog) -> dict[str, list[Node]]:
    events = by_case(history)
    return {c.request_id: nodes_of(c, events[c.request_id], catalog) for c in province.cases}


def test_same_arguments_give_the_same_plan_and_another_seed_another(catalog, demo):
    province, history = demo
    again = plan_history(province.cases, seed=1, today=TODAY, catalog=catalog)
    assert again.events == history.events and again.locked == history.locked
    other = plan_history(province.cases, seed=2, today=TODAY, catalog=catalog)
    assert other.events != history.events


def test_plan_does_not_depend_on_the_process_hash_seed():
    code = ("from datetime import date; from runtime.synthetic import generate_province; "
            "from runtime.history import plan_history; from services.node.catalog import load; "
            "p = generate_province(seed=3, reference_date=date(2026, 6, 30), cases=40); "
            "print(repr(plan_history(p.cases, seed=3, today=date(2026, 6, 30), catalog=load()).events))")
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                              env={**os.environ, "PYTHONHASHSEED": str(h)}).stdout for h in (1, 2)}
    assert len(outputs) == 1 and outputs.pop().startswith("(PlannedEvent(")


def test_events_are_in_push_order_and_each_case_in_date_order(demo):
    province, history = demo
    order = {c.request_id: i for i, c in enumerate(province.cases)}
    keys = [(e.record_date, order[e.case.request_id], e.seq) for e in history.events]
    assert keys == sorted(keys)
    assert len({e.request_id for e in history.events}) == len(history.events)
    for events in by_case(history).values():
        events.sort(key=lambda e: e.seq)
        assert [e.seq for e in events] == list(range(len(events)))
        for before, after in pairwise(events):
            assert before.occur_date <= after.occur_date and before.record_date <= after.record_date
            if before.record_date == after.record_date:
                assert before.wave <= after.wave


def test_dates_between_filing_and_today_and_reported_on_or_after_the_event(demo):
    _, history = demo
    for e in history.events:
        assert e.case.filing_date <= e.occur_date <= e.record_date <= TODAY
        assert CALENDAR.is_working_day(e.occur_date), e
        if e.record_date == e.case.filing_date:
            assert e.wave >= 1  # the case is registered in wave 0 of its filing day


def test_event_fields_are_what_the_case_service_accepts(demo, catalog):
    _, history = demo
    documents = {doc for rule in catalog.rules for _, doc in rule.completed_by | {rule.opened_by} if doc}
    for e in history.events:
        assert e.event != "FILED"  # filing comes through CreateCase
        CaseEventType.Value(f"CASE_EVENT_TYPE_{e.event}")
        if e.event == "DOCUMENT_SERVED":
            assert e.document in documents and re.match(DOCUMENT, e.document)
        else:
            assert e.document == ""
        assert (e.hearing_date is not None) == (e.event == "HEARING_SCHEDULED")
        req = event_request(e, "courts/440101/cases/00000000-0000-0000-0000-000000000000")
        assert req.request_id == e.request_id and len(req.request_id) <= 64
        assert req.case_event.HasField("hearing_date") == (e.hearing_date is not None)
        assert (req.case_event.occur_date.year, req.case_event.occur_date.month, req.case_event.occur_date.day) == (
            e.occur_date.year, e.occur_date.month, e.occur_date.day)


@pytest.mark.parametrize("which", ["demo", "finished"])
def test_no_event_of_the_trial_follows_the_closing(which, request):
    """The case service refuses the trial's events once a case is closed (lifecycle.py): the plan
    sends none (it sent 35 in the demo, each refused as CASE_CLOSED)."""
    from types import SimpleNamespace

    from courtflow.case.v1.case_pb2 import CaseState
    from services.case.lifecycle import check_allowed

    _, history = request.getfixturevalue(which)
    closed: set[str] = set()
    for e in history.events:
        if e.case.request_id in closed:
            check_allowed(SimpleNamespace(state=CaseState.CASE_STATE_CLOSED, close_date=None, archive_date=None),
                          CaseEventType.Value(f"CASE_EVENT_TYPE_{e.event}"), e.document)
        if e.event == "CLOSED":
            closed.add(e.case.request_id)
    assert closed


@pytest.mark.parametrize("which", ["demo", "finished"])
def test_hearing_dates_keep_the_scheduling_rules(which, request, catalog):
    """Every HEARING_SCHEDULED passes the node service's own check (services/node/hearing.py) on the
    facts it will have when the event is recorded: the services and hearings recorded before, the
    trial time limit, and the record day as today."""
    province, history = request.getfixturevalue(which)
    nodes = all_nodes(province, history, catalog)
    scheduled = 0
    for rid, events in by_case(history).items():
        served: dict[str, date] = {}
        hearings: list[date] = []
        limit = min((n.due for n in nodes[rid] if n.rule.code.startswith("trial_time_limit")), default=None)
        for e in sorted(events, key=lambda e: e.seq):
            if e.event == "HEARING_SCHEDULED":
                scheduled += 1
                facts = HearingFacts(
                    proposed=e.hearing_date, today=e.record_date,
                    answer_period_end=compute_deadline(start=served["complaint_copy"], period=ANSWER_PERIOD,
                                                       calendar=CALENDAR).due if "complaint_copy" in served else None,
                    evidence_period_end=compute_deadline(start=served["evidence_notice"], period=EVIDENCE_PERIOD,
                                                         calendar=CALENDAR).due if "evidence_notice" in served else None,
                    notice_served=None, time_limit_end=limit, other_hearings=tuple(hearings))
                assert check_hearing(facts, HearingRules(), CALENDAR) == [], (e, facts)
                assert e.hearing_date >= e.record_date + timedelta(days=3)
                assert all(abs((e.hearing_date - h).days) >= 7 for h in hearings)
                hearings.append(e.hearing_date)
            elif e.event == "HEARING_HELD":
                assert e.occur_date in hearings  # held on the day it was scheduled for
            elif e.event == "DOCUMENT_SERVED":
                served[e.document] = e.occur_date
    assert scheduled > 0.5 * len(by_case(history))


def test_events_complete_every_node_of_finished_cases(finished, catalog):
    """Run to their end, the histories complete every node that filing and the events opened
    (nodes of the case's kind only), except in cases an overdue time limit locked."""
    province, history = finished
    kinds = Counter((c.case_type, c.procedure) for c in province.cases)
    assert len(kinds) == 4
    nodes = all_nodes(province, history, catalog)
    open_nodes = [(c.case_number, n.rule.code) for c in province.cases if c.request_id not in history.locked
                  for n in nodes[c.request_id] if n.completed is None]
    assert open_nodes == []
    # every case went through the stages the catalogue monitors
    events = by_case(history)
    for case in province.cases:
        if case.request_id in history.locked:
            continue
        names = {e.event for e in events[case.request_id]}
        assert {"ASSIGNED", "DOCUMENT_SERVED", "CLOSED", "ARCHIVED"} <= names, case
        assert names & {"JUDGMENT_PRONOUNCED", "MEDIATION_CONCLUDED", "RULING_ISSUED"}, case
    ended = Counter(next(n for n in ("JUDGMENT_PRONOUNCED", "MEDIATION_CONCLUDED", "RULING_ISSUED")
                         if n in {e.event for e in events[c.request_id]})
                    for c in province.cases if c.request_id not in history.locked)
    assert ended["JUDGMENT_PRONOUNCED"] > ended["MEDIATION_CONCLUDED"] > 0 and ended["RULING_ISSUED"] > 0


def test_a_locked_case_has_no_events_from_its_lock_day(finished, demo, catalog):
    """A case stops where a node with the lock action ran out before its event came: from the day
    after its due date, the node service locks the case and the case service refuses its events."""
    for province, history in (finished, demo):
        assert history.locked
        events = by_case(history)
        cases = {c.request_id: c for c in province.cases}
        for rid, (code, lock_day) in history.locked.items():
            node = next(n for n in nodes_of(cases[rid], events[rid], catalog) if n.rule.code == code)
            assert node.rule.overdue_action == "lock" and node.completed is None
            assert lock_day == node.due + timedelta(days=1)
            assert all(e.record_date < lock_day for e in events[rid])


def test_an_earlier_today_gives_a_prefix_of_the_same_history(catalog, demo):
    province, history = demo
    earlier = date(2026, 9, 15)
    before = plan_history(province.cases, seed=1, today=earlier, catalog=catalog)
    assert before.events == tuple(e for e in history.events if e.record_date <= earlier)


def state_at(node: Node, today: date) -> str:
    """As the node service shows it at `today`: a warning or the deadline fires at 00:00 of its
    day (services/node/deadlines.py), and a node opened after its due date gets no warning."""
    if node.completed is not None:
        return "completed_late" if node.completed > node.due else "completed"
    rungs = node.rule.warning_rungs
    warned = bool(rungs) and legal_date(fire_time(node.due, max(rungs))) <= today and node.opened <= node.due
    if today > node.due:
        return "overdue" if warned else "overdue_without_warning"
    return "warning" if warned else "running"


def test_the_demo_shows_a_realistic_mix(demo, catalog):
    """Pushed as planned, the events leave most nodes completed on time, some running and in
    warning, a few overdue (some without a warning first) and a handful of locked cases."""
    province, history = demo
    nodes = all_nodes(province, history, catalog)
    s = Counter(state_at(n, TODAY) for case_nodes in nodes.values() for n in case_nodes)
    total = sum(s.values())
    assert s["completed"] > 0.85 * total
    assert 0.01 * total < s["running"] < 0.1 * total
    assert s["warning"] >= 3
    assert 3 <= s["overdue"] + s["overdue_without_warning"] < 0.01 * total
    assert s["overdue_without_warning"] >= 1
    assert 1 <= len(history.locked) <= 15
    assert 20 < len(history.events) / len(province.cases) < 35
    kinds = {(c.case_type, state_at(n, TODAY)) for c in province.cases for n in nodes[c.request_id]}
    assert {("civil", "running"), ("criminal", "completed"), ("administrative", "completed")} <= kinds


def test_plan_is_fast_enough_for_the_start_command(catalog):
    import time

    province = generate_province(seed=1, reference_date=TODAY)
    started = time.perf_counter()
    plan_history(province.cases, seed=1, today=TODAY, catalog=catalog)
    assert time.perf_counter() - started < 5.0


def test_an_event_completing_a_node_opened_the_same_day_comes_in_a_later_wave(demo, catalog):
    """The loader waits for the node service between waves: a node opened by an event (or by the
    filing, wave 0) of a day must exist before the event that completes it the same day arrives."""
    province, history = demo
    checked = 0
    for case, nodes in zip(province.cases, all_nodes(province, history, catalog).values()):
        for n in nodes:
            e = n.completed_by
            if e is not None and n.opened == e.record_date:
                assert e.wave > n.wave, (case.case_number, e, n.rule.code)
                checked += 1
    assert checked > len(province.cases)  # at least the filing-day assignments
