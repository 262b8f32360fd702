"""Proto ↔ domain for the node service."""
from __future__ import annotations

import uuid
from datetime import date

from google.type import date_pb2

from courtflow.node.v1 import node_pb2

from services.common.errors import invalid_field
from services.node.models import ApplicationRow, NodeRow
from services.node.overrides import Effective
from services.node.time_limits import Level

OVERDUE_ACTIONS = {"warn": node_pb2.OVERDUE_ACTION_WARN, "lock": node_pb2.OVERDUE_ACTION_LOCK}
OVERDUE_ACTION_NAMES = {v: k for k, v in OVERDUE_ACTIONS.items()}


def pb_date(d: date) -> date_pb2.Date:
    return date_pb2.Date(year=d.year, month=d.month, day=d.day)


def node_to_proto(n: NodeRow) -> node_pb2.Node:
    msg = node_pb2.Node(
        name=n.name, node_type=n.node_type, display_name=n.display_name, stage=n.stage, category=n.category,
        case_number=n.case_number, department=n.department, responsible=n.responsible, state=n.state,
        calendar_known=n.calendar_known, explanation=list(n.explanation), legal_basis=n.legal_basis,
        overdue_action=OVERDUE_ACTIONS[n.overdue_action], clock_generation=n.clock_generation,
        change_count=n.change_count, responsible_role=n.responsible_role, supervisors=list(n.supervisors))
    if n.suspended_since is not None:
        msg.suspended_since.CopyFrom(pb_date(n.suspended_since))
    if n.lock_time is not None:
        lock = msg.lock
        lock.locked, lock.lock_type, lock.reason = n.locked, n.lock_type, n.lock_reason
        lock.lock_date.CopyFrom(pb_date(n.lock_date))
        lock.lock_time.FromDatetime(n.lock_time)
        if n.unlock_time is not None:
            lock.unlock_date.CopyFrom(pb_date(n.unlock_date))
            lock.unlock_time.FromDatetime(n.unlock_time)
            lock.unlock_user, lock.unlock_application = n.unlock_user, n.unlock_application
    msg.anchor_date.CopyFrom(pb_date(n.anchor_date))
    msg.due_date.CopyFrom(pb_date(n.due_date))
    msg.deadline_time.FromDatetime(n.deadline_time)
    msg.open_time.FromDatetime(n.open_time)
    for field, value in (("warning_time", n.warning_time), ("overdue_time", n.overdue_time),
                         ("complete_time", n.complete_time)):
        if value is not None:
            getattr(msg, field).FromDatetime(value)
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
    msg.create_time.FromDatetime(a.create_time)
    for field, value in (("start_date", a.start_date), ("end_date", a.end_date),
                         ("due_date_before", a.due_date_before), ("due_date_after", a.due_date_after)):
        if value is not None:
            getattr(msg, field).CopyFrom(pb_date(value))
    if a.decide_time is not None:
        msg.decide_time.FromDatetime(a.decide_time)
    return msg


def node_rule_to_proto(court: str, version: str, e: Effective) -> node_pb2.NodeRule:
    r, d = e.rule, e.default
    msg = node_pb2.NodeRule(
        name=f"courts/{court}/nodeRules/{r.code}", display_name=r.display_name, stage=r.stage, category=r.category,
        process=r.process, period=str(r.period), warning_rungs=list(r.warning_rungs),
        overdue_action=OVERDUE_ACTIONS[r.overdue_action], legal_basis=r.legal_basis,
        responsible_role=r.responsible_role, supervisors=list(r.supervisors), catalog_version=version,
        default_period=str(d.period), default_warning_rungs=list(d.warning_rungs),
        default_overdue_action=OVERDUE_ACTIONS[d.overdue_action])
    if e.override is not None:
        msg.override_court, msg.update_user = e.override.court, e.override.update_user
        msg.update_time.FromDatetime(e.override.update_time)
    return msg


def stage_view_to_proto(court: str, stage: int, shown: list[str], available: list[str],
                        override_court: str) -> node_pb2.StageView:
    return node_pb2.StageView(name=f"courts/{court}/stageViews/{stage_slug(stage)}", stage=stage,
                              categories=shown, available_categories=available, override_court=override_court)


def stage_slug(stage: int) -> str:
    return node_pb2.Stage.Name(stage).removeprefix("STAGE_").lower()


def parse_stage_view_name(name: str) -> tuple[str, int]:
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != "courts" or parts[2] != "stageViews":
        raise invalid_field("stage_view.name", "须为 courts/{court}/stageViews/{stage}")
    try:
        stage = node_pb2.Stage.Value(f"STAGE_{parts[3].upper()}")
    except ValueError:
        stage = 0
    if not stage:
        raise invalid_field("stage_view.name", f"未知阶段 {parts[3]!r}")
    return parts[1], stage


def parse_rule_name(name: str, field: str = "name") -> tuple[str, str]:
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != "courts" or parts[2] != "nodeRules" or not parts[1].isdigit():
        raise invalid_field(field, "须为 courts/{court}/nodeRules/{code}")
    return parts[1], parts[3]


def optional_date(d: date_pb2.Date, field: str) -> date | None:
    """A google.type.Date that may be unset (all zero)."""
    if d.year == 0 and d.month == 0 and d.day == 0:
        return None
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise invalid_field(field, f"不是有效日期: {d.year:04d}-{d.month:02d}-{d.day:02d}") from None


def parse_application_name(name: str) -> tuple[str, uuid.UUID, str, uuid.UUID]:
    _, court, _, case_id, _, node_type, _, application_id = name.split("/")
    try:
        return court, uuid.UUID(case_id), node_type, uuid.UUID(application_id)
    except ValueError:
        raise invalid_field("name", "标识不是有效的 UUID") from None


def parse_node_parent(parent: str) -> tuple[str, uuid.UUID | None, str | None]:
    """"courts/{court}/cases/{case}/nodes/{node}" where case and node may be "-"."""
    _, court, _, case_id, _, node_type = parent.split("/")
    try:
        case = None if case_id == "-" else uuid.UUID(case_id)
    except ValueError:
        raise invalid_field("parent", "案件标识不是有效的 UUID") from None
    return court, case, None if node_type == "-" else node_type


def parse_node_name(name: str) -> tuple[str, uuid.UUID, str]:
    _, court, _, case_id, _, node_type = name.split("/")
    try:
        return court, uuid.UUID(case_id), node_type
    except ValueError:
        raise invalid_field("name", "案件标识不是有效的 UUID") from None


def parse_parent(parent: str) -> tuple[str, uuid.UUID | None]:
    _, court, _, case_id = parent.split("/")
    if case_id == "-":
        return court, None
    try:
        return court, uuid.UUID(case_id)
    except ValueError:
        raise invalid_field("parent", "案件标识不是有效的 UUID") from None


def calendar_year_to_proto(row) -> node_pb2.CalendarYear:
    msg = node_pb2.CalendarYear(name=f"calendarYears/{row.year}", year=row.year, source=row.source,
                                import_user=row.import_user,
                                holidays=[pb_date(d) for d in row.holidays], workdays=[pb_date(d) for d in row.workdays])
    if row.import_time is not None:   # None: a built-in year, never imported
        msg.import_time.FromDatetime(row.import_time)
    return msg


def to_dates(values, field: str) -> list[date]:
    out = []
    for i, d in enumerate(values):
        try:
            out.append(date(d.year, d.month, d.day))
        except ValueError:
            raise invalid_field(f"{field}[{i}]", f"不是有效日期: {d.year:04d}-{d.month:02d}-{d.day:02d}") from None
    return out
