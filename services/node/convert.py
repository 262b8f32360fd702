"""Proto ↔ domain for the node service."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from courtflow.node.v1 import node_pb2, node_service_pb2

from services.common.dates import from_date, set_instant
from services.common.errors import invalid_field
from services.common.names import NodeRuleName, StageViewName
from services.node.hearing import Violation
from services.node.models import ApplicationRow, CalendarYearRow, NodeRow
from services.node.overrides import Effective
from services.node.periods import Period
from services.node.time_limits import Level

if TYPE_CHECKING:   # limit_rules reads through court_rules, which imports this module
    from services.node.limit_rules import CourtLimitRules

OVERDUE_ACTIONS = {"warn": node_pb2.OVERDUE_ACTION_WARN, "lock": node_pb2.OVERDUE_ACTION_LOCK}
OVERDUE_ACTION_NAMES = {v: k for k, v in OVERDUE_ACTIONS.items()}
# The NodeRule fields a court may override (update_mask paths), read from the request's rule.
RULE_FIELDS = {"period": lambda r: r.period, "warning_rungs": lambda r: list(r.warning_rungs),
               "overdue_action": lambda r: OVERDUE_ACTION_NAMES.get(r.overdue_action, "")}


def node_to_proto(n: NodeRow) -> node_pb2.Node:
    msg = node_pb2.Node(
        name=n.name, node_type=n.node_type, display_name=n.display_name, stage=n.stage, category=n.category,
        case_number=n.case_number, department=n.department, responsible=n.responsible, state=n.state,
        calendar_known=n.calendar_known, explanation=list(n.explanation), legal_basis=n.legal_basis,
        overdue_action=OVERDUE_ACTIONS[n.overdue_action], clock_generation=n.clock_generation,
        change_count=n.change_count, responsible_role=n.responsible_role, supervisors=list(n.supervisors),
        withdrawn=bool(n.withdrawn))
    if n.suspended_since is not None:
        msg.suspended_since.CopyFrom(from_date(n.suspended_since))
    if n.lock_time is not None:
        lock = msg.lock
        lock.locked, lock.lock_type, lock.reason = n.locked, n.lock_type, n.lock_reason
        lock.lock_date.CopyFrom(from_date(n.lock_date))
        set_instant(lock.lock_time, n.lock_time)
        if n.unlock_time is not None:
            lock.unlock_date.CopyFrom(from_date(n.unlock_date))
            set_instant(lock.unlock_time, n.unlock_time)
            lock.unlock_user, lock.unlock_application = n.unlock_user, n.unlock_application
    msg.anchor_date.CopyFrom(from_date(n.anchor_date))
    msg.due_date.CopyFrom(from_date(n.due_date))
    set_instant(msg.deadline_time, n.deadline_time)
    set_instant(msg.open_time, n.open_time)
    set_instant(msg.warning_time, n.warning_time)
    set_instant(msg.overdue_time, n.overdue_time)
    set_instant(msg.complete_time, n.complete_time)
    if n.completed_on is not None:
        msg.completed_on.CopyFrom(from_date(n.completed_on))
    return msg


def application_to_proto(a: ApplicationRow) -> node_pb2.Application:
    msg = node_pb2.Application(
        name=a.name, kind=a.kind, reason_code=a.reason_code, reason=a.reason, materials=list(a.materials),
        extension=a.extension, state=a.state, applicant=a.applicant,
        warnings=[node_pb2.ApplicationWarning(code=w["code"], message=w["message"]) for w in a.warnings],
        required_approver=Level(a.required_level).label, required_level=Level(a.required_level).name.lower(),
        approver=a.approver or "",
        approver_role=a.approver_role or 0, approver_court=a.approver_court or "",
        decision_comment=a.decision_comment or "")
    set_instant(msg.create_time, a.create_time)
    for field, value in (("start_date", a.start_date), ("end_date", a.end_date),
                         ("due_date_before", a.due_date_before), ("due_date_after", a.due_date_after)):
        if value is not None:
            getattr(msg, field).CopyFrom(from_date(value))
    set_instant(msg.decide_time, a.decide_time)
    return msg


def node_rule_to_proto(court: str, version: str, e: Effective) -> node_pb2.NodeRule:
    r, d = e.rule, e.default
    msg = node_pb2.NodeRule(
        name=str(NodeRuleName(court, r.code)), display_name=r.display_name, stage=r.stage, category=r.category,
        process=r.process, period=str(r.period), warning_rungs=list(r.warning_rungs),
        overdue_action=OVERDUE_ACTIONS[r.overdue_action], legal_basis=r.legal_basis,
        responsible_role=r.responsible_role, supervisors=list(r.supervisors), catalog_version=version,
        default_period=str(d.period), default_warning_rungs=list(d.warning_rungs),
        default_overdue_action=OVERDUE_ACTIONS[d.overdue_action], setting=r.setting)
    if e.override is not None:
        msg.override_court, msg.update_user = e.override.court, e.override.update_user
        set_instant(msg.update_time, e.override.update_time)
    return msg


def rule_fields(rule: node_pb2.NodeRule, paths: Sequence[str]) -> dict:
    """The masked fields of an UpdateNodeRule as the use case takes them (period text, list of
    rungs, "warn"/"lock"); a path that cannot be set maps to None, for the use case to refuse."""
    return {path: RULE_FIELDS[path](rule) if path in RULE_FIELDS else None for path in paths}


def stage_view_to_proto(court: str, stage: int, shown: list[str], available: list[str],
                        override_court: str) -> node_pb2.StageView:
    return node_pb2.StageView(name=str(StageViewName(court, stage_slug(stage))), stage=stage,
                              categories=shown, available_categories=available, override_court=override_court)


def stage_slug(stage: int) -> str:
    return node_pb2.Stage.Name(stage).removeprefix("STAGE_").lower()


def stage_of(view: StageViewName, field: str) -> int:
    """The Stage a stage view's name names by its slug ("adjudication")."""
    try:
        stage = node_pb2.Stage.Value(f"STAGE_{view.stage.upper()}")
    except ValueError:
        stage = 0
    if not stage:
        raise invalid_field(field, f"未知阶段 {view.stage!r}")
    return stage


