"""Time-limit operations and locks (S4, S6, S11), end to end through the gateway: a judge applies
to extend, deduct from, suspend and resume a trial limit; leaders approve under the authority
rules; the date moves as DOMAIN §2–§3 count it, with its history and supervision warnings; an
overdue limit with the lock action locks the case until an approved unlock."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import grpc
import pytest
import yaml
from google.protobuf.field_mask_pb2 import FieldMask

from courtflow.alert.v1 import alert_pb2
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns

from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from support import COURT, COURT_SYSTEM, DIVISION_HEAD, JUDGE, PRESIDENT, SLICE_CATALOG, eventually

from .conftest import at, changed_catalog, file_case, messages, pb, record, ymd

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 2, 10, 0, tzinfo=LEGAL_TZ)  # Monday
FILED = date(2026, 3, 2)                               # six months → 2026-09-02, a Wednesday
VICE_PRESIDENT = "vice_president.440101"
HIGHER_COURT_PRESIDENT = "president.4401"
OTHER_COURT_PRESIDENT = "president.440102"
K = node_pb2.ApplicationKind
S = node_pb2.ApplicationState
SHIPPED_CATALOG = Path(__file__).resolve().parents[2] / "services" / "node" / "catalog.yaml"
MINIMUM_INTERVAL = "hearing_minimum_interval"


@pytest.fixture(scope="module")
def cf(start_system, tmp_path_factory):
    # The test catalogue, with the trial limit locking when overdue (as most shipped limits do), and
    # the shipped catalogue's setting of the minimum between two hearings (a court's policy).
    path = changed_catalog(SLICE_CATALOG, {"trial_time_limit": {"overdue_action": "lock"}}, version="test-limits-1",
                           to=tmp_path_factory.mktemp("time-limits-catalogue") / "catalog.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    shipped = yaml.safe_load(SHIPPED_CATALOG.read_text(encoding="utf-8"))
    data["nodes"] += [n for n in shipped["nodes"] if n["code"] == MINIMUM_INTERVAL]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return start_system("time-limits", clock=START, catalog=path)


def new_case(cf, n: int) -> str:
    """The module's case 7000 + n, filed on FILED: its name, once filing has opened its nodes."""
    return file_case(cf, "limits", 7000 + n, filed=FILED).name


def trial(cf, case_name: str, user: str = JUDGE) -> node_pb2.Node:
    return cf.nodes.GetNode(ns.GetNodeRequest(name=f"{case_name}/nodes/trial_time_limit"), metadata=cf.md(user)).node


def apply(cf, node: str, request_id: str, user: str = JUDGE, **fields) -> node_pb2.Application:
    return cf.nodes.CreateApplication(ns.CreateApplicationRequest(
        parent=node, request_id=request_id, application=node_pb2.Application(**fields)), metadata=cf.md(user)).application


def approve(cf, name: str, user: str, comment: str = "同意") -> ns.ApproveApplicationResponse:
    return cf.nodes.ApproveApplication(ns.ApproveApplicationRequest(name=name, comment=comment), metadata=cf.md(user))


def codes(application: node_pb2.Application) -> set[str]:
    return {w.code for w in application.warnings}


def history(cf, node: str, user: str = JUDGE) -> list[node_pb2.Application]:
    return list(cf.nodes.ListApplications(ns.ListApplicationsRequest(parent=node), metadata=cf.md(user)).applications)


