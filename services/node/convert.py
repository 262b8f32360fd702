"""Proto ↔ domain for the node service."""
from __future__ import annotations

import uuid
from datetime import date

from google.type import date_pb2

from courtflow.node.v1 import node_pb2

from services.common.errors import invalid_field
from services.node.models import NodeRow


def pb_date(d: date) -> date_pb2.Date:
    return date_pb2.Date(year=d.year, month=d.month, day=d.day)


def node_to_proto(n: NodeRow) -> node_pb2.Node:
    msg = node_pb2.Node(
        name=n.name, node_type=n.node_type, display_name=n.display_name, stage=n.stage, category=n.category,
        case_number=n.case_number, department=n.department, responsible=n.responsible, state=n.state,
        calendar_known=n.calendar_known, explanation=list(n.explanation), legal_basis=n.legal_basis)
    msg.anchor_date.CopyFrom(pb_date(n.anchor_date))
    msg.due_date.CopyFrom(pb_date(n.due_date))
    msg.deadline_time.FromDatetime(n.deadline_time)
    msg.open_time.FromDatetime(n.open_time)
    for field, value in (("warning_time", n.warning_time), ("overdue_time", n.overdue_time),
                         ("complete_time", n.complete_time)):
        if value is not None:
            getattr(msg, field).FromDatetime(value)
    return msg


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
