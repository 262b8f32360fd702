"""Tables of the `cases` schema."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, MetaData, SmallInteger, String, Text, UniqueConstraint, true
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import messaging

SCHEMA = "cases"
metadata = MetaData(schema=SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("court", "case_number", name="cases_court_case_number"),
        UniqueConstraint("court", "request_id", name="cases_court_request_id"),
        Index("cases_court_handler", "court", "handler"),
        Index("cases_court_department", "court", "department"),
        # The team sees its cases too (scope.py): assistant, clerk, panel member.
        Index("cases_court_assistant", "court", "assistant"),
        Index("cases_court_clerk", "court", "clerk"),
        Index("cases_panel", "panel", postgresql_using="gin", postgresql_ops={"panel": "jsonb_path_ops"}),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    court: Mapped[str] = mapped_column(String(12))
    case_number: Mapped[str] = mapped_column(String(64))
    case_type: Mapped[int] = mapped_column(SmallInteger)
    procedure: Mapped[int] = mapped_column(SmallInteger)
    cause: Mapped[str] = mapped_column(String(100))
    parties: Mapped[list] = mapped_column(JSONB)
    department: Mapped[str] = mapped_column(String(120))
    handler: Mapped[str] = mapped_column(String(80))
    # The rest of the case's team: 法官助理, 书记员 ("" when none) and 合议庭成员.
    assistant: Mapped[str] = mapped_column(String(80), default="")
    clerk: Mapped[str] = mapped_column(String(80), default="")
    panel: Mapped[list] = mapped_column(JSONB, default=list)
    filing_date: Mapped[date | None] = mapped_column(Date)   # NULL: received, not filed yet (S1)
    receive_date: Mapped[date] = mapped_column(Date)
    custody: Mapped[bool]
    # 涉外 and 自诉: which time limits the catalogue opens (Case.foreign_related, private_prosecution).
    foreign_related: Mapped[bool] = mapped_column(default=False)
    private_prosecution: Mapped[bool] = mapped_column(default=False)
    state: Mapped[int] = mapped_column(SmallInteger)
    # The key dates of its life (R1), set by its events (domain.apply_event).
    judgment_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    close_date: Mapped[date | None] = mapped_column(Date)
    archive_date: Mapped[date | None] = mapped_column(Date)
    locked: Mapped[bool]
    request_id: Mapped[str] = mapped_column(String(64))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseEventRow(Base):
    __tablename__ = "case_events"
    __table_args__ = (
        UniqueConstraint("court", "request_id", name="case_events_court_request_id"),
        Index("case_events_case", "case_id", "occur_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    court: Mapped[str] = mapped_column(String(12))
    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    event_type: Mapped[int] = mapped_column(SmallInteger)
    occur_date: Mapped[date] = mapped_column(Date)
    hearing_date: Mapped[date | None] = mapped_column(Date)  # HEARING_SCHEDULED only
    posted_date: Mapped[date | None] = mapped_column(Date)   # 交邮日期, for a document sent by post
    # The days of a period the court set in the notice (举证期限, 公示催告期间); 0: none given.
    period_days: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    bill_payment_date: Mapped[date | None] = mapped_column(Date)   # 票据付款日 (公示催告)
    document: Mapped[str] = mapped_column(String(63))
    detail: Mapped[str] = mapped_column(String(500))
    request_id: Mapped[str] = mapped_column(String(64))
    recorder: Mapped[str] = mapped_column(String(80))
    record_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # False for the CLOSED events recorded before the node service kept the event that completed
    # each node (migration 0012): revoking such a closing would re-open nothing (lifecycle.py).
    nodes_tracked: Mapped[bool] = mapped_column(server_default=true())

    @property
    def name(self) -> str:
        return f"courts/{self.court}/cases/{self.case_id}/events/{self.id}"


class CaseChangeRow(Base):
    """One UpdateCase or RevokeCaseClosing: what changed from what to what, why and by whom (its
    request id makes a retry answer with the case instead of changing it twice)."""

    __tablename__ = "case_changes"
    __table_args__ = (
        UniqueConstraint("court", "request_id", name="case_changes_court_request_id"),
        Index("case_changes_case", "case_id", "change_time"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    court: Mapped[str] = mapped_column(String(12))
    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    request_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[int] = mapped_column(SmallInteger)
    before: Mapped[dict] = mapped_column(JSONB)   # the changed fields' old values
    after: Mapped[dict] = mapped_column(JSONB)    # and their new ones
    effective_date: Mapped[date] = mapped_column(Date)
    changer: Mapped[str] = mapped_column(String(80))
    # A revoked closing's stated reason (why the closing was wrong); "" for UpdateCase.
    note: Mapped[str] = mapped_column(String(500), default="")
    change_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseLockRow(Base):
    """A node's lock on its case, as NodeLocked reported it; gone once NodeUnlocked arrives."""

    __tablename__ = "case_locks"

    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    node: Mapped[str] = mapped_column(String(200), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    lock_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


MESSAGING = messaging(metadata)


class PersonRow(Base):
    """Projection of the gateway's org directory (UserChanged): who may be given a case (people.py)."""

    __tablename__ = "people"

    user: Mapped[str] = mapped_column(String(80), primary_key=True)    # "users/{username}"
    role: Mapped[int] = mapped_column(SmallInteger)
    court: Mapped[str] = mapped_column(String(12))
    department: Mapped[str] = mapped_column(String(120))             # "" for court-wide roles
    active: Mapped[bool]