def test_extensions_approved_by_authority_move_the_limit_and_warn_again(cf):
    cf.set_clock(at(date(2026, 8, 20)))
    case = new_case(cf, 1)
    node = f"{case}/nodes/trial_time_limit"
    # The 15-day rung (2026-08-18) has fired: the limit is in its warning period.
    eventually(lambda: trial(cf, case).state == node_pb2.NODE_STATE_WARNING, what="warning")

    first = apply(cf, node, "ext-1", kind=K.APPLICATION_KIND_EXTENSION, extension="6m", reason="案情复杂，需鉴定",
                  materials=["延长审限审批表", "鉴定委托书"])
    # Applied 13 days before the limit ends: within the 10-day lead time; nothing to warn about.
    assert first.state == S.APPLICATION_STATE_PENDING and list(first.warnings) == []
    assert first.required_approver == "本院院长"
    assert apply(cf, node, "ext-1", kind=K.APPLICATION_KIND_EXTENSION, extension="6m", reason="案情复杂，需鉴定",
                 materials=["延长审限审批表", "鉴定委托书"]).name == first.name  # a retry returns the same application
    with pytest.raises(grpc.RpcError) as changed:   # the same id with another body is another request (AIP-155)
        apply(cf, node, "ext-1", kind=K.APPLICATION_KIND_EXTENSION, extension="6m", reason="重复提交", materials=["x"])
    assert changed.value.code() == grpc.StatusCode.INVALID_ARGUMENT

    queue = cf.nodes.ListApplications(ns.ListApplicationsRequest(parent=f"courts/{COURT}/cases/-/nodes/-",
                                                                 filter="state = PENDING"), metadata=cf.md(PRESIDENT))
    assert first.name in [a.name for a in queue.applications]
    with pytest.raises(grpc.RpcError) as judge_approves:
        approve(cf, first.name, JUDGE)
    assert judge_approves.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as stranger:
        approve(cf, first.name, OTHER_COURT_PRESIDENT)
    assert stranger.value.code() == grpc.StatusCode.PERMISSION_DENIED

    decided = approve(cf, first.name, PRESIDENT)
    # Twelve months from 2026-03-02: 2027-03-02, a Tuesday.
    assert ymd(decided.node.due_date) == date(2027, 3, 2)
    assert decided.application.state == S.APPLICATION_STATE_APPROVED and not codes(decided.application)
    assert (ymd(decided.application.due_date_before), ymd(decided.application.due_date_after)) == \
        (date(2026, 9, 2), date(2027, 3, 2))
    assert any("延长：6个月" in line for line in decided.node.explanation)
    assert decided.node.state == node_pb2.NODE_STATE_RUNNING and decided.node.change_count == 1
    with pytest.raises(grpc.RpcError) as twice:   # said in Beijing time to the minute, not a raw UTC timestamp
        approve(cf, first.name, PRESIDENT)
    assert details_of(twice.value)[0] == "APPLICATION_DECIDED"
    assert f"申请已于 {cf.now().astimezone(LEGAL_TZ):%Y-%m-%d %H:%M}（北京时间）审批" in twice.value.details()

    # The rescheduled 15-day rung (2027-02-15) fires before the new limit; the old deadline fired
    # nothing (it would have made the limit overdue and locked the case).
    cf.set_clock(at(date(2027, 2, 16)))
    warned = eventually(lambda: (n := trial(cf, case)).state == node_pb2.NODE_STATE_WARNING and n,
                        what="warning before the new limit")
    assert not warned.HasField("lock") and warned.clock_generation == 1
    # The judge is told again: two 15-day warnings, one for each date.
    def warnings_in_inbox():
        return [m for m in messages(cf, JUDGE, case=case) if m.kind == alert_pb2.REMINDER_KIND_WARNING]
    told = eventually(lambda: len(warnings_in_inbox()) == 2 and warnings_in_inbox(), what="second warning")
    assert sorted("2027年03月02日" in m.body for m in told) == [False, True]

    # A second extension: the higher court's step, asked for late (10-day lead, 法释〔2000〕29号第十二条:
    # by 2027-02-20), without material, approved by this court's president — each is a supervision
    # warning (S4, S6).
    cf.set_clock(at(date(2027, 2, 21)))
    second = apply(cf, node, "ext-2", kind=K.APPLICATION_KIND_EXTENSION, extension="3m", reason="仍需补充鉴定")
    assert codes(second) == {"SECOND_CHANGE", "MISSING_MATERIAL", "LATE_APPLICATION"}
    assert second.required_approver == "上一级人民法院"
    decided = approve(cf, second.name, PRESIDENT)
    assert codes(decided.application) == {"SECOND_CHANGE", "MISSING_MATERIAL", "LATE_APPLICATION", "BEYOND_AUTHORITY",
                                          "LIMIT_NOT_EXTENDED"}
    # Beyond the president's authority (民事诉讼法第一百五十二条): recorded, but the legal limit stays.
    assert ymd(decided.node.due_date) == date(2027, 3, 2) and decided.node.change_count == 1
    assert ymd(decided.application.due_date_after) == date(2027, 3, 2)
    # The higher court's president approves it again: now it moves.
    third = apply(cf, node, "ext-3", kind=K.APPLICATION_KIND_EXTENSION, extension="3m", reason="仍需补充鉴定",
                  materials=["延长审限审批表"])
    decided = approve(cf, third.name, HIGHER_COURT_PRESIDENT)
    assert "BEYOND_AUTHORITY" not in codes(decided.application)
    assert ymd(decided.node.due_date) == date(2027, 6, 2)  # fifteen months from filing, a Wednesday

    clock_history = history(cf, node)
    assert [(a.kind, a.state, a.approver) for a in sorted(clock_history, key=lambda a: a.create_time.ToDatetime())] \
        == [(K.APPLICATION_KIND_EXTENSION, S.APPLICATION_STATE_APPROVED, f"users/{user}")
            for user in (PRESIDENT, PRESIDENT, HIGHER_COURT_PRESIDENT)]


