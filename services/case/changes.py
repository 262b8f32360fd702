"""Changes of a running case (UpdateCase, AIP-134): which fields may change, their values as
kept in the change log and the event, and the etag. Pure: no I/O.

A case is reassigned (分案、变更承办人、回避), moved to another division (移交), its defendant
detained or released (羁押变化), or a registration mistake corrected (更正). The case keeps its
clock: a reassignment is not an extension; the node service moves the open nodes to the new
handler and department and re-derives custody terms when custody changes.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from courtflow.case.v1.case_pb2 import CaseState

from services.common.errors import FailedPrecondition, invalid_field
from services.case.domain import check_private_prosecution
from services.common.names import CourtName, DepartmentName

# What UpdateCase may change, by the Case field's name.
CHANGEABLE = ("handler", "assistant", "clerk", "panel", "department", "custody", "cause", "parties", "case_number",
              "foreign_related", "private_prosecution")
# A case whose life is over changes no more; a closed one may still be corrected or reassigned
# (the post-closing steps — service, archiving — are still someone's).
FROZEN_STATES = {CaseState.CASE_STATE_ARCHIVED: "已归档", CaseState.CASE_STATE_NOT_FILED: "已不予立案"}


@dataclass(frozen=True)
class CaseChange:
    court: str
    case_id: uuid.UUID
    values: dict            # field → new value (parties as ({"role", "display_name"}, …))
    reason: int
    effective_date: date | None
    request_id: str
    etag: str               # "" when the caller does not check


# What a case's etag covers: everything about it that a change or an event can alter.
ETAG_FIELDS = ("case_number", "cause", "parties", "department", "handler", "assistant", "clerk", "panel", "custody",
               "foreign_related", "private_prosecution", "state", "locked",
               "filing_date", "judgment_date", "effective_date", "close_date", "archive_date")


def etag_of(row) -> str:
    """Opaque, and different whenever the case is (from its content, not its update time: two
    changes may share an instant, and a test's clock stands still)."""
    content = repr((str(row.id), *(getattr(row, f) for f in ETAG_FIELDS)))
    return hashlib.sha256(content.encode()).hexdigest()[:20]


def current(row, fields) -> dict:
    """The named fields of a case row, as the change log and the event keep them."""
    return {f: (list(getattr(row, f) or ()) if f in ("parties", "panel") else getattr(row, f)) for f in fields}


def check_change(row, change: CaseChange, *, today: date) -> dict:
    """The fields that really change (new values), or a domain error naming the field."""
    if not change.values:
        raise invalid_field("update_mask", f"至少指定 {', '.join(CHANGEABLE)} 之一")
    unknown = sorted(set(change.values) - set(CHANGEABLE))
    if unknown:
        raise invalid_field("update_mask", f"{unknown[0]} 不可修改；可修改：{', '.join(CHANGEABLE)}")
    if row.state in FROZEN_STATES:
        raise FailedPrecondition(f"案件{FROZEN_STATES[row.state]}，不能再修改", reason="CASE_FROZEN")
    if change.effective_date is not None and change.effective_date > today:
        raise invalid_field("effective_date", f"生效日期 {change.effective_date} 晚于今天 {today}")
    department = change.values.get("department", row.department)
    if DepartmentName.parse(department, "case.department").court != row.court:
        raise invalid_field("case.department", f"承办部门必须属于本院 {CourtName(row.court)}")
    number = change.values.get("case_number", row.case_number)
    numbered = row.filing_date or row.receive_date
    if "case_number" in change.values and f"（{numbered.year}）" not in number:
        raise invalid_field("case.case_number", f"案号年份应为立案年份 {numbered.year}")
    check_private_prosecution(row.case_type, change.values.get("private_prosecution", False))
    changed = {f: v for f, v in change.values.items() if current(row, [f])[f] != v}
    if not changed:
        raise FailedPrecondition("所列字段与案件现有内容相同，没有需要修改的内容", reason="NOTHING_CHANGED")
    return changed


REASON_WORDS = {1: "分案", 2: "工作调整", 3: "回避", 4: "移交", 5: "羁押变化", 6: "更正"}
FIELD_WORDS = {"handler": "承办人", "assistant": "法官助理", "clerk": "书记员", "panel": "合议庭成员",
               "department": "承办部门", "custody": "羁押", "cause": "案由", "parties": "当事人", "case_number": "案号",
               "foreign_related": "涉外", "private_prosecution": "自诉"}
# How a yes/no field reads in the audit log.
FLAG_WORDS = {"custody": ("在押", "未羁押"), "foreign_related": ("涉外", "非涉外"),
              "private_prosecution": ("自诉", "公诉")}


def describe_change(before: dict, after: dict, *, reason: int, effective) -> str:
    """The audit log's account of a change: each field old → new, why, from when."""
    def word(v, field: str) -> str:
        if isinstance(v, bool):
            return FLAG_WORDS[field][0 if v else 1]
        if isinstance(v, list):
            return "、".join(p["display_name"] if isinstance(p, dict) else p for p in v) or "无"
        return str(v) or "无"
    fields = "；".join(f"{FIELD_WORDS[f]}：{word(before[f], f)} → {word(after[f], f)}" for f in sorted(after))
    return f"{fields}；原因：{REASON_WORDS.get(reason, reason)}；生效日期：{effective}"