def hearing_violations_to_proto(violations: list[Violation]) -> list[node_pb2.HearingViolation]:
    return [node_pb2.HearingViolation(rule=v.rule, field=v.field, message=v.message) for v in violations]


def calendar_year_to_proto(row: CalendarYearRow) -> node_pb2.CalendarYear:
    msg = node_pb2.CalendarYear(name=f"calendarYears/{row.year}", year=row.year, source=row.source,
                                import_user=row.import_user, holidays=[from_date(d) for d in row.holidays],
                                workdays=[from_date(d) for d in row.workdays])
    set_instant(msg.import_time, row.import_time)   # None: a built-in year, never imported
    return msg


def time_limit_rules_to_proto(r: CourtLimitRules) -> node_service_pb2.ListTimeLimitRulesResponse:
    def text(p: Period | None) -> tuple[str, str]:
        return (str(p), p.label) if p is not None else ("", "")

    def step(s) -> node_service_pb2.ExtensionStep:
        (mx, mx_label), (to, to_label) = text(s.max), text(s.to)
        return node_service_pb2.ExtensionStep(max=mx, max_label=mx_label, to=to, to_label=to_label,
                                              approver_level=s.approver.name.lower(), approver=s.approver.label,
                                              lead_days=s.lead_days)

    return node_service_pb2.ListTimeLimitRulesResponse(
        version=r.version,
        time_limit_rules=[node_service_pb2.TimeLimitRule(
            node_type=x.node_type, display_name=x.display_name, period=str(x.period), period_label=x.period.label,
            extensions=[step(s) for s in x.steps]) for x in r.limits],
        application_approvers=[node_service_pb2.ApplicationApprover(kind=kind, approver_level=level.name.lower(),
                                                                    approver=level.label)
                               for kind, level in sorted(r.approvers.items())],
        deduction_reasons=[node_service_pb2.DeductionReason(code=d.code, label=d.label, max=text(d.max)[0],
                                                            max_label=text(d.max)[1], restarts=d.restarts)
                           for d in r.reasons],
        approver_levels=[node_service_pb2.ApproverLevel(level=level.name.lower(), label=level.label)
                         for level in Level])
