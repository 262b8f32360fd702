"""A case's team and a revoked closing, end to end through the gateway (issue 18).

- The judge assistant, clerk and panel members on a case see it and its nodes within their own
  scope, and the nodes the catalogue gives the clerk are the case's clerk's: their reminders reach
  the clerk. A change of clerk (UpdateCase) moves both, as a change of handler does.
- A wrongly recorded closing is undone only by RevokeCaseClosing, for the trial management office
  or the court's leaders: the case is FILED again without its closing date, the nodes the closing
  completed run again on their old clocks (the one whose deadline passed meanwhile becomes
  overdue), a hearing can be scheduled again, the statistics no longer count it closed, and the
  audit log keeps old and new values with the reason.

This module's catalogue gives the complaint copy's service (送达起诉状副本) to the clerk, and opens
the judgment's service (判决书送达) on closing, standing for the nodes a closing opens (归档).
"""
from __future__ import annotations

from datetime import date, datetime

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from courtflow.alert.v1 import alert_pb2
from courtflow.audit.v1 import audit_pb2
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns
from courtflow.stats.v1 import stats_service_pb2 as ss, supervision_pb2 as sv

from runtime.demo import create_request
from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from services.common.names import CaseName
from support import COURT, COURT_SYSTEM, DIVISION_HEAD, JUDGE, PRESIDENT, eventually

from .conftest import at, audit_records, messages, nodes_of, pb, record, refused, seed, ymd

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)   # Monday
ASSISTANT, CLERK, OTHER_CLERK = "assistant.440101.civil1.1", "clerk.440101.civil1.1", "clerk.440101.civil1.2"
PANEL_JUDGE = "judge.440101.civil1.2"
TRIAL_MANAGEMENT = f"trial_management.{COURT}"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("case-team", clock=START,
                        node_changes={"serve_complaint_copy": {"responsible_role": "clerk"},
                                      "serve_judgment": {"opened_by": {"event": "CLOSED"}}},
                        catalog_version="test-slice-team")


def get_case(cf, case: str, user: str) -> case_pb2.Case:
    return cf.cases.GetCase(cs.GetCaseRequest(name=case), metadata=cf.md(user)).case


def assigned(cf, user: str, case: case_pb2.Case) -> list:
    """The messages telling `user` that they joined the case."""
    return [m for m in messages(cf, user, case=case) if m.kind == alert_pb2.REMINDER_KIND_CASE_ASSIGNED]


def listed(cf, user: str) -> set[str]:
    reply = cf.cases.ListCases(cs.ListCasesRequest(parent=f"courts/{COURT}", page_size=1000), metadata=cf.md(user))
    return {c.name for c in reply.cases}


