"""Cases as the case service understands them, and the rules for registering one."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from services.common.errors import invalid_field


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
    filing_date: date
    custody: bool
    request_id: str


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
    filing_date: date
    custody: bool
    state: int
    locked: bool
    create_time: datetime
    update_time: datetime
    locked_nodes: tuple[str, ...] = ()   # names of the nodes whose locks hold the case

    @property
    def name(self) -> str:
        return case_name(self.court, self.id)


def case_name(court: str, case_id: uuid.UUID) -> str:
    return f"courts/{court}/cases/{case_id}"


def check_new_case(new: NewCase, *, today: date) -> None:
    """Rules protovalidate cannot express: they need the clock or relate two fields."""
    if not new.department.startswith(f"courts/{new.court}/departments/"):
        raise invalid_field("case.department", f"承办部门必须属于立案法院 courts/{new.court}")
    if new.filing_date > today:
        raise invalid_field("case.filing_date", f"立案日期 {new.filing_date} 晚于今天 {today}")
    if new.filing_date.year < 1990:
        raise invalid_field("case.filing_date", "立案日期早于1990年")
    if f"（{new.filing_date.year}）" not in new.case_number:
        raise invalid_field("case.case_number", f"案号年份应为立案年份 {new.filing_date.year}")


def check_event_date(occur: date, *, filing_date: date, today: date) -> None:
    if occur > today:
        raise invalid_field("case_event.occur_date", f"事件日期 {occur} 晚于今天 {today}")
    if occur < filing_date:
        raise invalid_field("case_event.occur_date", f"事件日期 {occur} 早于立案日期 {filing_date}")
