"""Who is told, end to end (A1, DOMAIN §5): the escalation ladder by days overdue, locks, approvers
and applicants, deputies of absent people, and inboxes that are personal and can be marked read."""
from __future__ import annotations

from datetime import date, datetime

import grpc
import pytest
from sqlalchemy import create_engine

from courtflow.alert.v1 import alert_pb2, alert_service_pb2 as als
from courtflow.case.v1 import case_pb2
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns

from gateway.directory import org
from gateway.models import MESSAGING as GATEWAY_MESSAGING
from services.common.clock import LEGAL_TZ, SystemClock
from services.common.uow import uow_factory
from support import alert_directory_entry, eventually

from .conftest import at, file_case, messages

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 2, 10, 0, tzinfo=LEGAL_TZ)
FILED = date(2026, 3, 2)   # trial limit six months → due 2026-09-02
K = alert_pb2.ReminderKind
HEAD, VP, PRESIDENT = "head.440101.civil1", "vice_president.440101", "president.440101"
HIGHER_TMO = "trial_management.4401"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("reminders", clock=START, catalog_version="test-reminders-1", node_changes={
        "trial_time_limit": {"overdue_action": "lock", "supervisors": ["division_head", "trial_management"]}})


def inbox(cf, user: str, case: case_pb2.Case, kind: int | None = None, node: str = "") -> list[alert_pb2.Message]:
    return [m for m in messages(cf, user, case=case)
            if (kind is None or m.kind == kind) and (not node or m.node.endswith(node))]


def told(cf, user: str, case, kind: int, node: str = "") -> alert_pb2.Message:
    found = eventually(lambda: inbox(cf, user, case, kind, node),
                       what=f"{K.Name(kind)} {node} in {user}'s inbox")
    assert len(found) == 1, found
    return found[0]


def test_an_inbox_is_its_owners_and_can_be_marked_read(cf):
    judge = "judge.440101.civil1.1"
    case = file_case(cf, "reminders", 501, handler=judge, filed=FILED)
    cf.set_clock(at(date(2026, 3, 7)))    # the complaint copy's warning rung
    message = told(cf, judge, case, K.REMINDER_KIND_WARNING)
    other = "judge.440101.civil1.2"
    for call, request in ((cf.alerts.ListMessages, als.ListMessagesRequest(parent=f"users/{judge}")),
                          (cf.alerts.MarkMessageRead, als.MarkMessageReadRequest(name=message.name)),
                          (cf.alerts.MarkAllMessagesRead, als.MarkAllMessagesReadRequest(parent=f"users/{judge}"))):
        with pytest.raises(grpc.RpcError) as denied:
            call(request, metadata=cf.md(other))
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    before = cf.alerts.ListMessages(als.ListMessagesRequest(parent="users/me"), metadata=cf.md(judge)).unread_count
    assert before >= 1
    read = cf.alerts.MarkMessageRead(als.MarkMessageReadRequest(name=message.name), metadata=cf.md(judge))
    assert read.message.read and read.message.name == message.name and read.unread_count == before - 1
    after = cf.alerts.ListMessages(als.ListMessagesRequest(parent="users/me", filter="read = false"),
                                   metadata=cf.md(judge))
    assert after.unread_count == before - 1 and message.name not in [m.name for m in after.messages]
    done = cf.alerts.MarkAllMessagesRead(als.MarkAllMessagesReadRequest(parent="users/me"), metadata=cf.md(judge))
    assert done.marked_count == before - 1 and done.unread_count == 0


def test_an_absent_judges_reminders_go_to_the_deputy(cf, postgres):
    judge, deputy = "judge.440101.civil2.2", "judge.440101.civil2.1"
    engine = create_engine(cf.database_url)
    try:
        with uow_factory(engine, producer="gateway", messaging=GATEWAY_MESSAGING, clock=SystemClock())() as uow:
            org.upsert_user(uow, org.UserSpec(username=judge, display_name="休假法官", role=org.role_from_name("judge"),
                                              court_id="440101", department="courts/440101/departments/440101-civil2",
                                              mobile="13900000002", absent=True, deputy=deputy))
            uow.commit()
        # The directory change reaches the alert service through the bus: wait for it (the set-up
        # is the admin's; what is under test is what happens to reminders afterwards).
        eventually(lambda: (entry := alert_directory_entry(cf.database_url, f"users/{judge}")) and entry["absent"],
                   what="the absence in the alert service's directory")
    finally:
        engine.dispose()
    case = file_case(cf, "reminders", 502, handler=judge, filed=FILED)
    cf.set_clock(at(date(2026, 8, 19)))   # the trial limit's 15-day rung
    reminder = told(cf, deputy, case, K.REMINDER_KIND_WARNING, "trial_time_limit")
    assert "休假法官承办的" in reminder.body      # the deputy reads whose case it is
    assert inbox(cf, judge, case) == []