def test_deduction_suspension_and_resumption_are_not_counted(cf):
    cf.set_clock(at(date(2026, 4, 2)))
    case = new_case(cf, 2)
    node = f"{case}/nodes/trial_time_limit"
    deduction = apply(cf, node, "ded-1", kind=K.APPLICATION_KIND_DEDUCTION, reason_code="public_notice",
                      reason="被告下落不明，公告送达", materials=["公告"], start_date=pb(date(2026, 3, 10)),
                      end_date=pb(date(2026, 3, 18)))
    assert deduction.required_approver == "分管院领导"
    decided = approve(cf, deduction.name, VICE_PRESIDENT)
    # 2026-09-02 + (03-18 − 03-10 = 8 days) = 2026-09-10, a Thursday.
    assert ymd(decided.node.due_date) == date(2026, 9, 10)
    assert any("扣除：2026-03-10 至 2026-03-18，共8日" in line for line in decided.node.explanation)

    suspension = apply(cf, node, "sus-1", kind=K.APPLICATION_KIND_SUSPENSION, reason="等待另案审理结果",
                       materials=["中止诉讼裁定书"], start_date=pb(date(2026, 4, 1)))
    assert codes(suspension) == {"SECOND_CHANGE"}
    # A division head is below the required level: approved, and the approval is flagged (S6).
    decided = approve(cf, suspension.name, DIVISION_HEAD)
    assert "BEYOND_AUTHORITY" in codes(decided.application)
    assert ymd(decided.node.suspended_since) == date(2026, 4, 1)

    # While suspended the clock stands still: long past the old date, nothing warns or overdues.
    # A sentinel case with the same dates shows that the sweeper has been through them.
    sentinel = new_case(cf, 5)
    cf.set_clock(at(date(2026, 9, 20)))
    eventually(lambda: trial(cf, sentinel).state == node_pb2.NODE_STATE_OVERDUE, what="sentinel overdue")
    assert trial(cf, case).state == node_pb2.NODE_STATE_RUNNING

    resumption = apply(cf, node, "res-1", kind=K.APPLICATION_KIND_RESUMPTION, reason="另案已审结",
                       end_date=pb(date(2026, 9, 20)))
    assert codes(resumption) == set()  # a resumption ends a counted suspension: no second-change warning
    decided = approve(cf, resumption.name, VICE_PRESIDENT)
    # 2026-09-10 + (09-20 − 04-01 = 172 days) = 2027-03-01, a Monday.
    assert ymd(decided.node.due_date) == date(2027, 3, 1)
    assert not decided.node.HasField("suspended_since")
    assert any("扣除：2026-04-01 至 2026-09-20，共172日" in line for line in decided.node.explanation)
    assert [a.kind for a in sorted(history(cf, node), key=lambda a: a.create_time.ToDatetime())] == \
        [K.APPLICATION_KIND_DEDUCTION, K.APPLICATION_KIND_SUSPENSION, K.APPLICATION_KIND_RESUMPTION]


