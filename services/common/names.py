"""Resource names (AIP-122): parsed and formatted here, and nowhere else.

Every name CourtFlow hands out or accepts has one class below. ``parse`` checks the collection
words, the shape of each identifier and, for list parents, the ``-`` wildcard (AIP-159), and
refuses anything else with a Chinese error naming the request field; ``str()`` gives the name
back. A service never splits a name on "/" itself: an index taken by hand (``[3]``) silently
reads the wrong segment when a name has another shape.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import ClassVar


def invalid_field(field: str, description: str):
    # Imported when a name is refused, not with this module: models.py formats names, and
    # defining a schema should not load gRPC (services.common.errors builds gRPC statuses).
    from services.common.errors import invalid_field as refuse

    return refuse(field, description)

__all__ = [
    "RESOURCE_NAMES",
    "ApplicationName",
    "AuditRecordName",
    "CalendarYearName",
    "CaseEventName",
    "CaseName",
    "CourtName",
    "DepartmentName",
    "MessageName",
    "NodeName",
    "NodeRuleName",
    "SmsDeliveryName",
    "StageViewName",
    "UserName",
    "WILDCARD",
    "court_of",
    "pattern_values",
]

# AIP-159: "-" stands for every collection member in a list's parent.
WILDCARD = "-"

_COURT = re.compile(r"[0-9]{2,12}")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_USER = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")


def _segments(name: str, pattern: str, field: str, label: str) -> list[str]:
    """The variable segments of ``name`` read against ``pattern`` ("courts/{court}/cases/{case}")."""
    words = pattern.split("/")
    parts = name.split("/") if isinstance(name, str) else []
    if len(parts) != len(words) or any(w != p for w, p in zip(words, parts) if not w.startswith("{")):
        raise invalid_field(field, f"「{name}」不是{label}名称，应为 {pattern}")
    values = [p for w, p in zip(words, parts) if w.startswith("{")]
    if any(not v for v in values):
        raise invalid_field(field, f"「{name}」不是{label}名称，应为 {pattern}（各段不能为空）")
    return values


def _court(value: str, field: str, *, wildcard: bool = False) -> str:
    if wildcard and value == WILDCARD:
        return value
    if not _COURT.fullmatch(value):
        raise invalid_field(field, f"法院代码「{value}」须为 2–12 位数字")
    return value


def _uuid(value: str, field: str, what: str, *, wildcard: bool = False) -> uuid.UUID | None:
    if wildcard and value == WILDCARD:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise invalid_field(field, f"{what}标识「{value}」不是有效的 UUID") from None


def _slug(value: str, field: str, what: str, *, wildcard: bool = False) -> str | None:
    if wildcard and value == WILDCARD:
        return None
    if not _SLUG.fullmatch(value):
        raise invalid_field(field, f"{what}代码「{value}」只能由字母、数字和 . _ - 组成")
    return value


def court_of(name: str) -> str:
    """The court of any name under ``courts/{court}`` (a case, node, rule …), unchecked.

    For names CourtFlow produced itself (events, stored rows). A name from a request is parsed
    with its class instead, which checks it.
    """
    return name.split("/", 2)[1]


@dataclass(frozen=True)
class CourtName:
    court: str
    PATTERN: ClassVar[str] = "courts/{court}"

    @classmethod
    def parse(cls, name: str, field: str = "name", *, wildcard: bool = False) -> CourtName:
        (court,) = _segments(name, cls.PATTERN, field, "法院")
        return cls(_court(court, field, wildcard=wildcard))

    def __str__(self) -> str:
        return f"courts/{self.court}"


@dataclass(frozen=True)
class DepartmentName:
    court: str
    department: str
    PATTERN: ClassVar[str] = "courts/{court}/departments/{department}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> DepartmentName:
        court, department = _segments(name, cls.PATTERN, field, "部门")
        return cls(_court(court, field), _slug(department, field, "部门"))

    def __str__(self) -> str:
        return f"courts/{self.court}/departments/{self.department}"


@dataclass(frozen=True)
class UserName:
    user: str
    PATTERN: ClassVar[str] = "users/{user}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> UserName:
        (user,) = _segments(name, cls.PATTERN, field, "用户")
        if user != "me" and not _USER.fullmatch(user):
            raise invalid_field(field, f"用户名「{user}」只能由小写字母、数字和 . _ - 组成")
        return cls(user)

    def __str__(self) -> str:
        return f"users/{self.user}"


@dataclass(frozen=True)
class CaseName:
    """``courts/{court}/cases/{case}``; as a list parent court and case may be ``-`` (``case`` None)."""

    court: str
    case: uuid.UUID | None
    PATTERN: ClassVar[str] = "courts/{court}/cases/{case}"

    @classmethod
    def parse(cls, name: str, field: str = "name", *, wildcard: bool = False) -> CaseName:
        court, case = _segments(name, cls.PATTERN, field, "案件")
        return cls(_court(court, field, wildcard=wildcard), _uuid(case, field, "案件", wildcard=wildcard))

    @property
    def case_id(self) -> uuid.UUID:
        assert self.case is not None, "a wildcard case name names no single case"
        return self.case

    def __str__(self) -> str:
        return f"courts/{self.court}/cases/{self.case or WILDCARD}"


@dataclass(frozen=True)
class CaseEventName:
    court: str
    case: uuid.UUID
    event: uuid.UUID
    PATTERN: ClassVar[str] = "courts/{court}/cases/{case}/events/{event}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> CaseEventName:
        court, case, event = _segments(name, cls.PATTERN, field, "案件事件")
        return cls(_court(court, field), _uuid(case, field, "案件"), _uuid(event, field, "事件"))

    def __str__(self) -> str:
        return f"courts/{self.court}/cases/{self.case}/events/{self.event}"


@dataclass(frozen=True)
class NodeName:
    """``courts/{court}/cases/{case}/nodes/{node}``; as a list parent court, case and node may be ``-``."""

    court: str
    case: uuid.UUID | None
    node: str | None
    PATTERN: ClassVar[str] = "courts/{court}/cases/{case}/nodes/{node}"
    # Which "/"-separated part holds the case id, counted from 1: for SQL that reads a case id from
    # stored names (PostgreSQL's split_part), where there are names and no rows to join.
    CASE_PART: ClassVar[int] = PATTERN.split("/").index("{case}") + 1

    @classmethod
    def parse(cls, name: str, field: str = "name", *, wildcard: bool = False) -> NodeName:
        court, case, node = _segments(name, cls.PATTERN, field, "节点")
        return cls(_court(court, field, wildcard=wildcard), _uuid(case, field, "案件", wildcard=wildcard),
                   _slug(node, field, "节点", wildcard=wildcard))

    @property
    def case_id(self) -> uuid.UUID:
        assert self.case is not None, "a wildcard node name names no single case"
        return self.case

    @property
    def case_name(self) -> CaseName:
        return CaseName(self.court, self.case)

    def __str__(self) -> str:
        return f"courts/{self.court}/cases/{self.case or WILDCARD}/nodes/{self.node or WILDCARD}"


@dataclass(frozen=True)
class ApplicationName:
    court: str
    case: uuid.UUID
    node: str
    application: uuid.UUID
    PATTERN: ClassVar[str] = "courts/{court}/cases/{case}/nodes/{node}/applications/{application}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> ApplicationName:
        court, case, node, application = _segments(name, cls.PATTERN, field, "申请")
        return cls(_court(court, field), _uuid(case, field, "案件"), _slug(node, field, "节点"),
                    _uuid(application, field, "申请"))

    @property
    def node_name(self) -> NodeName:
        return NodeName(self.court, self.case, self.node)

    def __str__(self) -> str:
        return f"{self.node_name}/applications/{self.application}"


@dataclass(frozen=True)
class NodeRuleName:
    court: str
    code: str
    PATTERN: ClassVar[str] = "courts/{court}/nodeRules/{node_rule}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> NodeRuleName:
        court, code = _segments(name, cls.PATTERN, field, "节点规则")
        return cls(_court(court, field), _slug(code, field, "节点规则"))

    def __str__(self) -> str:
        return f"courts/{self.court}/nodeRules/{self.code}"


@dataclass(frozen=True)
class StageViewName:
    """``courts/{court}/stageViews/{stage}``, the stage as its lower-case slug (``filing``)."""

    court: str
    stage: str
    PATTERN: ClassVar[str] = "courts/{court}/stageViews/{stage_view}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> StageViewName:
        court, stage = _segments(name, cls.PATTERN, field, "阶段视图")
        return cls(_court(court, field), _slug(stage, field, "阶段"))

    def __str__(self) -> str:
        return f"courts/{self.court}/stageViews/{self.stage}"


@dataclass(frozen=True)
class MessageName:
    """A system message in a user's inbox, ``users/{user}/messages/{message}``."""

    user: str
    message: uuid.UUID
    PATTERN: ClassVar[str] = "users/{user}/messages/{message}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> MessageName:
        user, message = _segments(name, cls.PATTERN, field, "消息")
        return cls(UserName.parse(f"users/{user}", field).user, _uuid(message, field, "消息"))

    def __str__(self) -> str:
        return f"users/{self.user}/messages/{self.message}"