def test_approvers_hear_of_applications_and_applicants_of_the_decision(cf):
    judge = "judge.440101.civil1.2"
    case = file_case(cf, "reminders", 503, handler=judge, filed=FILED)
    node = f"{case.name}/nodes/trial_time_limit"
    app = cf.nodes.CreateApplication(ns.CreateApplicationRequest(
        parent=node, request_id="reminders-ext", application=node_pb2.Application(
            kind=node_pb2.APPLICATION_KIND_EXTENSION, extension="6m", reason="案情复杂", materials=["审批表"])),
        metadata=cf.md(judge)).application
    asked = told(cf, PRESIDENT, case, K.REMINDER_KIND_APPROVAL_REQUESTED)
    assert asked.application == app.name and "延长审限" in asked.body and "需本院院长审批" in asked.body
    assert inbox(cf, HEAD, case, K.REMINDER_KIND_APPROVAL_REQUESTED) == []   # not theirs to decide
    cf.nodes.ApproveApplication(ns.ApproveApplicationRequest(name=app.name, comment="同意延长"),
                                metadata=cf.md(PRESIDENT))
    decided = told(cf, judge, case, K.REMINDER_KIND_APPLICATION_DECIDED)
    assert "已批准" in decided.body and "2027年03月02日" in decided.body and "同意延长" in decided.body


def test_an_overdue_limit_locks_and_climbs_the_ladder(cf):
    judge = "judge.440101.civil1.1"
    case = file_case(cf, "reminders", 504, handler=judge, filed=FILED)
    trial = "trial_time_limit"
    cf.set_clock(at(date(2026, 9, 3)))    # the first day overdue
    for user in (judge, HEAD, "trial_management.440101"):
        told(cf, user, case, K.REMINDER_KIND_OVERDUE, trial)
    for user in (judge, HEAD):
        told(cf, user, case, K.REMINDER_KIND_NODE_LOCKED, trial)
    assert inbox(cf, VP, case, node=trial) == []
    cf.set_clock(at(date(2026, 10, 2)))   # the 30th day: nothing new yet
    cf.set_clock(at(date(2026, 10, 3)))   # the 31st: the vice-president in charge
    escalated = told(cf, VP, case, K.REMINDER_KIND_ESCALATION, trial)
    assert "超期31天" in escalated.body and "已报分管院领导" in escalated.body
    for user in (judge, HEAD):
        told(cf, user, case, K.REMINDER_KIND_ESCALATION, trial)
    assert inbox(cf, PRESIDENT, case, node=trial) == []
    cf.set_clock(at(date(2026, 12, 2)))   # the 91st: the president and the higher court's list
    for user in (PRESIDENT, HIGHER_TMO):
        assert "超期91天" in told(cf, user, case, K.REMINDER_KIND_ESCALATION, trial).body
    # The vice-president heard once per level: level 2, then level 3.
    assert len(inbox(cf, VP, case, K.REMINDER_KIND_ESCALATION, trial)) == 2


def test_a_live_stream_pushes_new_reminders_to_their_reader_only(cf):
    judge = "judge.440101.civil2.1"
    cf.set_clock(at(date(2026, 12, 2)))   # (where the ladder test left it)
    case = file_case(cf, "reminders", 505, handler=judge, filed=date(2026, 12, 1))   # the complaint copy's rung: 5 December
    with pytest.raises(grpc.RpcError) as denied:
        next(cf.alerts.StreamMessages(als.StreamMessagesRequest(parent=f"users/{judge}"),
                                      metadata=cf.md("judge.440101.civil1.1"), timeout=10))
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    unread = cf.alerts.ListMessages(als.ListMessagesRequest(parent="users/me", filter="read = false",
                                                            page_size=1000), metadata=cf.md(judge))
    stream = cf.alerts.StreamMessages(als.StreamMessagesRequest(parent="users/me"), metadata=cf.md(judge),
                                      timeout=60)
    try:
        first = [next(stream).message for _ in range(unread.unread_count)]   # the unread ones first
        assert {m.name for m in first} >= {m.name for m in unread.messages}
        cf.set_clock(at(date(2026, 12, 5)))
        # (Reminders of older cases still on their way may come first: the stream pushes all.)
        pushed = next(m for m in (r.message for r in stream) if m.case == case.name)
        assert pushed.case == case.name and pushed.kind == K.REMINDER_KIND_WARNING
        assert pushed.name.startswith(f"users/{judge}/messages/") and pushed.name not in {m.name for m in first}
    finally:
        stream.cancel()
