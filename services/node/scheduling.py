"""Use case of hearing scheduling (S5): the facts of a case that a proposed hearing date is
checked against, gathered from the node service's own data, and the approved exceptions.

The parties' periods count like any period (DOMAIN §1): the defendant answers within fifteen
days of receiving the complaint copy (民事诉讼法：审理前的准备); the evidence period runs from the
evidence notice for the days the court set in it (CaseEvent.period_days; the case service holds it
to 民诉法解释第二百六十六条: at most fifteen in the simplified procedure, 第二百七十五条: at most seven
in small claims). A notice recorded without them counts the procedure's usual figure, known from the
case's trial limit (第九十九条: fifteen days in the ordinary first instance, ten for new evidence on
appeal). A hearing comes after every evidence period served has ended: the latest end counts.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Callable, Iterable, Sequence

from courtflow.case.v1.case_pb2 import CaseEventType
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import NodeState

from services.common import scope
from services.common.clock import legal_today
from services.common.uow import UnitOfWork
from services.node import repository
from services.node.calendar import HolidayCalendar
from services.node.calendars import CalendarStore
from services.node.catalog import Catalog
from services.node.errors import OutOfScope
from services.node.hearing import HearingFacts, HearingRules, Violation, check_hearing
from services.node.models import ApplicationRow, CaseDateRow
from services.node.overrides import Override, effective
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
# The law's rules; a court's setting adds a minimum interval between two hearings (hearing_rules).
RULES = HearingRules()
# The catalogue's setting of the minimum days between two hearings (court policy; none by default).
MINIMUM_INTERVAL = "hearing_minimum_interval"

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
# The last day of an evidence period the court set in the notice (the service day is kept for one
# recorded without it: its end counts the procedure's usual period).
EVIDENCE_SET = "evidence_period_end"
# How often a civil case may be adjourned, by its trial limit (its procedure): 法释〔2018〕9号 — twice
# in ordinary procedure, once in simplified and small-claims procedure. Other cases: no cap.
ADJOURNMENT_CAPS = {
    "trial_time_limit": 2, "trial_time_limit_civil_converted_ordinary": 2,
    "trial_time_limit_civil_simplified": 1, "trial_time_limit_civil_small_claims": 1,
    "trial_time_limit_civil_converted_simplified": 1,
}


def record_case_date(uow: UnitOfWork, *, event_id: uuid.UUID, case_id: uuid.UUID, event_type: int,
                     document: str, occur: date, hearing: date | None, period_days: int = 0,
                     calendar: HolidayCalendar | None = None) -> None:
    """`period_days`: the evidence period the notice set; its last day is kept (EVIDENCE_SET), counted
    on `calendar` (rolled over rest days like any period)."""
    kind = DATED_EVENTS.get((event_type, document if event_type == E.CASE_EVENT_TYPE_DOCUMENT_SERVED else ""))
    if kind is None:
        return
    day = hearing if kind == "hearing_scheduled" else occur
    if kind == "evidence_notice_served" and period_days and calendar is not None:
        kind, day = EVIDENCE_SET, compute_deadline(start=occur, period=Period(period_days, Unit.DAYS),
                                                   calendar=calendar).due
    if day is not None:
        uow.session.add(CaseDateRow(event_id=event_id, case_id=case_id, kind=kind, day=day))


def validate_hearing(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, calendars: CalendarStore,
                     catalog: Catalog, rules: TimeLimitRules, court: str, case_id: uuid.UUID, proposed: date,
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
            evidence_period_end=_latest(_period_end(dates.get("evidence_notice_served"),
                                                    evidence_period(n.node_type for n in nodes), calendar),
                                        *dates.get(EVIDENCE_SET, [])),
            notice_served=notice_served, time_limit_end=limit.due_date if limit else None,
            other_hearings=tuple(d for d in dates.get("hearing_scheduled", []) + dates.get("hearing_held", [])
                                 if d != proposed),
            adjourned=tuple(dates.get("hearing_adjourned", [])), max_adjournments=adjournment_cap(n.node_type for n in nodes))
        violations = check_hearing(facts, hearing_rules(catalog, court, repository.overrides_in(uow.session, court)),
                                   calendar)
        exception = repository.approved_hearing_exception(uow.session, case_id, proposed) if violations else None
        return violations, exception


def hearing_rules(catalog: Catalog, court: str, overrides: Sequence[Override]) -> HearingRules:
    """The rules a hearing date is checked by in `court`: the law's (HearingRules' defaults), and the
    minimum interval between two hearings of a case that the court or one above it set (the
    catalogue's setting MINIMUM_INTERVAL; its default, one day, sets none: the same day is left out
    of the other hearings)."""
    setting = catalog.rule(MINIMUM_INTERVAL)
    if setting is None:
        return RULES
    return replace(RULES, min_interval_days=effective(setting, court, overrides).rule.period.amount)


def adjournment_cap(node_types: Iterable[str]) -> int | None:
    """How often a case with nodes of these types may be adjourned; the later procedure's (a case
    converted to ordinary procedure has both limits) is the larger, None for no cap."""
    caps = [ADJOURNMENT_CAPS[t] for t in node_types if t in ADJOURNMENT_CAPS]
    return max(caps) if caps else None


def evidence_period(node_types: Iterable[str]) -> Period:
    """The evidence period of a case with nodes of these types (see the module's docstring)."""
    return next((EVIDENCE_PERIODS[t] for t in node_types if t in EVIDENCE_PERIODS), EVIDENCE_PERIOD)


def _latest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return max(known) if known else None


def _period_end(served: list[date] | None, period: Period, calendar: HolidayCalendar) -> date | None:
    """The period's last day from the latest service (a re-service restarts it)."""
    if not served:
        return None
    return compute_deadline(start=max(served), period=period, calendar=calendar).due
