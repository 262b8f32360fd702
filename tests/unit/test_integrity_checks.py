"""The pure checks of `courtflow verify` (issue 16) on the cases the end-to-end damage tests do not
reach: clocks that are stopped or restarted rightly must not be reported, and wrongly must be."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from courtflow.case.v1.case_pb2 import CaseType, Procedure
from courtflow.node.v1.node_pb2 import ApplicationKind as K, ApplicationState, NodeState

from services.common.integrity import joined
from services.node import deadlines
from services.node.catalog import load
from services.node.integrity import application_findings, expected_at_filing, timer_findings

CASE = uuid.UUID("01a24b61-7898-7230-9001-d73b75891ab0")
DUE = date(2026, 9, 2)
DECIDED = datetime(2026, 4, 1, 2, tzinfo=timezone.utc)


def node(**changes) -> dict:
    return {"id": uuid.uuid4(), "court": "440101", "case_id": CASE, "node_type": "trial_time_limit", "instance": 1,
            "state": NodeState.NODE_STATE_RUNNING, "withdrawn": False, "suspended_since": None,
            "suspension_application": None, "due_date": DUE, "warning_rungs": [15], "anchor_date": date(2026, 3, 2),
            "extensions": [], "exclusions": [], "change_count": 0, "locked": False, "lock_time": None,
            "unlock_application": None, **changes}


def armed(*rungs: int, due: date = DUE) -> list[dict]:
    return [{"rung": r, "fire_at": deadlines.fire_time(due, r), "fired_at": None} for r in rungs]


def app(kind: int, *, days: int = 0, end: date | None = None, state: int = ApplicationState.APPLICATION_STATE_APPROVED):
    return {"id": uuid.uuid4(), "court": "440101", "case_id": CASE, "node_type": "trial_time_limit", "kind": kind,
            "state": state, "decide_time": DECIDED + timedelta(days=days), "end_date": end}


def app_name(a: dict) -> str:
    return f"courts/440101/cases/{CASE}/nodes/trial_time_limit/applications/{a['id']}"


def test_a_running_clock_with_its_timers_is_clean_and_one_without_its_deadline_is_not():
    assert timer_findings(node(), armed(15, 0)) == []
    assert ["没有未触发的到期计时器" in f.problem for f in timer_findings(node(), armed(15))] == [True]


def test_a_suspended_or_completed_node_has_no_armed_timer():
    assert timer_findings(node(suspended_since=date(2026, 4, 1)), []) == []
    [suspended] = timer_findings(node(suspended_since=date(2026, 4, 1)), armed(0))
    assert "审限自 2026-04-01 起中止" in suspended.problem
    [done] = timer_findings(node(state=NodeState.NODE_STATE_COMPLETED), armed(0))
    assert "已完成" in done.problem


def test_an_overdue_node_arms_only_its_ladder():
    overdue = node(state=NodeState.NODE_STATE_OVERDUE)
    assert timer_findings(overdue, armed(-31)) == []
    assert ["到期计时器仍未触发" in f.problem for f in timer_findings(overdue, armed(0))] == [True]
    assert ["未超期，却已布置" in f.problem for f in timer_findings(node(), armed(0, -31))] == [True]


def test_an_extension_cleared_by_a_restarting_deduction_took_effect():
    extension = app(K.APPLICATION_KIND_EXTENSION)
    restart = app(K.APPLICATION_KIND_DEDUCTION, days=10, end=date(2026, 5, 1))
    # The restart counted the limit again from 1 May: spans and extensions before it are gone.
    assert application_findings(node(anchor_date=date(2026, 5, 1), change_count=2), [extension, restart]) == []
    # Without the restart the extension must be on the clock.
    [lost] = application_findings(node(change_count=1), [extension])
    assert lost.name == app_name(extension) and "未作用于节点" in lost.problem


def test_a_suspension_resumed_and_an_unlock_relocked_took_effect():
    suspension, resumption = app(K.APPLICATION_KIND_SUSPENSION), app(K.APPLICATION_KIND_RESUMPTION, days=5)
    resumed = node(change_count=1, exclusions=[{"start": "2026-04-01", "end": "2026-04-06", "reason": "中止至恢复",
                                                "application": app_name(suspension)}])
    assert application_findings(resumed, [suspension, resumption]) == []
    still = node(change_count=1, suspended_since=date(2026, 4, 1), suspension_application=app_name(suspension))
    assert [f.name for f in application_findings(still, [suspension, resumption])] == [app_name(resumption)]
    unlock = app(K.APPLICATION_KIND_UNLOCK)
    relocked = node(state=NodeState.NODE_STATE_OVERDUE, locked=True, lock_time=DECIDED + timedelta(days=30))
    assert application_findings(relocked, [unlock]) == []


def test_an_approval_beyond_authority_is_recorded_and_changes_nothing():
    # Found by bench/chaos.py: a second extension approved by the court's president (the higher
    # court's to approve) is recorded with LIMIT_NOT_EXTENDED and rightly leaves the limit as it was.
    first = app(K.APPLICATION_KIND_EXTENSION)
    second = {**app(K.APPLICATION_KIND_EXTENSION, days=3),
              "warnings": [{"code": "LIMIT_NOT_EXTENDED", "message": "超出审批权限的批准不延长法定期限"}]}
    extended = node(change_count=1, extensions=[{"period": "6m", "reason": "x", "application": app_name(first)}])
    assert application_findings(extended, [first, second]) == []
    # Cited by the clock all the same, it is a change without an approval that counts.
    both = {**extended, "extensions": [*extended["extensions"],
                                       {"period": "6m", "reason": "x", "application": app_name(second)}]}
    where = f"courts/440101/cases/{CASE}/nodes/trial_time_limit"
    assert [f.name for f in application_findings(both, [first, second])] == [where]


def test_a_pending_application_cited_by_the_clock_is_named():
    pending = app(K.APPLICATION_KIND_EXTENSION, state=ApplicationState.APPLICATION_STATE_PENDING)
    changed = node(change_count=1, extensions=[{"period": "6m", "reason": "x", "application": app_name(pending)}])
    problems = [f.problem for f in application_findings(changed, [pending])]
    assert any("审限变更 1 次" in p for p in problems) and any("未经批准" in p for p in problems)


def test_streams_are_walked_together_by_key():
    a, b, c = (uuid.UUID(int=i) for i in (1, 2, 3))
    walked = list(joined([(a, "case a"), (c, "case c")], [(b, "node b"), (c, "node c")]))
    assert walked == [(a, [(a, "case a"), None]), (b, [None, (b, "node b")]), (c, [(c, "case c"), (c, "node c")])]


def test_the_nodes_a_filing_must_have_follow_the_cases_kind_and_not_its_custody_since():
    """A foreign-related civil case has no trial limit to miss (民事诉讼法涉外编); a private
    prosecution's limit depends on custody at filing (刑事诉讼法第二百一十二条第二款), which may
    have changed since, and a running limit is not swapped: neither is required afterwards."""
    catalog = load()
    civil = dict(case_type=CaseType.CASE_TYPE_CIVIL, procedure=Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY)
    assert "trial_time_limit" in expected_at_filing(catalog, **civil)
    assert "trial_time_limit" not in expected_at_filing(catalog, **civil, foreign_related=True)
    criminal = dict(case_type=CaseType.CASE_TYPE_CRIMINAL, procedure=Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY)
    assert "trial_time_limit_criminal_first_instance" in expected_at_filing(catalog, **criminal)
    private = expected_at_filing(catalog, **criminal, private_prosecution=True)
    assert not {"trial_time_limit_criminal_first_instance", "trial_time_limit_criminal_private_prosecution"} & private


def test_the_recount_names_a_node_the_read_model_holds_as_not_withdrawn():
    """A node withdrawn while the read model did not yet keep `withdrawn` (rows before stats
    migration 0017) differs from the node service's in what the figures are made of: its status,
    whether it counts as ever locked, and the withdrawal itself."""
    from courtflow.node.v1.node_pb2 import Node, NodeLock
    from courtflow.stats.v1.supervision_pb2 import NodeStatus
    from services.common.dates import from_date
    from services.stats import integrity as stats_checks, projection

    node = Node(name=f"courts/440101/cases/{uuid.uuid4()}/nodes/trial_time_limit", state=NodeState.NODE_STATE_COMPLETED,
                due_date=from_date(date(2026, 10, 1)), completed_on=from_date(date(2026, 10, 5)),
                lock=NodeLock(locked=False, lock_date=from_date(date(2026, 10, 2)),
                              unlock_date=from_date(date(2026, 10, 5))))
    before = projection.node_row(node, at=None)          # as the read model kept it: overdue, unlocked
    node.withdrawn = True
    found = {field: (ours, theirs) for _, field, ours, theirs in stats_checks.node_differences(node.name, before, node)}
    assert found == {"status": (str(NodeStatus.NODE_STATUS_OVERDUE), str(NodeStatus.NODE_STATUS_NORMAL)),
                     "ever_locked": ("true", "false"), "withdrawn": ("false", "true")}
    assert stats_checks.node_differences(node.name, projection.node_row(node, at=None), node) == []
