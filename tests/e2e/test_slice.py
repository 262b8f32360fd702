"""The walking skeleton's vertical slice, end to end through the gateway, every component a
separate process: a court system files a case; the node service opens its nodes with legal
deadlines; the shared clock moves past the warning point and the deadline; the judge's inbox,
the SMS log, the statistics and the audit log show what a user would see."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import grpc
import pytest

from courtflow.alert.v1 import alert_pb2, alert_service_pb2 as als
from courtflow.audit.v1 import audit_pb2
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.node.v1 import node_pb2
from courtflow.stats.v1 import stats_service_pb2 as ss

from runtime.demo import create_request
from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from support import (AUDITOR, COURT, COURT_SYSTEM, DEPARTMENT, DIVISION_HEAD, JUDGE, OTHER_JUDGE, PRESIDENT,
                     eventually)

from .conftest import at, audit_records, messages, nodes_of, refused, seed, sms_lines

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 2, 10, 0, tzinfo=LEGAL_TZ)  # Monday


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("slice", clock=START)


def stats_cell(cf, stage: int):
    rows = cf.stats.ListNodeStatistics(ss.ListNodeStatisticsRequest(parent=f"courts/{COURT}"),
                                       metadata=cf.md(PRESIDENT)).node_statistics
    return next((r for r in rows if r.department == DEPARTMENT and r.stage == stage), None)


def test_case_to_reminder_through_every_service(cf):
    cf.set_clock(START)
    reply = cf.cases.CreateCase(create_request(seed("slice", 1, filed=date(2026, 3, 2))), metadata=cf.md(COURT_SYSTEM))
    case = reply.case
    assert case.name.startswith(f"courts/{COURT}/cases/")

    # Deadlines as the procedure law counts them: the filing day is not counted.
    nodes = eventually(lambda: len(nodes_of(cf, case.name)) == 2 and nodes_of(cf, case.name), what="nodes opened")
    trial, serve = nodes["trial_time_limit"], nodes["serve_complaint_copy"]
    assert (trial.due_date.year, trial.due_date.month, trial.due_date.day) == (2026, 9, 2)  # six months
    # Five days end on Saturday 2026-03-07, a rest day: the period ends on Monday 2026-03-09.
    assert (serve.due_date.year, serve.due_date.month, serve.due_date.day) == (2026, 3, 9)
    assert any("顺延" in line for line in serve.explanation)
    assert trial.calendar_known and serve.state == node_pb2.NODE_STATE_RUNNING
    assert trial.stage == node_pb2.STAGE_ADJUDICATION and serve.stage == node_pb2.STAGE_PRE_TRIAL

    # Past the warning point (two days before the due date): a warning, once.
    cf.set_clock(at(date(2026, 3, 7)))
    warned = eventually(lambda: [m for m in messages(cf) if m.node == serve.name], what="warning message")
    assert len(warned) == 1 and warned[0].kind == alert_pb2.REMINDER_KIND_WARNING
    assert warned[0].case == case.name and case.case_number in warned[0].body and "2026年03月09日" in warned[0].body
    assert nodes_of(cf, case.name)["serve_complaint_copy"].state == node_pb2.NODE_STATE_WARNING
    cell = eventually(lambda: stats_cell(cf, node_pb2.STAGE_PRE_TRIAL), what="stats cell")
    eventually(lambda: stats_cell(cf, node_pb2.STAGE_PRE_TRIAL).warning_count == 1, what="warning counted")
    sms = eventually(lambda: [s for s in sms_lines(cf) if "送达起诉状副本" in s["text"] and case.case_number in s["text"]],
                     what="warning SMS")
    assert len(sms) == 1 and sms[0]["mobile"]

    # Past the deadline: overdue, counted as overdue and no longer as warning.
    cf.set_clock(at(date(2026, 3, 10)))
    overdue = eventually(lambda: [m for m in messages(cf) if m.node == serve.name
                                  and m.kind == alert_pb2.REMINDER_KIND_OVERDUE], what="overdue message")
    assert "超期1天" in overdue[0].body
    eventually(lambda: (c := stats_cell(cf, node_pb2.STAGE_PRE_TRIAL)) and c.overdue_count == 1
               and c.warning_count == 0 and c.overdue_without_warning_count == 0, what="overdue counted")
    assert cell.open_count == 1

    # The trial limit: the 15-day rung, then overdue.
    cf.set_clock(at(date(2026, 8, 18)))
    eventually(lambda: nodes_of(cf, case.name)["trial_time_limit"].state == node_pb2.NODE_STATE_WARNING,
               what="trial limit warning")
    cf.set_clock(at(date(2026, 9, 3)))
    eventually(lambda: [m for m in messages(cf) if m.node == trial.name
                        and m.kind == alert_pb2.REMINDER_KIND_OVERDUE], what="trial limit overdue message")
    # The complaint copy, still not served, is 178 days overdue by now: past the ladder's 91st day
    # it is escalated once (the 31-day rung is superseded), and the judge is told so.
    escalated = eventually(lambda: [m for m in messages(cf) if m.node == serve.name
                                    and m.kind == alert_pb2.REMINDER_KIND_ESCALATION], what="escalation message")
    assert len(escalated) == 1 and "已报院长及上级法院" in escalated[0].body, escalated
    # Every (node, rung) reached the inbox exactly once: 3 + 2 rungs fired, one message each.
    mine = [m for m in messages(cf) if m.case == case.name]
    assert len(mine) == 5 and len({(m.node, m.kind, m.title) for m in mine}) == 5

    # The registration is in the audit log, with who did it and the result.
    def audited():
        records = audit_records(cf, f'resource = "{case.name}"')
        return [r for r in records if r.operation.action.endswith("CaseService/CreateCase")]
    record = eventually(audited, what="audit record")[0]
    assert record.operation.actor == f"users/{COURT_SYSTEM}"
    assert record.operation.result == audit_pb2.AUDIT_RESULT_SUCCEEDED
    assert record.operation.court == "44" and len(record.hash) == 64


def test_replayed_request_returns_the_same_case(cf):
    req = create_request(seed("slice", 2, filed=cf.today()))
    first = cf.cases.CreateCase(req, metadata=cf.md(COURT_SYSTEM)).case
    again = cf.cases.CreateCase(req, metadata=cf.md(COURT_SYSTEM)).case
    assert again.name == first.name
    listed = cf.cases.ListCases(cs.ListCasesRequest(parent=f"courts/{COURT}", filter=f'case_number = "{first.case_number}"'),
                                metadata=cf.md(PRESIDENT)).cases
    assert [c.name for c in listed] == [first.name]
    # The same request id with another body is refused, not answered with the first case (AIP-155).
    other = create_request(seed("slice", 2, filed=cf.today()))
    other.case.cause = "买卖合同纠纷"
    with pytest.raises(grpc.RpcError) as reused:
        cf.cases.CreateCase(other, metadata=cf.md(COURT_SYSTEM))
    assert reused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "request_id" in [f for f, _ in details_of(reused.value)[1]] and "请求编号" in reused.value.details()
    again = cf.cases.GetCase(cs.GetCaseRequest(name=first.name), metadata=cf.md(PRESIDENT)).case
    assert again.cause == first.cause != other.case.cause


@pytest.mark.parametrize("mutate, field", [
    (lambda r: r.case.ClearField("case_number"), "case.case_number"),
    (lambda r: setattr(r.case, "case_number", "2026民初1号"), "case.case_number"),
    (lambda r: r.case.ClearField("filing_date"), "case.filing_date"),
    (lambda r: setattr(r.case, "handler", "张法官"), "case.handler"),
    (lambda r: r.case.ClearField("parties"), "case.parties"),
    (lambda r: setattr(r.case, "case_type", 0), "case.case_type"),
    (lambda r: setattr(r, "request_id", ""), "request_id"),
    (lambda r: setattr(r.case, "department", "courts/440102/departments/440102-civil1"), "case.department"),
    (lambda r: setattr(r.case.filing_date, "year", 2099), "case.filing_date"),
])
def test_bad_registration_names_the_field_and_stores_nothing(cf, mutate, field):
    req = create_request(seed("slice", 900 + len(field), filed=cf.today()))
    req.request_id = f"bad-{field}-{id(mutate)}"
    mutate(req)
    with pytest.raises(grpc.RpcError) as caught:
        cf.cases.CreateCase(req, metadata=cf.md(COURT_SYSTEM))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    reason, violations = details_of(caught.value)
    assert field in [v[0] for v in violations], violations
    assert field in caught.value.details()
    # Nothing stored: no case under that request or number, in any court in scope.
    number = req.case.case_number or "none"
    listed = cf.cases.ListCases(cs.ListCasesRequest(parent="courts/-", filter=f'case_number = "{number}"'),
                                metadata=cf.md(COURT_SYSTEM)).cases
    assert listed == []


def test_each_user_sees_only_what_their_scope_allows(cf):
    case = cf.cases.CreateCase(create_request(seed("slice", 3, filed=cf.today())), metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: nodes_of(cf, case.name), what="nodes")
    assert nodes_of(cf, case.name, OTHER_JUDGE) == {}
    assert len(nodes_of(cf, case.name, DIVISION_HEAD)) == 2
    with pytest.raises(grpc.RpcError) as caught:
        cf.alerts.ListMessages(als.ListMessagesRequest(parent=f"users/{JUDGE}"), metadata=cf.md(OTHER_JUDGE))
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:
        cf.cases.CreateCase(create_request(seed("slice", 4, filed=cf.today())), metadata=cf.md(JUDGE))
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:
        cf.cases.CreateCase(create_request(seed("slice", 5, filed=cf.today())), metadata=[("authorization", "Bearer nope")])
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_case_event_completes_its_node_and_stops_its_reminders(cf):
    today = cf.today()
    before = stats_cell(cf, node_pb2.STAGE_PRE_TRIAL)
    open_before = before.open_count if before else 0
    case = cf.cases.CreateCase(create_request(seed("slice", 6, filed=today)), metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: len(nodes_of(cf, case.name)) == 2, what="nodes opened")
    eventually(lambda: stats_cell(cf, node_pb2.STAGE_PRE_TRIAL).open_count == open_before + 1, what="counted open")

    served = cs.RecordCaseEventRequest(parent=case.name, request_id="served-6", case_event=case_pb2.CaseEvent(
        event_type=case_pb2.CASE_EVENT_TYPE_DOCUMENT_SERVED, document="complaint_copy", detail="邮寄送达被告"))
    served.case_event.occur_date.year, served.case_event.occur_date.month, served.case_event.occur_date.day = (
        today.year, today.month, today.day)
    event = cf.cases.RecordCaseEvent(served, metadata=cf.md(COURT_SYSTEM)).case_event
    assert event.name.startswith(f"{case.name}/events/") and event.recorder == f"users/{COURT_SYSTEM}"
    assert cf.cases.RecordCaseEvent(served, metadata=cf.md(COURT_SYSTEM)).case_event.name == event.name  # replay
    changed = cs.RecordCaseEventRequest()
    changed.CopyFrom(served)
    changed.case_event.detail = "直接送达被告"
    with pytest.raises(grpc.RpcError) as reused:  # the same id, another event: refused (AIP-155)
        cf.cases.RecordCaseEvent(changed, metadata=cf.md(COURT_SYSTEM))
    assert reused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "请求编号" in reused.value.details()

    eventually(lambda: nodes_of(cf, case.name)["serve_complaint_copy"].state == node_pb2.NODE_STATE_COMPLETED,
               what="complaint service completed")
    assert nodes_of(cf, case.name)["trial_time_limit"].state == node_pb2.NODE_STATE_RUNNING
    eventually(lambda: stats_cell(cf, node_pb2.STAGE_PRE_TRIAL).open_count == open_before, what="no longer open")
    # Its due date passes: no reminder for a node that is done. A case filed the same day whose
    # complaint was not served is the positive signal that the sweep got past that date.
    sentinel = cf.cases.CreateCase(create_request(seed("slice", 61, filed=today)), metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: len(nodes_of(cf, sentinel.name)) == 2, what="the sentinel's nodes opened")
    cf.set_clock(at(today + timedelta(days=12)))
    eventually(lambda: [m for m in messages(cf) if m.node == f"{sentinel.name}/nodes/serve_complaint_copy"
                        and m.kind == alert_pb2.REMINDER_KIND_OVERDUE], what="the sentinel's overdue reminder")
    assert not [m for m in messages(cf) if m.node == f"{case.name}/nodes/serve_complaint_copy"]
    assert nodes_of(cf, case.name)["serve_complaint_copy"].state == node_pb2.NODE_STATE_COMPLETED


@pytest.mark.parametrize("mutate, field", [
    (lambda e, today: setattr(e.occur_date, "year", today.year + 1), "case_event.occur_date"),
    (lambda e, today: setattr(e, "document", ""), "case_event.document"),
    (lambda e, today: setattr(e, "event_type", 0), "case_event.event_type"),
    (lambda e, today: setattr(e, "document", "起诉状"), "case_event.document"),
])
def test_bad_case_event_names_the_field(cf, mutate, field):
    today = cf.today()
    case = cf.cases.CreateCase(create_request(seed("slice", 7, filed=today)), metadata=cf.md(COURT_SYSTEM)).case
    # The node service opens the case's nodes a moment after the filing (CI once looked too soon).
    eventually(lambda: "serve_complaint_copy" in nodes_of(cf, case.name), what="the case's nodes opened")
    req = cs.RecordCaseEventRequest(parent=case.name, request_id=f"bad-event-{field}-{id(mutate)}",
                                    case_event=case_pb2.CaseEvent(event_type=case_pb2.CASE_EVENT_TYPE_DOCUMENT_SERVED,
                                                                  document="complaint_copy"))
    req.case_event.occur_date.year, req.case_event.occur_date.month, req.case_event.occur_date.day = (
        today.year, today.month, today.day)
    mutate(req.case_event, today)
    with pytest.raises(grpc.RpcError) as caught:
        cf.cases.RecordCaseEvent(req, metadata=cf.md(COURT_SYSTEM))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in [f for f, _ in details_of(caught.value)[1]]
    # Refused in the same transaction that would have recorded it (validation comes first), so no
    # event exists that could complete the node later: no wait is needed before looking.
    assert nodes_of(cf, case.name)["serve_complaint_copy"].state != node_pb2.NODE_STATE_COMPLETED


def test_pronouncement_ends_the_trial_limit_and_opens_judgment_service(cf):
    today = cf.today()
    case = cf.cases.CreateCase(create_request(seed("slice", 8, filed=today)), metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: len(nodes_of(cf, case.name)) == 2, what="nodes opened by filing")
    pronounced = cs.RecordCaseEventRequest(parent=case.name, request_id="pronounced-8", case_event=case_pb2.CaseEvent(
        event_type=case_pb2.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, detail="当庭宣判"))
    pronounced.case_event.occur_date.year, pronounced.case_event.occur_date.month = today.year, today.month
    pronounced.case_event.occur_date.day = today.day
    cf.cases.RecordCaseEvent(pronounced, metadata=cf.md(COURT_SYSTEM))
    nodes = eventually(lambda: (n := nodes_of(cf, case.name)) and "serve_judgment" in n and n,
                       what="judgment service node")
    assert nodes["trial_time_limit"].state == node_pb2.NODE_STATE_COMPLETED
    serve = nodes["serve_judgment"]
    assert serve.stage == node_pb2.STAGE_POST_JUDGMENT and serve.state == node_pb2.NODE_STATE_RUNNING
    assert (serve.anchor_date.year, serve.anchor_date.month, serve.anchor_date.day) == (today.year, today.month,
                                                                                         today.day)
    due = date(serve.due_date.year, serve.due_date.month, serve.due_date.day)
    assert today + timedelta(days=10) <= due <= today + timedelta(days=20)  # ten days, rolled past rest days


def test_a_request_id_belongs_to_one_case_event(cf):
    today = cf.today()
    first = cf.cases.CreateCase(create_request(seed("slice", 9, filed=today)), metadata=cf.md(COURT_SYSTEM)).case
    other = cf.cases.CreateCase(create_request(seed("slice", 10, filed=today)), metadata=cf.md(COURT_SYSTEM)).case
    req = cs.RecordCaseEventRequest(parent=first.name, request_id="heard-9", case_event=case_pb2.CaseEvent(
        event_type=case_pb2.CASE_EVENT_TYPE_HEARING_HELD))
    req.case_event.occur_date.year, req.case_event.occur_date.month, req.case_event.occur_date.day = (
        today.year, today.month, today.day)
    cf.cases.RecordCaseEvent(req, metadata=cf.md(COURT_SYSTEM))
    req.parent = other.name
    with pytest.raises(grpc.RpcError) as caught:
        cf.cases.RecordCaseEvent(req, metadata=cf.md(COURT_SYSTEM))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "request_id" in [f for f, _ in details_of(caught.value)[1]]


def test_a_case_follows_its_life_and_its_trial_ends_when_it_is_closed(cf):
    """宣判、结案、生效、归档 are kept on the case with the state they give it; once closed, a hearing
    can no longer be scheduled, while what follows closing is accepted (issue 18, item 0: the
    case read FILED for ever)."""
    today = cf.today()
    case = cf.cases.CreateCase(create_request(seed("slice", 11, filed=today)), metadata=cf.md(COURT_SYSTEM)).case

    def record(event: str, n: int, document: str = "", hearing: date | None = None) -> None:
        req = cs.RecordCaseEventRequest(parent=case.name, request_id=f"life-11-{n}", case_event=case_pb2.CaseEvent(
            event_type=case_pb2.CaseEventType.Value(f"CASE_EVENT_TYPE_{event}"), document=document))
        for target, d in ((req.case_event.occur_date, today), (req.case_event.hearing_date, hearing)):
            if d is not None:
                target.year, target.month, target.day = d.year, d.month, d.day
        cf.cases.RecordCaseEvent(req, metadata=cf.md(COURT_SYSTEM))

    def read() -> dict:
        return cf.http("GET", f"/v1/{case.name}", user=JUDGE).json()["case"]

    with pytest.raises(grpc.RpcError) as early:
        record("ARCHIVED", 0)
    assert details_of(early.value)[0] == "CASE_NOT_CLOSED"
    record("JUDGMENT_PRONOUNCED", 1)
    record("CLOSED", 2)
    closed = read()
    day = {"year": today.year, "month": today.month, "day": today.day}
    assert closed["state"] == "CASE_STATE_CLOSED" and closed["closeDate"] == day and closed["judgmentDate"] == day
    with pytest.raises(grpc.RpcError) as late:
        record("HEARING_SCHEDULED", 3, hearing=today + timedelta(days=20))
    assert late.value.code() == grpc.StatusCode.FAILED_PRECONDITION and details_of(late.value)[0] == "CASE_CLOSED"
    assert "已结案" in late.value.details()
    record("DOCUMENT_SERVED", 4, "judgment")   # serving the judgment belongs after closing
    record("EFFECTIVE", 5)
    record("ARCHIVED", 6)
    archived = read()
    assert archived["state"] == "CASE_STATE_ARCHIVED" and archived["archiveDate"] == day
    assert archived["effectiveDate"] == day and archived["closeDate"] == day


def test_a_reassigned_case_takes_its_nodes_reminders_scope_and_counts_with_it(cf):
    """UpdateCase (issue 18): the new judge holds the open nodes, gets the next reminder, sees the
    case and the old judge no longer does; a transfer moves the counters to the new division; a
    stale etag, a handler of another court and a reused request id change nothing; the audit log
    keeps old and new values with the reason."""
    from google.protobuf.field_mask_pb2 import FieldMask

    cf.set_clock(at(date(2026, 3, 9)))   # Monday
    new_judge, other_division = "judge.440101.civil1.2", "courts/440101/departments/440101-civil2"
    case = cf.cases.CreateCase(create_request(seed("slice", 12, filed=cf.today())), metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: len(nodes_of(cf, case.name)) == 2, what="nodes opened by filing")
    serve = f"{case.name}/nodes/serve_complaint_copy"

    def update(request_id: str, etag: str = "", reason=case_pb2.CASE_CHANGE_REASON_REASSIGNMENT, **fields):
        return cf.cases.UpdateCase(cs.UpdateCaseRequest(
            case=case_pb2.Case(name=case.name, etag=etag, **fields), update_mask=FieldMask(paths=list(fields)),
            reason=reason, request_id=request_id), metadata=cf.md(COURT_SYSTEM)).case

    stale = refused(lambda: update("move-12-stale", etag="0" * 20, handler=f"users/{new_judge}"))
    assert stale.code() == grpc.StatusCode.ABORTED and details_of(stale)[0] == "ETAG_MISMATCH"
    outsider = refused(lambda: update("move-12-out", handler="users/judge.440102.civil1.1"))
    assert outsider.code() == grpc.StatusCode.INVALID_ARGUMENT and "case.handler" in outsider.details()
    moved = update("move-12", etag=case.etag, handler=f"users/{new_judge}")
    assert moved.handler == f"users/{new_judge}" and moved.etag != case.etag
    assert update("move-12", etag=case.etag, handler=f"users/{new_judge}").etag == moved.etag   # a replay

    # The open nodes follow at once; scope with them.
    eventually(lambda: nodes_of(cf, case.name, COURT_SYSTEM)["serve_complaint_copy"].responsible == f"users/{new_judge}",
               what="the nodes with the new judge")
    assert set(nodes_of(cf, case.name, new_judge)) == {"serve_complaint_copy", "trial_time_limit"}
    # The new judge is told once, with the two nodes received; the old judge is told nothing.
    told = eventually(lambda: [m for m in messages(cf, new_judge) if m.case == case.name
                               and m.kind == alert_pb2.REMINDER_KIND_CASE_ASSIGNED], what="the new judge told")
    assert len(told) == 1 and "转由您承办" in told[0].body and "随案转交未完成节点2个" in told[0].body, told
    assert "审理期限" in told[0].body
    assert cf.cases.GetCase(cs.GetCaseRequest(name=case.name), metadata=cf.md(new_judge)).case.name == case.name
    gone = refused(lambda: cf.cases.GetCase(cs.GetCaseRequest(name=case.name), metadata=cf.md(JUDGE)))
    assert gone.code() == grpc.StatusCode.PERMISSION_DENIED

    # The next rung's reminder (due Sat 03-14 → Mon 03-16; 2 days before: 03-14) reaches the new
    # judge, not the old.
    cf.set_clock(at(date(2026, 3, 14)))
    eventually(lambda: [m for m in messages(cf, new_judge) if m.node == serve], what="the new judge reminded")
    assert [m for m in messages(cf, JUDGE) if m.node == serve or m.case == case.name] == []

    # A transfer to another division moves the case's open nodes in the counters.
    def open_in(department: str) -> int:
        rows = cf.stats.ListNodeStatistics(ss.ListNodeStatisticsRequest(parent=f"courts/{COURT}"),
                                           metadata=cf.md(PRESIDENT)).node_statistics
        return sum(r.open_count for r in rows if r.department == department)
    here, there = open_in(DEPARTMENT), open_in(other_division)
    update("move-12-division", reason=case_pb2.CASE_CHANGE_REASON_TRANSFER, department=other_division,
           handler=f"users/{OTHER_JUDGE}")
    eventually(lambda: (open_in(DEPARTMENT), open_in(other_division)) == (here - 2, there + 2),
               what="two open nodes counted in the new division")
    assert nodes_of(cf, case.name, OTHER_JUDGE)["trial_time_limit"].responsible == f"users/{OTHER_JUDGE}"

    # The audit log says what changed, from what to what, and why.
    def audited():
        records = audit_records(cf, f'resource = "{case.name}"')
        return [r.operation.detail for r in records if r.operation.action.endswith("CaseService/UpdateCase")]
    details = eventually(lambda: len(audited()) == 2 and audited(), what="both changes audited")
    assert f"承办人：users/{JUDGE} → users/{new_judge}；原因：工作调整；生效日期：2026-03-09" in details
    assert any(f"承办部门：{DEPARTMENT} → {other_division}" in d and "原因：移交" in d for d in details)


def test_a_case_team_is_of_its_court_and_department(cf):
    """The judge assistant, clerk and panel beside the handler (issue 18 and 19): kept on the case,
    checked like the handler at registration and on change, and audited when changed."""
    from google.protobuf.field_mask_pb2 import FieldMask

    request = create_request(seed("slice", 13, filed=cf.today()))
    for bad, field in ((dict(assistant="users/clerk.440101.civil1.1"), "case.assistant"),
                       (dict(clerk="users/clerk.440101.civil2.1"), "case.clerk"),
                       (dict(panel=[f"users/{AUDITOR}"]), "case.panel[0]"),
                       (dict(panel=["users/judge.440102.civil1.1"]), "case.panel[0]")):
        wrong = cs.CreateCaseRequest()
        wrong.CopyFrom(request)
        wrong.request_id = f"team-13-{field}".replace("[", "-").replace("]", "")
        for key, value in bad.items():
            if key == "panel":
                wrong.case.panel.extend(value)
            else:
                setattr(wrong.case, key, value)
        with pytest.raises(grpc.RpcError) as refused:
            cf.cases.CreateCase(wrong, metadata=cf.md(COURT_SYSTEM))
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field in refused.value.details(), field
    request.case.assistant, request.case.clerk = "users/assistant.440101.civil1.1", "users/clerk.440101.civil1.1"
    request.case.panel.extend([f"users/{JUDGE}", "users/judge.440101.civil1.2", f"users/{DIVISION_HEAD}"])
    case = cf.cases.CreateCase(request, metadata=cf.md(COURT_SYSTEM)).case
    assert (case.assistant, case.clerk, len(case.panel)) == ("users/assistant.440101.civil1.1",
                                                             "users/clerk.440101.civil1.1", 3)
    changed = cf.cases.UpdateCase(cs.UpdateCaseRequest(
        case=case_pb2.Case(name=case.name, clerk="users/clerk.440101.civil1.2"), update_mask=FieldMask(paths=["clerk"]),
        reason=case_pb2.CASE_CHANGE_REASON_REASSIGNMENT, request_id="team-13-clerk"), metadata=cf.md(COURT_SYSTEM)).case
    assert changed.clerk == "users/clerk.440101.civil1.2" and list(changed.panel) == list(case.panel)

    def audited():
        records = audit_records(cf, f'resource = "{case.name}"')
        return [r.operation.detail for r in records if r.operation.action.endswith("CaseService/UpdateCase")]
    assert "书记员：users/clerk.440101.civil1.1 → users/clerk.440101.civil1.2" in eventually(audited, what="audited")[0]