def test_the_team_sees_the_case_the_clerk_holds_the_clerks_nodes_and_both_follow_a_change_of_clerk(cf):
    cf.set_clock(START)
    request = create_request(seed("team", 1, filed=date(2026, 3, 2)))
    request.case.assistant, request.case.clerk = f"users/{ASSISTANT}", f"users/{CLERK}"
    request.case.panel.extend([f"users/{JUDGE}", f"users/{PANEL_JUDGE}", f"users/{DIVISION_HEAD}"])
    case = cf.cases.CreateCase(request, metadata=cf.md(COURT_SYSTEM)).case
    nodes = eventually(lambda: len(n := nodes_of(cf, case, COURT_SYSTEM)) == 2 and n, what="nodes opened by filing")
    serve = nodes["serve_complaint_copy"]
    # Due Sat 03-07 → Mon 03-09; the clerk's by the catalogue, the trial limit the handler's.
    assert (serve.responsible, serve.responsible_role, ymd(serve.due_date)) == (
        f"users/{CLERK}", "clerk", date(2026, 3, 9))
    assert nodes["trial_time_limit"].responsible == f"users/{JUDGE}"
    # The clerk the case was registered with is told so, in a clerk's words, with the node they hold.
    [joined] = eventually(lambda: assigned(cf, CLERK, case), what="the registered clerk told")
    assert f"{case.case_number}案件由您担任书记员，由您办理的未完成节点1个：“送达起诉状副本”" in joined.body, joined.body
    assert "承办" not in joined.body and joined.node == serve.name

    # Everyone on the case sees it and every node of it; another clerk of the department does not.
    for user in (CLERK, ASSISTANT, PANEL_JUDGE, JUDGE):
        assert get_case(cf, case.name, user).name == case.name, user
        assert case.name in listed(cf, user), user
        assert set(nodes_of(cf, case, user)) == {"serve_complaint_copy", "trial_time_limit"}, user
    outsider = refused(lambda: get_case(cf, case.name, OTHER_CLERK), grpc.StatusCode.PERMISSION_DENIED)
    assert "无权查看" in outsider.details()
    assert case.name not in listed(cf, OTHER_CLERK) and nodes_of(cf, case, OTHER_CLERK) == {}
    # The assistant, who holds no node, checks a hearing date before starting an exception (S5).
    check = ns.ValidateHearingRequest(parent=case.name, hearing_date=pb(date(2026, 3, 24)))
    assert cf.nodes.ValidateHearing(check, metadata=cf.md(ASSISTANT)) == cf.nodes.ValidateHearing(
        check, metadata=cf.md(COURT_SYSTEM))
    refused(lambda: cf.nodes.ValidateHearing(check, metadata=cf.md(OTHER_CLERK)), grpc.StatusCode.PERMISSION_DENIED)

    # The clerk changes (工作调整): the new one sees the case at once and holds the clerk's node.
    changed = cf.cases.UpdateCase(cs.UpdateCaseRequest(
        case=case_pb2.Case(name=case.name, clerk=f"users/{OTHER_CLERK}", etag=case.etag),
        update_mask=FieldMask(paths=["clerk"]), reason=case_pb2.CASE_CHANGE_REASON_REASSIGNMENT,
        request_id="team-1-clerk"), metadata=cf.md(COURT_SYSTEM)).case
    assert changed.clerk == f"users/{OTHER_CLERK}"
    assert get_case(cf, case.name, OTHER_CLERK).clerk == f"users/{OTHER_CLERK}"
    gone = refused(lambda: get_case(cf, case.name, CLERK), grpc.StatusCode.PERMISSION_DENIED)
    assert details_of(gone)[0] == "OUT_OF_SCOPE"
    assert case.name not in listed(cf, CLERK)
    eventually(lambda: nodes_of(cf, case, COURT_SYSTEM)["serve_complaint_copy"].responsible == f"users/{OTHER_CLERK}",
               what="the clerk's node with the new clerk")
    eventually(lambda: nodes_of(cf, case, CLERK) == {}, what="the old clerk no longer sees the nodes")
    assert set(nodes_of(cf, case, OTHER_CLERK)) == {"serve_complaint_copy", "trial_time_limit"}
    assert nodes_of(cf, case, COURT_SYSTEM)["serve_complaint_copy"].due_date == serve.due_date  # not an extension
    # The new clerk is told once, in a clerk's words, naming the one before.
    [told] = eventually(lambda: assigned(cf, OTHER_CLERK, case), what="the new clerk told")
    assert f"{case.case_number}案件改由您担任书记员（原为" in told.body and "“送达起诉状副本”" in told.body, told.body
    assert told.title == f"新担任书记员案件：{case.case_number}"

    # The warning rung (2 days before: 03-07) reaches the new clerk; neither the old clerk nor the
    # judge is reminded of the clerk's node (the new clerk's message is the sign that it was sent).
    cf.set_clock(at(date(2026, 3, 7)))
    warned = eventually(lambda: [m for m in messages(cf, OTHER_CLERK) if m.node == serve.name and m != told],
                        what="the new clerk warned")
    assert [m.kind for m in warned] == [alert_pb2.REMINDER_KIND_WARNING] and case.case_number in warned[0].body
    assert [m for m in messages(cf, CLERK) if m.case == case.name] == [joined]
    assert assigned(cf, OTHER_CLERK, case) == [told]
    assert [m for m in messages(cf, JUDGE) if m.node == serve.name] == []