def test_bad_applications_name_the_field_and_change_nothing(cf):
    cf.set_clock(at(date(2026, 4, 2)))
    case = new_case(cf, 3)
    node = f"{case}/nodes/trial_time_limit"
    cases = [
        (dict(kind=K.APPLICATION_KIND_DEDUCTION, reason_code="public_notice", reason="x", materials=["a"],
              start_date=pb(date(2026, 3, 20)), end_date=pb(date(2026, 3, 10))), "application.end_date"),
        (dict(kind=K.APPLICATION_KIND_DEDUCTION, reason_code="holiday", reason="x", materials=["a"],
              start_date=pb(date(2026, 3, 10)), end_date=pb(date(2026, 3, 20))), "application.reason_code"),
        (dict(kind=K.APPLICATION_KIND_DEDUCTION, reason_code="appraisal", reason="x", materials=["a"],
              start_date=pb(date(2026, 2, 20)), end_date=pb(date(2026, 3, 20))), "application.start_date"),
        (dict(kind=K.APPLICATION_KIND_EXTENSION, reason="x", materials=["a"]), "application.extension"),
        (dict(kind=K.APPLICATION_KIND_EXTENSION, extension="6y", reason="x"), "application.extension"),
        (dict(kind=K.APPLICATION_KIND_EXTENSION, extension="0m", reason="x"), "application.extension"),
        # An absurd deduction (it was accepted): refused where it is entered.
        (dict(kind=K.APPLICATION_KIND_DEDUCTION, reason_code="public_notice", reason="x", materials=["a"],
              start_date=pb(date(2026, 3, 10)), end_date=pb(date(2099, 12, 31))), "application.end_date"),
        # An absurd extension (it was approved, due 2110-06-30): refused where it is entered.
        (dict(kind=K.APPLICATION_KIND_EXTENSION, extension="999m", reason="x", materials=["a"]),
         "application.extension"),
        (dict(kind=K.APPLICATION_KIND_SUSPENSION, reason="x", start_date=pb(date(2026, 5, 1))),
         "application.start_date"),
        # Issue 15, item 2: a span that starts after the limit ran out (2026-09-02) would revive it.
        (dict(kind=K.APPLICATION_KIND_DEDUCTION, reason_code="appraisal", reason="x", materials=["a"],
              start_date=pb(date(2026, 9, 3)), end_date=pb(date(2026, 9, 30))), "application.start_date"),
    ]
    for i, (fields, field) in enumerate(cases):
        with pytest.raises(grpc.RpcError) as bad:
            apply(cf, node, f"bad-{i}", **fields)
        assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT, fields
        assert field in [f for f, _ in details_of(bad.value)[1]], (fields, details_of(bad.value))
    assert "期限已于 2026-09-02 届满，届满后的扣除或中止不能使期限恢复计算" in bad.value.details()
    with pytest.raises(grpc.RpcError) as not_suspended:
        apply(cf, node, "bad-resume", kind=K.APPLICATION_KIND_RESUMPTION, reason="x", end_date=pb(date(2026, 4, 1)))
    assert not_suspended.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details_of(not_suspended.value)[0] == "CLOCK_NOT_SUSPENDED"
    with pytest.raises(grpc.RpcError) as not_locked:
        apply(cf, node, "bad-unlock", kind=K.APPLICATION_KIND_UNLOCK, reason="x")
    assert details_of(not_locked.value)[0] == "NODE_NOT_LOCKED"
    assert history(cf, node) == []
    assert trial(cf, case).change_count == 0 and ymd(trial(cf, case).due_date) == date(2026, 9, 2)

    # An application that waited while the limit ended (宣判) no longer applies.
    waiting = apply(cf, node, "late-ext", kind=K.APPLICATION_KIND_EXTENSION, extension="6m", reason="x",
                    materials=["a"])
    # Its request id again, for a deduction: refused, not answered with the extension (AIP-155).
    with pytest.raises(grpc.RpcError) as reused:
        apply(cf, node, "late-ext", kind=K.APPLICATION_KIND_DEDUCTION, reason_code="public_notice", reason="x",
              materials=["a"], start_date=pb(date(2026, 3, 10)), end_date=pb(date(2026, 3, 20)))
    assert reused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "request_id" in [f for f, _ in details_of(reused.value)[1]]
    assert [a.name for a in history(cf, node)] == [waiting.name]
    record(cf, case, "JUDGMENT_PRONOUNCED", date(2026, 4, 2), request_id="bad-pronounce")
    eventually(lambda: trial(cf, case).state == node_pb2.NODE_STATE_COMPLETED, what="limit ended")
    with pytest.raises(grpc.RpcError) as moot:
        approve(cf, waiting.name, PRESIDENT)
    assert details_of(moot.value)[0] == "NODE_COMPLETED"
    assert cf.nodes.GetApplication(ns.GetApplicationRequest(name=waiting.name),
                                   metadata=cf.md(JUDGE)).application.state == S.APPLICATION_STATE_PENDING