@dataclass(frozen=True)
class SmsDeliveryName:
    user: str
    sms_delivery: uuid.UUID
    PATTERN: ClassVar[str] = "users/{user}/smsDeliveries/{sms_delivery}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> SmsDeliveryName:
        user, delivery = _segments(name, cls.PATTERN, field, "短信")
        return cls(UserName.parse(f"users/{user}", field).user, _uuid(delivery, field, "短信"))

    def __str__(self) -> str:
        return f"users/{self.user}/smsDeliveries/{self.sms_delivery}"


def _number(value: str, field: str, what: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise invalid_field(field, f"{what}「{value}」须为数字")
    return int(value)


@dataclass(frozen=True)
class AuditRecordName:
    """``auditRecords/{audit_record}``, the record's sequence number in the chain."""

    sequence: int
    PATTERN: ClassVar[str] = "auditRecords/{audit_record}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> AuditRecordName:
        (sequence,) = _segments(name, cls.PATTERN, field, "审计记录")
        return cls(_number(sequence, field, "审计记录序号"))

    def __str__(self) -> str:
        return f"auditRecords/{self.sequence}"


@dataclass(frozen=True)
class CalendarYearName:
    year: int
    PATTERN: ClassVar[str] = "calendarYears/{calendar_year}"

    @classmethod
    def parse(cls, name: str, field: str = "name") -> CalendarYearName:
        (year,) = _segments(name, cls.PATTERN, field, "节假日年度")
        return cls(_number(year, field, "年份"))

    def __str__(self) -> str:
        return f"calendarYears/{self.year}"


# Every kind of name, by its pattern: the protos' google.api.resource patterns are these words.
RESOURCE_NAMES: dict[str, type] = {cls.PATTERN: cls for cls in (
    CourtName, DepartmentName, UserName, CaseName, CaseEventName, NodeName, ApplicationName, NodeRuleName,
    StageViewName, MessageName, SmsDeliveryName, AuditRecordName, CalendarYearName)}


def pattern_values(name) -> dict[str, str]:
    """A parsed name's value of each variable of its pattern, in order (``CaseName`` → ``{"court":
    "440101", "case": "…"}``), read from its canonical text."""
    words = name.PATTERN.split("/")
    return {w[1:-1]: part for w, part in zip(words, str(name).split("/")) if w.startswith("{")}