def test_a_wrongly_recorded_closing_is_undone_only_by_an_audited_correction(cf):
    cf.set_clock(at(date(2026, 4, 6)))   # Monday
    case = cf.cases.CreateCase(create_request(seed("correction", 2, filed=date(2026, 4, 6))),
                               metadata=cf.md(COURT_SYSTEM)).case
    before = eventually(lambda: len(n := nodes_of(cf, case, COURT_SYSTEM)) == 2 and n, what="nodes opened by filing")
    serve = before["serve_complaint_copy"]
    assert ymd(serve.due_date) == date(2026, 4, 13)   # five days end on Sat 04-11: Monday

    # Closed by mistake on 04-07: its nodes complete, the judgment's service opens, the statistics
    # count it closed.
    cf.set_clock(at(date(2026, 4, 7)))
    record(cf, case, "CLOSED", date(2026, 4, 7))
    closing = eventually(lambda: "serve_judgment" in (n := nodes_of(cf, case, COURT_SYSTEM)) and n,
                         what="the closing's nodes")
    assert {code: n.state for code, n in closing.items()} == {
        "serve_complaint_copy": node_pb2.NODE_STATE_COMPLETED, "trial_time_limit": node_pb2.NODE_STATE_COMPLETED,
        "serve_judgment": node_pb2.NODE_STATE_RUNNING}

    def counted_closed() -> bool:
        reply = cf.stats.ListSupervisedCases(ss.ListSupervisedCasesRequest(
            parent=f"courts/{COURT}", page_size=1000, query=sv.SupervisionQuery(filter="closed = true")),
            metadata=cf.md(PRESIDENT))
        return case.name in {c.name for c in reply.cases}
    eventually(counted_closed, what="counted closed")
    closed = get_case(cf, case.name, PRESIDENT)
    assert closed.state == case_pb2.CASE_STATE_CLOSED and ymd(closed.close_date) == date(2026, 4, 7)

    # Past the complaint copy's deadline (04-13) while wrongly closed.
    cf.set_clock(at(date(2026, 4, 15)))

    def revoke(user: str, request_id: str, reason: str = "结案信息录入错误，案件尚在审理", etag: str = ""):
        return cf.cases.RevokeCaseClosing(cs.RevokeCaseClosingRequest(
            name=case.name, reason=reason, etag=etag, request_id=request_id), metadata=cf.md(user)).case

    # Neither the judge alone, nor the division head, nor a court system may undo a closing.
    for user in (JUDGE, DIVISION_HEAD, COURT_SYSTEM):
        denied = refused(lambda: revoke(user, f"revoke-2-{user}"), grpc.StatusCode.PERMISSION_DENIED)
        assert details_of(denied)[0] == "ROLE_NOT_PERMITTED", user
    stale = refused(lambda: revoke(TRIAL_MANAGEMENT, "revoke-2-stale", etag="0" * 20), grpc.StatusCode.ABORTED)
    assert details_of(stale)[0] == "ETAG_MISMATCH"
    blank = refused(lambda: revoke(TRIAL_MANAGEMENT, "revoke-2-blank", reason="  "), grpc.StatusCode.INVALID_ARGUMENT)
    assert "reason" in [f for f, _ in details_of(blank)[1]] and "原因" in blank.details()
    assert get_case(cf, case.name, PRESIDENT).etag == closed.etag   # nothing changed

    # The trial management office corrects it, over HTTP-JSON as the console would.
    reply = cf.http("POST", f"/v1/{case.name}:revokeClosing", user=TRIAL_MANAGEMENT, body={
        "reason": "结案信息录入错误，案件尚在审理", "etag": closed.etag, "requestId": "revoke-2"})
    assert reply.status == 200, reply.error
    corrected = reply.json()["case"]
    assert corrected["state"] == "CASE_STATE_FILED" and "closeDate" not in corrected
    assert revoke(TRIAL_MANAGEMENT, "revoke-2").etag == corrected["etag"]           # a replay answers the case
    reused = refused(lambda: revoke(TRIAL_MANAGEMENT, "revoke-2", reason="另一个原因"),
                     grpc.StatusCode.INVALID_ARGUMENT)
    assert "request_id" in [f for f, _ in details_of(reused)[1]]
    again = refused(lambda: revoke(TRIAL_MANAGEMENT, "revoke-2-again"), grpc.StatusCode.FAILED_PRECONDITION)
    assert details_of(again)[0] == "CASE_NOT_CLOSED"
    assert not get_case(cf, case.name, JUDGE).HasField("close_date")

    # The nodes run again on their old clocks: the complaint copy, due 04-13, is overdue at once and
    # its handler told so; the trial limit runs to the day it had.
    after = eventually(lambda: (n := nodes_of(cf, case, COURT_SYSTEM))["serve_complaint_copy"].state
                       == node_pb2.NODE_STATE_OVERDUE and n, what="the complaint copy overdue again")
    for code, node in before.items():
        assert after[code].due_date == node.due_date and after[code].clock_generation == node.clock_generation + 1
    assert after["trial_time_limit"].state == node_pb2.NODE_STATE_RUNNING
    # What the closing opened is withdrawn: ended, not done, nobody asked to do it.
    withdrawn = after["serve_judgment"]
    assert withdrawn.state == node_pb2.NODE_STATE_COMPLETED and withdrawn.withdrawn
    assert "随之撤回" in withdrawn.explanation[-1]
    overdue = eventually(lambda: [m for m in messages(cf, JUDGE) if m.node == serve.name
                                  and m.kind == alert_pb2.REMINDER_KIND_OVERDUE], what="the overdue reminder")
    assert "超期2天" in overdue[0].body, overdue[0].body
    eventually(lambda: not counted_closed(), what="no longer counted closed")

    # The trial goes on: a hearing can be scheduled again (Tue 04-28).
    event = record(cf, case, "HEARING_SCHEDULED", date(2026, 4, 15), hearing_date=pb(date(2026, 4, 28)))
    assert ymd(event.hearing_date) == date(2026, 4, 28)

    # The audit log keeps who corrected what, from what to what, and why; and who was refused.
    def audited(result: int):
        return [r.operation for r in audit_records(cf, f'resource = "{case.name}"')
                if r.operation.action.endswith("CaseService/RevokeCaseClosing") and r.operation.result == result]
    [operation] = eventually(lambda: audited(audit_pb2.AUDIT_RESULT_SUCCEEDED), what="the correction audited")
    assert operation.actor == f"users/{TRIAL_MANAGEMENT}" and operation.reporter == "case"
    assert f"users/{JUDGE}" in {o.actor for o in audited(audit_pb2.AUDIT_RESULT_DENIED)}
    assert "状态：已结案 → 已立案" in operation.detail and "结案日期：2026-04-07 → 无" in operation.detail
    assert "原因：结案信息录入错误，案件尚在审理" in operation.detail, operation.detail

    # Closed for real later: the closing's node opens anew, counted from that day.
    cf.set_clock(at(date(2026, 4, 30)))
    record(cf, case, "CLOSED", date(2026, 4, 30))
    again = eventually(lambda: "serve_judgment-2" in (n := {x.name.rsplit("/", 1)[1]: x for x in nodes_of(
        cf, case, COURT_SYSTEM).values()}) and n, what="the judgment's service opened by the real closing")
    assert ymd(again["serve_judgment-2"].anchor_date) == date(2026, 4, 30) and not again["serve_judgment-2"].withdrawn
    assert ymd(get_case(cf, case.name, PRESIDENT).close_date) == date(2026, 4, 30)


