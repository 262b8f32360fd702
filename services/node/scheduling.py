"""Use case of hearing scheduling (S5): the facts of a case that a proposed hearing date is
checked against, gathered from the node service's own data, and the approved exceptions.

The parties' periods count like any period (DOMAIN §1): the defendant answers within fifteen
days of receiving the complaint copy (民事诉讼法：审理前的准备); the evidence period runs from the
evidence notice and depends on the procedure (民诉法解释第九十九条: at least fifteen days in the
ordinary first instance, at least ten for new evidence on appeal; 第二百六十六条: at most fifteen
in the simplified procedure; 第二百七十五条: at most seven in small claims). The court sets it in
the notice, which case events do not carry yet, so the check uses the procedure's figure, known
from the case's trial limit.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Callable, Iterable

from courtflow.case.v1.case_pb2 import CaseEventType
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import NodeState

from services.common import scope
from services.common.clock import legal_today
from services.common.uow import UnitOfWork
from services.node import repository
from services.node.calendar import HolidayCalendar
from services.node.calendars import CalendarStore
from services.node.errors import OutOfScope
from services.node.hearing import HearingFacts, HearingRules, Violation, check_hearing
from services.node.models import ApplicationRow, CaseDateRow
from services.node.periods import Period, Unit, compute_deadline
from services.node.time_limits import TimeLimitRules

ANSWER_PERIOD = Period(15, Unit.DAYS)
EVIDENCE_PERIOD = Period(15, Unit.DAYS)
# The evidence period by the case's trial limit (its procedure); EVIDENCE_PERIOD for any other.
EVIDENCE_PERIODS = {
    "trial_time_limit_civil_small_claims": Period(7, Unit.DAYS),
    "trial_time_limit_civil_second_instance": Period(10, Unit.DAYS),
    "trial_time_limit_civil_ruling_appeal": Period(10, Unit.DAYS),
}
RULES = HearingRules()

E = CaseEventType
# Which case events carry a date that scheduling checks: (event type, document) → kind.
DATED_EVENTS = {
    (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "complaint_copy"): "complaint_served",
    (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "evidence_notice"): "evidence_notice_served",
    (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "hearing_notice"): "summons_served",
    (E.CASE_EVENT_TYPE_HEARING_SCHEDULED, ""): "hearing_scheduled",
    (E.CASE_EVENT_TYPE_HEARING_HELD, ""): "hearing_held",
    (E.CASE_EVENT_TYPE_HEARING_ADJOURNED, ""): "hearing_adjourned",
}
# How often a civil case may be adjourned, by its trial limit (its procedure): 法释〔2018〕9号 — twice
# in ordinary procedure, once in simplified and small-claims procedure. Other cases: no cap.
ADJOURNMENT_CAPS = {
    "trial_time_limit": 2, "trial_time_limit_civil_converted_ordinary": 2,
    "trial_time_limit_civil_simplified": 1, "trial_time_limit_civil_small_claims": 1,
    "trial_time_limit_civil_converted_simplified": 1,
}


def record_case_date(uow: UnitOfWork, *, event_id: uuid.UUID, case_id: uuid.UUID, event_type: int,
                     document: str, occur: date, hearing: date | None) -> None:
    kind = DATED_EVENTS.get((event_type, document if event_type == E.CASE_EVENT_TYPE_DOCUMENT_SERVED else ""))
    if kind is None:
        return
    day = hearing if kind == "hearing_scheduled" else occur
    if day is not None:
        uow.session.add(CaseDateRow(event_id=event_id, case_id=case_id, kind=kind, day=day))


def validate_hearing(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, calendars: CalendarStore,
                     rules: TimeLimitRules, court: str, case_id: uuid.UUID, proposed: date,
                     notice_served: date | None) -> tuple[list[Violation], ApplicationRow | None]:
    """Every rule the date breaks, and the approved exception that covers it, if any."""
    scope.require_court(caller, court)
    with uow_factory() as uow:
        nodes = repository.nodes_of_case(uow.session, court, case_id)
        # Whoever sees any of the case's nodes sees the case: its handler owns the handler's nodes,
        # whatever the division head's or the trial management office's nodes are (the rows come
        # in no order), and its assistant and clerk, who start a hearing exception (S5), are on
        # every node's team. A case without nodes (none of the catalogue's rules applies to it) is
        # checked on the calendar alone, but only for those who see the whole court: nobody
        # narrower learns that it exists.
        visible = any(scope.can_see(caller, court=court, department=n.department, owner=n.responsible, team=n.team)
                      for n in nodes) if nodes else scope.sees_whole_court(caller, court)
        if not visible:
            raise OutOfScope("无权操作该案件")
        dates = repository.case_dates(uow.session, case_id)
        calendar = calendars.current(uow.session)
        limit = next((n for n in nodes if rules.is_time_limit(n.node_type) and n.state != NodeState.NODE_STATE_COMPLETED),
                     None)
        facts = HearingFacts(
            proposed=proposed, today=legal_today(uow.clock),
            answer_period_end=_period_end(dates.get("complaint_served"), ANSWER_PERIOD, calendar),
            evidence_period_end=_period_end(dates.get("evidence_notice_served"),
                                            evidence_period(n.node_type for n in nodes), calendar),
            notice_served=notice_served, time_limit_end=limit.due_date if limit else None,
            other_hearings=tuple(d for d in dates.get("hearing_scheduled", []) + dates.get("hearing_held", [])
                                 if d != proposed),
            adjourned=tuple(dates.get("hearing_adjourned", [])), max_adjournments=adjournment_cap(n.node_type for n in nodes))
        violations = check_hearing(facts, RULES, calendar)
        exception = repository.approved_hearing_exception(uow.session, case_id, proposed) if violations else None
        return violations, exception


def adjournment_cap(node_types: Iterable[str]) -> int | None:
    """How often a case with nodes of these types may be adjourned; the later procedure's (a case
    converted to ordinary procedure has both limits) is the larger, None for no cap."""
    caps = [ADJOURNMENT_CAPS[t] for t in node_types if t in ADJOURNMENT_CAPS]
    return max(caps) if caps else None


def evidence_period(node_types: Iterable[str]) -> Period:
    """The evidence period of a case with nodes of these types (see the module's docstring)."""
    return next((EVIDENCE_PERIODS[t] for t in node_types if t in EVIDENCE_PERIODS), EVIDENCE_PERIOD)


def _period_end(served: list[date] | None, period: Period, calendar: HolidayCalendar) -> date | None:
    """The period's last day from the latest service (a re-service restarts it)."""
    if not served:
        return None
    return compute_deadline(start=max(served), period=period, calendar=calendar).due
