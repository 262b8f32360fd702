"""Cases as the case service understands them, and the rules for registering one."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from courtflow.case.v1.case_pb2 import CaseType

from services.common.errors import invalid_field
from services.common.names import CaseName, CourtName, DepartmentName


@dataclass(frozen=True)
class Party:
    role: int
    display_name: str


@dataclass(frozen=True)
class NewCase:
    """A filed case as a court system reports it (立案)."""

    court: str
    case_number: str
    case_type: int
    procedure: int
    cause: str
    parties: tuple[Party, ...]
    department: str
    handler: str
    filing_date: date | None      # None: registered at receipt, awaiting the filing decision (S1)
    receive_date: date | None     # None: the filing date
    custody: bool
    request_id: str
    assistant: str = ""
    clerk: str = ""
    panel: tuple[str, ...] = ()
    foreign_related: bool = False      # 涉外
    private_prosecution: bool = False  # 自诉 (criminal only)


@dataclass(frozen=True)
class Case:
    id: uuid.UUID
    court: str
    case_number: str
    case_type: int
    procedure: int
    cause: str
    parties: tuple[Party, ...]
    department: str
    handler: str
    filing_date: date | None
    receive_date: date
    custody: bool
    state: int
    locked: bool
    create_time: datetime
    update_time: datetime
    locked_nodes: tuple[str, ...] = ()   # names of the nodes whose locks hold the case
    # Key dates (R1), set by its events (lifecycle.py): 宣判、生效、结案、归档.
    judgment_date: date | None = None
    effective_date: date | None = None
    close_date: date | None = None
    archive_date: date | None = None
    etag: str = ""
    assistant: str = ""
    clerk: str = ""
    panel: tuple[str, ...] = ()
    foreign_related: bool = False
    private_prosecution: bool = False

    @property
    def name(self) -> str:
        return str(CaseName(self.court, self.id))


def check_new_case(new: NewCase, *, today: date) -> None:
    """Rules protovalidate cannot express: they need the clock or relate two fields."""
    if DepartmentName.parse(new.department, "case.department").court != new.court:
        raise invalid_field("case.department", f"承办部门必须属于立案法院 {CourtName(new.court)}")
    if new.filing_date is None and new.receive_date is None:
        raise invalid_field("case.filing_date", "立案日期与收案日期至少填写一项")
    for field, label, day in (("case.filing_date", "立案日期", new.filing_date),
                              ("case.receive_date", "收案日期", new.receive_date)):
        if day is not None and day > today:
            raise invalid_field(field, f"{label} {day} 晚于今天 {today}")
        if day is not None and day.year < 1990:
            raise invalid_field(field, f"{label}早于1990年")
    if new.filing_date is not None and new.receive_date is not None and new.receive_date > new.filing_date:
        raise invalid_field("case.receive_date", f"收案日期 {new.receive_date} 晚于立案日期 {new.filing_date}")
    numbered = new.filing_date or new.receive_date
    if f"（{numbered.year}）" not in new.case_number:
        word = "立案" if new.filing_date else "收案"
        raise invalid_field("case.case_number", f"案号年份应为{word}年份 {numbered.year}")
    check_private_prosecution(new.case_type, new.private_prosecution)


def check_private_prosecution(case_type: int, private_prosecution: bool) -> None:
    """自诉 is a kind of criminal case (刑事诉讼法第二百一十条)."""
    if private_prosecution and case_type != CaseType.CASE_TYPE_CRIMINAL:
        raise invalid_field("case.private_prosecution", "只有刑事案件可以是自诉案件")


def check_posted_date(posted: date | None, *, occur_date: date, receive_date: date) -> None:
    """A document posted (交邮) arrives on or after the day it was posted, which is in the case's life."""
    if posted is None:
        return
    if posted > occur_date:
        raise invalid_field("case_event.posted_date", f"交邮日期 {posted} 晚于事件日期 {occur_date}")
    if posted < receive_date:
        raise invalid_field("case_event.posted_date", f"交邮日期 {posted} 早于收案日期 {receive_date}")


def check_event_date(occur: date, *, receive_date: date, today: date) -> None:
    if occur > today:
        raise invalid_field("case_event.occur_date", f"事件日期 {occur} 晚于今天 {today}")
    if occur < receive_date:
        raise invalid_field("case_event.occur_date", f"事件日期 {occur} 早于收案日期 {receive_date}")