def test_the_team_sees_its_cases_applications_and_counts_it_in_own_statistics(cf):
    """Within own scope, a clerk who holds no node of an application, and who is not the handler,
    still sees the applications and the statistics of the case they are on."""
    cf.set_clock(at(date(2026, 5, 4)))   # Monday
    request = create_request(seed("team", 3, filed=date(2026, 5, 4)))
    request.case.clerk = f"users/{CLERK}"
    case = cf.cases.CreateCase(request, metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: len(nodes_of(cf, case, COURT_SYSTEM)) == 2, what="nodes opened by filing")
    app = cf.nodes.CreateApplication(ns.CreateApplicationRequest(
        parent=f"{case.name}/nodes/trial_time_limit", request_id="team-3-extension", application=node_pb2.Application(
            kind=node_pb2.APPLICATION_KIND_EXTENSION, extension="6m", reason="案情复杂", materials=["审批表"])),
        metadata=cf.md(JUDGE)).application

    def applications(user: str) -> set[str]:
        reply = cf.nodes.ListApplications(ns.ListApplicationsRequest(parent=f"{case.name}/nodes/-", page_size=1000),
                                          metadata=cf.md(user))
        return {a.name for a in reply.applications}
    assert applications(CLERK) == applications(JUDGE) == {app.name}
    assert applications(OTHER_CLERK) == set()

    def supervised(user: str) -> set[str]:
        reply = cf.stats.ListSupervisedCases(ss.ListSupervisedCasesRequest(
            parent=f"courts/{COURT}", page_size=1000, query=sv.SupervisionQuery()), metadata=cf.md(user))
        return {c.name for c in reply.cases}
    mine = eventually(lambda: case.name in (s := supervised(CLERK)) and s, what="the clerk's case in their statistics")
    summary = cf.stats.SummarizeSupervision(ss.SummarizeSupervisionRequest(
        parent=f"courts/{COURT}", query=sv.SupervisionQuery()), metadata=cf.md(CLERK))
    assert summary.case_totals.total == len(mine)
    assert case.name not in supervised(OTHER_CLERK)