def test_overdue_limit_locks_the_case_until_an_unlock_is_approved(cf):
    cf.set_clock(at(date(2026, 8, 30)))
    case = new_case(cf, 4)
    node = f"{case}/nodes/trial_time_limit"
    cf.set_clock(at(date(2026, 9, 3)))  # the limit ended on 2026-09-02
    locked = eventually(lambda: (n := trial(cf, case)).lock.locked and n, what="node locked")
    assert locked.state == node_pb2.NODE_STATE_OVERDUE
    assert locked.lock.lock_type == node_pb2.LOCK_TYPE_OVERDUE and ymd(locked.lock.lock_date) == date(2026, 9, 3)
    assert "2026-09-02" in locked.lock.reason
    get = lambda: cf.cases.GetCase(cs.GetCaseRequest(name=case), metadata=cf.md(JUDGE)).case  # noqa: E731
    assert list(eventually(lambda: get().locked and get(), what="case locked").locked_nodes) == [node]
    # Listed, the case says the same (it said lockedNodes: [] in a list).
    listed = cf.cases.ListCases(cs.ListCasesRequest(parent=f"courts/{COURT}", filter=f'handler = "users/{JUDGE}"',
                                                    page_size=1000), metadata=cf.md(JUDGE)).cases
    assert [list(c.locked_nodes) for c in listed if c.name == case] == [[node]]

    event = cs.RecordCaseEventRequest(parent=case, request_id="lock-pronounce", case_event=case_pb2.CaseEvent(
        event_type=case_pb2.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, occur_date=pb(date(2026, 9, 3))))
    with pytest.raises(grpc.RpcError) as refused:
        cf.cases.RecordCaseEvent(event, metadata=cf.md(COURT_SYSTEM))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details_of(refused.value)[0] == "CASE_LOCKED" and "审理期限" in refused.value.details()
    assert node in refused.value.details()
    with pytest.raises(grpc.RpcError) as no_extension:
        apply(cf, node, "lock-ext", kind=K.APPLICATION_KIND_EXTENSION, extension="6m", reason="x", materials=["a"])
    assert details_of(no_extension.value)[0] == "CASE_LOCKED"

    unlock = apply(cf, node, "unlock-1", kind=K.APPLICATION_KIND_UNLOCK, reason="已完成合议，申请解锁后宣判")
    assert unlock.required_approver == "分管院领导"
    decided = approve(cf, unlock.name, VICE_PRESIDENT)
    lock = decided.node.lock
    assert not lock.locked and ymd(lock.unlock_date) == date(2026, 9, 3)
    assert lock.unlock_user == f"users/{VICE_PRESIDENT}" and lock.unlock_application == unlock.name
    eventually(lambda: not get().locked, what="case unlocked")
    cf.cases.RecordCaseEvent(event, metadata=cf.md(COURT_SYSTEM))
    done = eventually(lambda: (n := trial(cf, case)).state == node_pb2.NODE_STATE_COMPLETED and n, what="completed")
    assert ymd(done.lock.lock_date) == date(2026, 9, 3)  # the lock stays on record


def validate(cf, case: str, hearing: date) -> ns.ValidateHearingResponse:
    return cf.nodes.ValidateHearing(ns.ValidateHearingRequest(parent=case, hearing_date=pb(hearing)),
                                    metadata=cf.md(JUDGE))


def rules_broken(reply: ns.ValidateHearingResponse) -> set[str]:
    return {v.rule for v in reply.violations}


