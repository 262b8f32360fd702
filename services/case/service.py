"""Use cases of the case service. Keyword-only; they raise domain errors."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Callable

from sqlalchemy.exc import IntegrityError

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.case.v1.case_pb2 import CaseChangeReason, CaseEventType, CaseState
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_service_pb2 import ValidateHearingResponse

from services.case import events, lifecycle, people, repository
from services.case.changes import CaseChange, check_change, current, describe_change, etag_of
from services.case.domain import (Case, NewCase, Party, check_court_period, check_event_date, check_new_case,
                                  check_posted_date)
from services.case.errors import CaseNotFound, CaseNumberTaken
from services.case.models import CaseChangeRow, CaseEventRow, CaseRow
from services.common import scope
from services.common.audit import record_operation
from services.common.clock import legal_today
from services.common.errors import Aborted, DomainError, FailedPrecondition, invalid_field, request_id_reused
from services.common.events import new_event_id
from services.common.names import CaseName
from services.common.paging import Page
from services.common.uow import UnitOfWork

CREATE_CASE = "/courtflow.case.v1.CaseService/CreateCase"
# (caller, case name, hearing date) → the node service's ValidateHearingResponse
HearingCheck = Callable[[Caller, str, date], ValidateHearingResponse]
RECORD_CASE_EVENT = "/courtflow.case.v1.CaseService/RecordCaseEvent"
UPDATE_CASE = "/courtflow.case.v1.CaseService/UpdateCase"
REVOKE_CASE_CLOSING = "/courtflow.case.v1.CaseService/RevokeCaseClosing"


def create_case(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, new: NewCase) -> Case:
    """Register a filed case; a replay of the same request_id returns the case already made."""
    scope.require_court(caller, new.court)
    with uow_factory() as uow:
        check_new_case(new, today=legal_today(uow.clock))
        found = repository.by_request_or_number(uow.session, new.court, new.request_id, new.case_number)
        replayed = [row for row in found if row.request_id == new.request_id]
        if replayed:
            return _same_request(replayed[0], new)
        if found:
            raise CaseNumberTaken(f"案号 {new.case_number} 已在本院登记", metadata={"case_number": new.case_number})
        people.check_handler(uow.session, handler=new.handler, court=new.court, department=new.department)
        people.check_team(uow.session, court=new.court, department=new.department, assistant=new.assistant,
                          clerk=new.clerk, panel=new.panel)
        now = uow.clock.now()
        filed = new.filing_date is not None
        row = CaseRow(id=new_event_id(), court=new.court, case_number=new.case_number, case_type=new.case_type,
                      procedure=new.procedure, cause=new.cause,
                      parties=[{"role": p.role, "display_name": p.display_name} for p in new.parties],
                      department=new.department, handler=new.handler, assistant=new.assistant, clerk=new.clerk,
                      panel=list(new.panel), filing_date=new.filing_date,
                      receive_date=new.receive_date or new.filing_date, custody=new.custody,
                      foreign_related=new.foreign_related, private_prosecution=new.private_prosecution,
                      state=CaseState.CASE_STATE_FILED if filed else CaseState.CASE_STATE_RECEIVED, locked=False,
                      request_id=new.request_id, create_time=now, update_time=now)
        uow.session.add(row)
        case = to_domain(row)
        # A case registered at receipt starts the filing-review clock (S1); a filed one the rest.
        uow.publish(events.case_filed(case) if filed else events.case_received(case), court=case.court,
                    aggregate_type="case", aggregate_id=case.name)
        record_operation(uow, reporter="case", caller=caller, action=CREATE_CASE, resource=case.name,
                         result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        try:
            uow.commit()
        except IntegrityError:
            # A concurrent replay of the same request won the race: answer with its case.
            uow.session.rollback()
            with uow_factory() as again:
                existing = repository.by_request(again.session, new.court, new.request_id)
                if existing is None:
                    raise CaseNumberTaken(f"案号 {new.case_number} 已在本院登记") from None
                return _same_request(existing, new)
        return case


def get_case(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, case_id: uuid.UUID) -> Case:
    scope.require_court(caller, court)
    with uow_factory() as uow:
        row = repository.get(uow.session, court, case_id)
        locks = repository.locking_nodes(uow.session, [row.id]).get(row.id, ()) if row is not None else ()
    scope.check_visible(caller, row, court=court, owner="handler", team=repository.TEAM, denial="无权查看该案件",
                        missing=CaseNotFound(f"案件 {CaseName(court, case_id)} 不存在"))
    return to_domain(row, locked_nodes=locks)


def list_cases(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, filters: dict[str, str],
               page: Page) -> list[Case]:
    scope.require_court(caller, court)
    with uow_factory() as uow:
        rows = repository.list_visible(uow.session, caller=caller, court=court, filters=filters, page=page)
        # The page's locks in one query: a listed case says which nodes hold it, as GetCase does.
        locks = repository.locking_nodes(uow.session, [r.id for r in rows if r.locked])
        return [to_domain(r, locked_nodes=locks.get(r.id, ())) for r in rows]


def update_case(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, change: CaseChange) -> Case:
    """Change a running case (changes.py); a replay of the same request_id returns the case."""
    scope.require_court(caller, change.court)
    with uow_factory() as uow:
        replay = repository.change_by_request(uow.session, change.court, change.request_id)
        if replay is not None:
            asked = {f: v for f, v in change.values.items() if f in replay.after or f in replay.before}
            if (replay.case_id, replay.reason, replay.after) != (change.case_id, change.reason, _json(asked)):
                raise request_id_reused(str(CaseName(change.court, replay.case_id)))
            return to_domain(repository.get(uow.session, change.court, change.case_id))
        row = repository.get(uow.session, change.court, change.case_id, for_update=True)
        scope.check_visible(caller, row, court=change.court, owner="handler", denial="无权修改该案件",
                            missing=CaseNotFound(f"案件 {CaseName(change.court, change.case_id)} 不存在"))
        if change.etag and change.etag != etag_of(row):
            raise Aborted("案件已被他人修改，请重新读取后再修改（etag 已过期）", reason="ETAG_MISMATCH")
        today = legal_today(uow.clock)
        changed = check_change(row, change, today=today)
        department = changed.get("department", row.department)
        if "handler" in changed or "department" in changed:
            # The handler must be one of the (new) department's, whichever of the two changed.
            people.check_handler(uow.session, handler=changed.get("handler", row.handler), court=row.court,
                                 department=department)
        if {"assistant", "clerk", "panel", "department"} & changed.keys():
            people.check_team(uow.session, court=row.court, department=department,
                              assistant=changed.get("assistant", row.assistant), clerk=changed.get("clerk", row.clerk),
                              panel=changed.get("panel", row.panel))
        if "case_number" in changed and repository.by_request_or_number(uow.session, row.court, "", changed["case_number"]):
            raise CaseNumberTaken(f"案号 {changed['case_number']} 已在本院登记")
        previous, before = to_domain(row), current(row, changed)
        for field, value in changed.items():
            setattr(row, field, value)
        row.update_time = uow.clock.now()
        effective = change.effective_date or today
        uow.session.add(CaseChangeRow(id=new_event_id(), court=row.court, case_id=row.id, request_id=change.request_id,
                                      reason=change.reason, before=_json(before), after=_json(changed),
                                      effective_date=effective, changer=caller.user, change_time=row.update_time))
        case = to_domain(row)
        uow.publish(events.case_updated(case, previous, sorted(changed), change.reason, effective), court=case.court,
                    aggregate_type="case", aggregate_id=case.name)
        record_operation(uow, reporter="case", caller=caller, action=UPDATE_CASE, resource=case.name,
                         result=AuditResult.AUDIT_RESULT_SUCCEEDED,
                         detail=describe_change(before, changed, reason=change.reason, effective=effective))
        uow.commit()
        return case


def revoke_closing(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, case_id: uuid.UUID,
                   reason: str, etag: str, request_id: str) -> Case:
    """Undo a wrongly recorded closing (lifecycle.revoke_closing): an audited correction, kept in
    the change log with its reason, published for the node service (which re-opens the nodes the
    closing completed) and the statistics. A replay of the same request_id returns the case."""
    scope.require_court(caller, court)
    reason = reason.strip()
    if len(reason) < 2:
        raise invalid_field("reason", "撤销结案须说明结案错误的原因（至少2个字）")
    with uow_factory() as uow:
        replay = repository.change_by_request(uow.session, court, request_id)
        if replay is not None:
            if (replay.case_id, replay.note, "close_date" in replay.after) != (case_id, reason, True):
                raise request_id_reused(str(CaseName(court, replay.case_id)))
            return to_domain(repository.get(uow.session, court, case_id))
        row = repository.get(uow.session, court, case_id, for_update=True)
        scope.check_visible(caller, row, court=court, owner="handler", denial="无权撤销该案件的结案",
                            missing=CaseNotFound(f"案件 {CaseName(court, case_id)} 不存在"))
        if etag and etag != etag_of(row):
            raise Aborted("案件已被他人修改，请重新读取后再撤销结案（etag 已过期）", reason="ETAG_MISMATCH")
        previous = to_domain(row)
        before = lifecycle.revoke_closing(row, now=uow.clock.now())
        closing = repository.last_event(uow.session, row.id, CaseEventType.CASE_EVENT_TYPE_CLOSED)
        lifecycle.check_closing_tracked(closing)   # raised before commit: the case stays closed
        closing_event = closing.name if closing is not None else ""
        after = {"state": row.state, "close_date": None}
        uow.session.add(CaseChangeRow(id=new_event_id(), court=row.court, case_id=row.id, request_id=request_id,
                                      reason=CaseChangeReason.CASE_CHANGE_REASON_CORRECTION, before=_json(before),
                                      after=after, effective_date=legal_today(uow.clock), changer=caller.user,
                                      note=reason, change_time=row.update_time))
        case = to_domain(row)
        uow.publish(events.case_closing_revoked(case, previous, closing_event=closing_event, reason=reason,
                                                corrector=caller.user),
                    court=case.court, aggregate_type="case", aggregate_id=case.name)
        record_operation(uow, reporter="case", caller=caller, action=REVOKE_CASE_CLOSING, resource=case.name,
                         result=AuditResult.AUDIT_RESULT_SUCCEEDED,
                         detail=lifecycle.describe_revocation(before, row, reason=reason, closing_event=closing_event))
        try:
            uow.commit()
        except IntegrityError:
            # A concurrent replay of the same request won the race: answer as a replay does.
            uow.session.rollback()
            return revoke_closing(uow_factory, caller=caller, court=court, case_id=case_id, reason=reason,
                                  etag="", request_id=request_id)
        return case


def _json(values: dict) -> dict:
    """Values as the change log keeps them (JSON): dates as text, everything else as it is."""
    return {f: (v.isoformat() if isinstance(v, date) else v) for f, v in values.items()}


def record_event(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, case_id: uuid.UUID,
                 event_type: int, occur_date: date, hearing_date: date | None, document: str, detail: str,
                 request_id: str, check_hearing: HearingCheck, posted_date: date | None = None, period_days: int = 0,
                 bill_payment_date: date | None = None) -> CaseEventRow:
    """Record a business event of a case; a replay of the same request_id returns the event already made.
    A scheduled hearing must keep the scheduling rules or have an approved exception (S5)."""
    scope.require_court(caller, court)
    # The node service is asked before the unit of work opens, so no pooled connection (and no
    # row lock) is held while another service answers; its verdict counts at its usual place
    # among the checks below, so a locked or closed case is still refused as such first.
    hearing = _ask_hearing(check_hearing, caller, court, case_id, event_type, occur_date, hearing_date)
    with uow_factory() as uow:
        asked = (case_id, event_type, occur_date, hearing_date, document, detail, posted_date, period_days,
                 bill_payment_date)
        replay = repository.event_by_request(uow.session, court, request_id)
        if replay is not None:
            return _same_event(replay, asked)
        row = repository.get(uow.session, court, case_id)
        scope.check_visible(caller, row, court=court, owner="handler", denial="无权操作该案件",
                            missing=CaseNotFound(f"案件 {CaseName(court, case_id)} 不存在"))
        _refuse_if_locked(uow, row)
        check_event_date(occur_date, receive_date=row.receive_date, today=legal_today(uow.clock))
        check_posted_date(posted_date, occur_date=occur_date, receive_date=row.receive_date)
        check_court_period(event_type=event_type, document=document, case_type=row.case_type, procedure=row.procedure,
                           occur_date=occur_date, period_days=period_days, bill_payment_date=bill_payment_date)
        lifecycle.check_allowed(row, event_type, document)
        if event_type == CaseEventType.CASE_EVENT_TYPE_FILED:
            raise invalid_field("case_event.event_type", "立案请通过 CreateCase 登记，已收案的案件请记录 FILING_APPROVED")
        if event_type == CaseEventType.CASE_EVENT_TYPE_DOCUMENT_SERVED and not document:
            raise invalid_field("case_event.document", "文书送达须注明送达的文书")
        if event_type == CaseEventType.CASE_EVENT_TYPE_HEARING_SCHEDULED:
            _check_hearing(hearing, occur_date, hearing_date)
        elif hearing_date is not None:
            raise invalid_field("case_event.hearing_date", "仅开庭排期事件填写开庭日期")
        event = CaseEventRow(id=new_event_id(), court=court, case_id=case_id, event_type=event_type,
                             occur_date=occur_date, hearing_date=hearing_date, posted_date=posted_date,
                             period_days=period_days, bill_payment_date=bill_payment_date, document=document, detail=detail,
                             request_id=request_id, recorder=caller.user, record_time=uow.clock.now())
        uow.session.add(event)
        filed_now = lifecycle.apply_event(row, event_type, occur_date, now=uow.clock.now())
        uow.publish(events.case_event_recorded(to_domain(row), event), court=court, aggregate_type="case",
                    aggregate_id=str(CaseName(row.court, row.id)))
        if filed_now:
            uow.publish(events.case_filed(to_domain(row)), court=court, aggregate_type="case",
                        aggregate_id=str(CaseName(row.court, row.id)))
        record_operation(uow, reporter="case", caller=caller, action=RECORD_CASE_EVENT, resource=event.name,
                         result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        try:
            uow.commit()
        except IntegrityError:
            # A concurrent replay of the same request won the race: answer with its event.
            uow.session.rollback()
            with uow_factory() as again:
                return _same_event(repository.event_by_request(again.session, court, request_id), asked)
        return event


def _ask_hearing(check: HearingCheck, caller: Caller, court: str, case_id: uuid.UUID, event_type: int,
                 occur_date: date, hearing_date: date | None) -> Callable[[], ValidateHearingResponse] | None:
    """The node service's verdict on a hearing date, or the error it answered, to be taken later."""
    if (event_type != CaseEventType.CASE_EVENT_TYPE_HEARING_SCHEDULED or hearing_date is None
            or hearing_date < occur_date):
        return None  # nothing to ask: the request is refused for its own fields first
    try:
        verdict = check(caller, str(CaseName(court, case_id)), hearing_date)
    except DomainError as exc:
        error = exc

        def verdict_of():
            raise error
        return verdict_of
    return lambda: verdict