def test_a_closing_recorded_before_nodes_kept_their_closing_event_is_not_revoked(cf):
    """Node migration 0009 made nodes keep the event that completed them; a closing recorded
    before it (case migration 0012 marks those) cannot say which nodes to re-open: refused, and
    the case stays closed."""
    cf.set_clock(at(date(2026, 6, 1)))   # Monday
    case = cf.cases.CreateCase(create_request(seed("untracked", 4, filed=date(2026, 6, 1))),
                               metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: len(nodes_of(cf, case, COURT_SYSTEM)) == 2, what="nodes opened by filing")
    record(cf, case, "CLOSED", date(2026, 6, 1))
    eventually(lambda: nodes_of(cf, case, COURT_SYSTEM)["trial_time_limit"].state == node_pb2.NODE_STATE_COMPLETED,
               what="the closing reached the nodes")
    engine = create_engine(cf.database_url, poolclass=NullPool)
    with engine.begin() as conn:   # as migration 0012 found a closing recorded before the upgrade
        conn.execute(text("UPDATE cases.case_events SET nodes_tracked = false WHERE case_id = :id"),
                     {"id": str(CaseName.parse(case.name).case_id)})
    engine.dispose()
    closed = get_case(cf, case.name, PRESIDENT)
    refusal = refused(lambda: cf.cases.RevokeCaseClosing(cs.RevokeCaseClosingRequest(
        name=case.name, reason="结案信息录入错误", request_id="untracked-4"), metadata=cf.md(TRIAL_MANAGEMENT)),
        grpc.StatusCode.FAILED_PRECONDITION)
    assert details_of(refusal)[0] == "CLOSING_NOT_TRACKED"
    assert "无法确定应恢复办理的节点" in refusal.details() and "2026-06-01" in refusal.details(), refusal.details()
    after = get_case(cf, case.name, PRESIDENT)
    assert (after.state, after.etag, ymd(after.close_date)) == (case_pb2.CASE_STATE_CLOSED, closed.etag, date(2026, 6, 1))