def test_hearing_dates_are_checked_when_scheduled_and_an_exception_needs_approval(cf):
    """S5: after the answer and evidence periods, inside the limit, apart from other hearings;
    outside the rules only with an approved 开庭排期流程."""
    cf.set_clock(at(date(2026, 3, 10)))
    case = new_case(cf, 6)
    served = dict(event="DOCUMENT_SERVED", on=date(2026, 3, 5))
    record(cf, case, request_id="s5-complaint", document="complaint_copy", **served)
    record(cf, case, request_id="s5-evidence", document="evidence_notice", **served)
    # Both periods: 15 days from 2026-03-05 → 2026-03-20, a Friday. A hearing on 03-19 is too early.
    too_early = eventually(lambda: (r := validate(cf, case, date(2026, 3, 19))) and len(r.violations) >= 2 and r,
                           what="service dates known")
    assert rules_broken(too_early) == {"ANSWER_PERIOD", "EVIDENCE_PERIOD"} and not too_early.accepted
    scheduled = dict(event="HEARING_SCHEDULED", on=date(2026, 3, 10))
    with pytest.raises(grpc.RpcError) as refused:
        record(cf, case, request_id="s5-early", hearing_date=pb(date(2026, 3, 19)), **scheduled)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert details_of(refused.value)[0] == "HEARING_OUTSIDE_RULES" and "开庭排期流程" in refused.value.details()

    assert validate(cf, case, date(2026, 3, 23)).accepted      # Monday after both periods
    record(cf, case, request_id="s5-first", hearing_date=pb(date(2026, 3, 23)), **scheduled)
    # The law sets no minimum between hearings (法释〔2018〕9号 bounds them from above); this court's
    # trial management office sets seven days, its own policy.
    cf.nodes.UpdateNodeRule(ns.UpdateNodeRuleRequest(
        node_rule=node_pb2.NodeRule(name=f"courts/{COURT}/nodeRules/{MINIMUM_INTERVAL}", period="7d"),
        update_mask=FieldMask(paths=["period"])), metadata=cf.md(f"trial_management.{COURT}"))
    # A second hearing two days later breaks the seven-day interval; so does one after the limit's
    # last day (2026-09-02).
    close = eventually(lambda: (r := validate(cf, case, date(2026, 3, 25))) and r.violations and r,
                       what="first hearing known")
    assert rules_broken(close) == {"HEARING_INTERVAL"}
    assert "TIME_LIMIT" in rules_broken(validate(cf, case, date(2026, 9, 3)))
    with pytest.raises(grpc.RpcError):
        record(cf, case, request_id="s5-second", hearing_date=pb(date(2026, 3, 25)), **scheduled)

    exception = apply(cf, f"{case}/nodes/trial_time_limit", "s5-exception", kind=K.APPLICATION_KIND_HEARING_EXCEPTION,
                      reason="证人3月25日后出国，需提前续开庭", start_date=pb(date(2026, 3, 25)))
    assert exception.required_approver == "本庭庭长" and list(exception.warnings) == []
    approve(cf, exception.name, DIVISION_HEAD)
    allowed = validate(cf, case, date(2026, 3, 25))
    assert allowed.accepted and allowed.exception_application == exception.name
    assert rules_broken(allowed) == {"HEARING_INTERVAL"}  # still shown: the exception allows, it does not hide
    record(cf, case, request_id="s5-second", hearing_date=pb(date(2026, 3, 25)), **scheduled)
    assert trial(cf, case).change_count == 0  # an exception is no change of the limit


def test_a_restarting_reason_counts_the_limit_again(cf):
    """刑事诉讼法第二百零八条第三款: once the procuratorate's supplementary investigation is done and
    the case is back, the court counts its limit again — a fresh period from that day, not the
    deduction of the days it was away (issue 15, item 12). The module's catalogue has the civil
    limit only; the reason's `restarts` is the same on the criminal limits it is meant for."""
    cf.set_clock(at(date(2026, 4, 20)))
    case = new_case(cf, 6)
    node = f"{case}/nodes/trial_time_limit"
    restart = apply(cf, node, "restart-1", kind=K.APPLICATION_KIND_DEDUCTION, reason_code="supplementary_investigation",
                    reason="补充侦查完毕移送", materials=["补充侦查决定书"], start_date=pb(date(2026, 3, 20)),
                    end_date=pb(date(2026, 4, 15)))
    decided = approve(cf, restart.name, VICE_PRESIDENT)
    # Six months from 15 Apr: Thu 15 Oct — a deduction of the 26 days away said 28 Sep.
    assert ymd(decided.node.due_date) == date(2026, 10, 15) and ymd(decided.node.anchor_date) == date(2026, 4, 15)
    assert any("自 2026-04-15 起重新计算审理期限" in line for line in decided.node.explanation)
    assert not any(line.startswith("扣除：") for line in decided.node.explanation)