def _check_hearing(hearing: Callable[[], ValidateHearingResponse] | None, occur_date: date,
                   hearing_date: date | None) -> None:
    if hearing_date is None:
        raise invalid_field("case_event.hearing_date", "开庭排期事件须填写开庭日期")
    if hearing_date < occur_date:
        raise invalid_field("case_event.hearing_date", f"开庭日期 {hearing_date} 早于排期日 {occur_date}")
    verdict = hearing()   # asked whenever both dates stand (_ask_hearing)
    if not verdict.accepted:
        broken = "；".join(v.message for v in verdict.violations)
        raise FailedPrecondition(
            f"开庭日期 {hearing_date} 不符合排期规则：{broken}。请由主审法官、法官助理或书记员发起开庭排期流程，经批准后再排期",
            reason="HEARING_OUTSIDE_RULES", metadata={"rules": ",".join(v.rule for v in verdict.violations)})


def _refuse_if_locked(uow: UnitOfWork, row: CaseRow) -> None:
    """A locked case accepts no business events until the lock is lifted (S11). The unlock
    application itself goes to the node service, which owns locks and their approval."""
    lock = repository.first_lock(uow.session, row.id)
    if lock is not None:
        raise FailedPrecondition(
            f"案件 {row.case_number} 因「{lock.display_name}」超期已被锁定（{lock.reason}；节点 {lock.node}），"
            "须经解锁审批后方可继续办理",
            reason="CASE_LOCKED", metadata={"node": lock.node})


