"""Cases as the case service understands them, and the rules for registering one."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure

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


# The longest evidence period the court may set or approve, by civil procedure (民诉法解释第二百六十六条:
# simplified, at most fifteen days; 第二百七十五条: small claims, at most seven). The floors of 第九十九条
# (fifteen days in ordinary first instance, ten for new evidence on appeal) bind the period the court
# sets itself, not one the parties agreed and the court approved (第九十九条第一款), which an event does
# not tell apart: a shorter period there is taken as given.
EVIDENCE_PERIOD_CAPS = {Procedure.PROCEDURE_SIMPLIFIED: (15, "民诉法解释第二百六十六条：简易程序举证期限不得超过十五日"),
                        Procedure.PROCEDURE_SMALL_CLAIMS: (7, "民诉法解释第二百七十五条：小额诉讼举证期限一般不超过七日")}
PUBLIC_SUMMONS_DAYS = 60     # 民事诉讼法公示催告程序：公示催告的期间不得少于六十日
AFTER_PAYMENT_DAYS = 15      # 民诉法解释公示催告程序：届满日不得早于票据付款日后十五日


def check_court_period(*, event_type: int, document: str, case_type: int, procedure: int, occur_date: date,
                       period_days: int, bill_payment_date: date | None) -> None:
    """A period the court set in a notice (CaseEvent.period_days), and a bill's payment date, on the
    events that carry them and within the law's bounds; the error names the field and the rule."""
    evidence = event_type == CaseEventType.CASE_EVENT_TYPE_DOCUMENT_SERVED and document == "evidence_notice"
    summons = event_type == CaseEventType.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED
    if period_days and not (evidence or summons):
        raise invalid_field("case_event.period_days", "仅举证通知书送达（举证期限）和公示催告公告（公示催告期间）填写期间天数")
    if bill_payment_date is not None and not summons:
        raise invalid_field("case_event.bill_payment_date", "仅公示催告公告填写票据付款日")
    if evidence and period_days and case_type == CaseType.CASE_TYPE_CIVIL and procedure in EVIDENCE_PERIOD_CAPS:
        cap, basis = EVIDENCE_PERIOD_CAPS[procedure]
        if period_days > cap:
            raise invalid_field("case_event.period_days", f"举证期限 {period_days} 日超过 {cap} 日（{basis}）")
    if not summons:
        return
    if period_days < PUBLIC_SUMMONS_DAYS:
        given = f"为 {period_days} 日" if period_days else "未填写"
        raise invalid_field("case_event.period_days", f"公示催告期间{given}，不得少于六十日（民事诉讼法公示催告程序）")
    # Counted from the day after the notice; the unrolled last day is the earliest it can end.
    end, earliest = occur_date + timedelta(days=period_days), None
    if bill_payment_date is not None:
        earliest = bill_payment_date + timedelta(days=AFTER_PAYMENT_DAYS)
    if earliest is not None and end < earliest:
        raise invalid_field("case_event.period_days",
                            f"公示催告期间至 {end} 届满，早于票据付款日 {bill_payment_date} 后十五日（{earliest}），"
                            f"至少应为 {(earliest - occur_date).days} 日（民诉法解释公示催告程序）")


def check_event_date(occur: date, *, receive_date: date, today: date) -> None:
    if occur > today:
        raise invalid_field("case_event.occur_date", f"事件日期 {occur} 晚于今天 {today}")
    if occur < receive_date:
        raise invalid_field("case_event.occur_date", f"事件日期 {occur} 早于收案日期 {receive_date}")