def _same_event(event: CaseEventRow, asked: tuple) -> CaseEventRow:
    """The recorded event, when the replayed request asks for exactly it."""
    if (event.case_id, event.event_type, event.occur_date, event.hearing_date, event.document, event.detail,
            event.posted_date, event.period_days, event.bill_payment_date) != asked:
        raise request_id_reused(event.name)
    return event


def _same_request(row: CaseRow, new: NewCase) -> Case:
    """The case made by the first request with this request id, when this one asks for exactly it."""
    made = to_domain(row)
    if (made.case_number, made.case_type, made.procedure, made.cause, made.parties, made.department, made.handler,
            made.filing_date, made.receive_date, made.custody, made.assistant, made.clerk, made.panel,
            made.foreign_related, made.private_prosecution) != (
            new.case_number, new.case_type, new.procedure, new.cause, new.parties, new.department, new.handler,
            new.filing_date, new.receive_date or new.filing_date, new.custody, new.assistant, new.clerk, new.panel,
            new.foreign_related, new.private_prosecution):
        raise request_id_reused(made.name)
    return made


def to_domain(row: CaseRow, *, locked_nodes: tuple[str, ...] = ()) -> Case:
    return Case(id=row.id, court=row.court, case_number=row.case_number, case_type=row.case_type,
                procedure=row.procedure, cause=row.cause,
                parties=tuple(Party(p["role"], p["display_name"]) for p in row.parties),
                department=row.department, handler=row.handler, filing_date=row.filing_date,
                receive_date=row.receive_date,
                custody=row.custody, state=row.state, locked=row.locked, create_time=row.create_time,
                update_time=row.update_time, locked_nodes=locked_nodes, judgment_date=row.judgment_date,
                effective_date=row.effective_date, close_date=row.close_date, archive_date=row.archive_date,
                etag=etag_of(row), assistant=row.assistant or "", clerk=row.clerk or "", panel=tuple(row.panel or ()),
                foreign_related=row.foreign_related, private_prosecution=row.private_prosecution)
