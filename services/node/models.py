"""Tables of the `nodes` schema: node instances and the due-queue."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (ARRAY, Date, DateTime, Index, Integer, MetaData, SmallInteger, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.dialects.postgresql import ARRAY as PG_ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import messaging
from services.common.names import ApplicationName, CaseName, NodeName

SCHEMA = "nodes"
metadata = MetaData(schema=SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


def node_id(code: str, instance: int) -> str:
    """A node's id within its case: the catalogue code, with "-N" from the second instance on."""
    return code if instance == 1 else f"{code}-{instance}"


def split_node_id(text: str) -> tuple[str, int]:
    code, _, n = text.partition("-")
    return code, int(n) if n else 1


class NodeRow(Base):
    __tablename__ = "nodes"
    __table_args__ = (
        Index("nodes_case", "case_id", "node_type", "instance", unique=True),
        Index("nodes_court_department", "court", "department"),
        Index("nodes_court_responsible", "court", "responsible"),
        Index("nodes_calendar_unknown", "due_date", postgresql_where=text("NOT calendar_known")),
        Index("nodes_locked_case", "case_id", postgresql_where=text("locked")),
        Index("nodes_team", "team", postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    court: Mapped[str] = mapped_column(String(12))
    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    case_number: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(120))
    responsible: Mapped[str] = mapped_column(String(80))
    node_type: Mapped[str] = mapped_column(String(63))
    display_name: Mapped[str] = mapped_column(String(100))
    stage: Mapped[int] = mapped_column(SmallInteger)
    category: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(Text)
    catalog_version: Mapped[str] = mapped_column(String(40))
    state: Mapped[int] = mapped_column(SmallInteger)
    anchor_date: Mapped[date] = mapped_column(Date)
    # The deadline's inputs besides the anchor: the rule's period ("6m"), the custody flag (a
    # custody term held in custody, which does not roll) and the rule's own rollover (false for a
    # measure that must be renewed before it lapses, 民诉法解释 485).
    period: Mapped[str] = mapped_column(String(10))
    custody: Mapped[bool]
    rollover: Mapped[bool]
    # The rule's due_before day for this node (catalog.DueBefore: at the latest three days before
    # the hearing), or None: the due date is the earlier of the period's end and it.
    latest_due: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    calendar_known: Mapped[bool]
    explanation: Mapped[list] = mapped_column(JSONB)
    warning_rungs: Mapped[list[int]] = mapped_column(ARRAY(Integer))
    deadline_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    warned: Mapped[bool]
    open_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    warning_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    overdue_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    complete_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The legal day it was done: the completing event's date, or the day its document was posted
    # (在途时间不计入期间, 民事诉讼法第八十五条). None while open.
    completed_on: Mapped[date | None] = mapped_column(Date)
    # W3C trace context of the event that opened the node: reminders fired months later
    # continue that trace, so a reminder can be followed back to the filing that caused it.
    trace_context: Mapped[dict] = mapped_column(JSONB)
    overdue_action: Mapped[str] = mapped_column(String(8))
    # The clock's inputs besides anchor and period (DOMAIN §6): approved extensions
    # [{period, reason, application}] and deducted or suspended spans [{start, end, reason, application}].
    extensions: Mapped[list] = mapped_column(JSONB)
    exclusions: Mapped[list] = mapped_column(JSONB)
    suspended_since: Mapped[date | None] = mapped_column(Date)
    suspension_application: Mapped[str | None] = mapped_column(String(200))
    clock_generation: Mapped[int] = mapped_column(Integer)
    change_count: Mapped[int] = mapped_column(Integer)
    locked: Mapped[bool]
    lock_type: Mapped[int | None] = mapped_column(SmallInteger)
    lock_reason: Mapped[str | None] = mapped_column(Text)
    lock_date: Mapped[date | None] = mapped_column(Date)
    lock_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unlock_date: Mapped[date | None] = mapped_column(Date)
    unlock_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unlock_user: Mapped[str | None] = mapped_column(String(80))
    unlock_application: Mapped[str | None] = mapped_column(String(200))

    # 1 for the first node of its rule in the case; a repeating rule numbers the next ones 2, 3, …
    instance: Mapped[int] = mapped_column(SmallInteger)
    # The catalogue's responsible role and supervisors at opening; `responsible` holds the role.
    responsible_role: Mapped[str] = mapped_column(String(30))
    supervisors: Mapped[list[str]] = mapped_column(ARRAY(String(30)))
    # The case's people (handler, judge assistant, clerk, panel), kept on every node of the case
    # as the case changes: each sees the case's nodes within their own scope (scope.py).
    # (PostgreSQL's ARRAY: its @> finds a person's nodes through the GIN index nodes_team.)
    team: Mapped[list[str]] = mapped_column(PG_ARRAY(String(80)), default=list)
    # The case events that opened and completed the node ("courts/…/events/…"; NULL for the
    # filing, or before migration 0009): a revoked closing re-opens the nodes its CLOSED event
    # completed and withdraws those it opened (reopening.py).
    opened_by: Mapped[str | None] = mapped_column(String(200))
    completed_by: Mapped[str | None] = mapped_column(String(200))
    # Ended because the event that opened it was undone; it no longer counts as opened (a later
    # closing opens its rule anew).
    withdrawn: Mapped[bool] = mapped_column(default=False)

    @property
    def node_id(self) -> str:
        return node_id(self.node_type, self.instance)

    @property
    def name(self) -> str:
        return str(NodeName(self.court, self.case_id, self.node_id))

    @property
    def case_name(self) -> str:
        return str(CaseName(self.court, self.case_id))


class PersonRow(Base):
    """Projection of the gateway's org directory (UserChanged): who holds a responsible role."""

    __tablename__ = "people"
    __table_args__ = (Index("people_role", "court", "role"),)

    user: Mapped[str] = mapped_column(String(80), primary_key=True)    # "users/{username}"
    role: Mapped[int] = mapped_column(SmallInteger)
    court: Mapped[str] = mapped_column(String(12))
    department: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool]


class DueTimerRow(Base):
    """One warning rung (rung = days before due), the deadline (rung = 0) or an escalation rung
    (rung = -N: N days overdue, armed when the node goes overdue) of a node.

    The primary key makes each (node, rung) fire at most once, whatever the number of sweepers.
    """

    __tablename__ = "due_timers"
    __table_args__ = (
        Index("due_timers_pending", "fire_at", postgresql_where=text("fired_at IS NULL")),
    )

    node_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    rung: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    fire_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(20))


class ApplicationRow(Base):
    """An application to change a node's clock or to unlock it, and its decision (S11)."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("court", "request_id", name="applications_court_request_id"),
        Index("applications_node", "node_id", "create_time"),
        Index("applications_pending", "court", postgresql_where=text("state = 1")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    court: Mapped[str] = mapped_column(String(12))
    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    node_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    node_type: Mapped[str] = mapped_column(String(63))   # the node's id in its case (see node_id)
    # The node's department and responsible person, for scope filtering of the approval queue.
    department: Mapped[str] = mapped_column(String(120))
    responsible: Mapped[str] = mapped_column(String(80))
    kind: Mapped[int] = mapped_column(SmallInteger)
    reason_code: Mapped[str] = mapped_column(String(63))
    reason: Mapped[str] = mapped_column(String(1000))
    materials: Mapped[list[str]] = mapped_column(ARRAY(String(200)))
    extension: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    state: Mapped[int] = mapped_column(SmallInteger)
    applicant: Mapped[str] = mapped_column(String(80))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    warnings: Mapped[list] = mapped_column(JSONB)  # [{code, message}]
    required_level: Mapped[int] = mapped_column(SmallInteger)
    approver: Mapped[str | None] = mapped_column(String(80))
    approver_role: Mapped[int | None] = mapped_column(SmallInteger)
    approver_court: Mapped[str | None] = mapped_column(String(12))
    decision_comment: Mapped[str | None] = mapped_column(String(1000))
    decide_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_date_before: Mapped[date | None] = mapped_column(Date)
    due_date_after: Mapped[date | None] = mapped_column(Date)
    request_id: Mapped[str] = mapped_column(String(64))

    @property
    def node_name(self) -> str:
        return str(NodeName(self.court, self.case_id, self.node_type))

    @property
    def name(self) -> str:
        return str(ApplicationName(self.court, self.case_id, self.node_type, self.id))


class CaseDateRow(Base):
    """A date of a case that hearing scheduling checks (S5), from the case event that reported it."""

    __tablename__ = "case_dates"
    __table_args__ = (Index("case_dates_case", "case_id", "kind"),)

    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # complaint_served, evidence_notice_served, summons_served, hearing_scheduled, hearing_held,
    # hearing_adjourned; evidence_period_end (the last day of an evidence period the court set)
    kind: Mapped[str] = mapped_column(String(30))
    day: Mapped[date] = mapped_column(Date)


class RuleOverrideRow(Base):
    """A court's override of a catalogue rule, for itself and the courts below it (R4)."""

    __tablename__ = "rule_overrides"
    court: Mapped[str] = mapped_column(String(12), primary_key=True)
    code: Mapped[str] = mapped_column(String(63), primary_key=True)
    period: Mapped[str | None] = mapped_column(String(10))            # NULL: as the court above says
    warning_rungs: Mapped[list[int] | None] = mapped_column(ARRAY(Integer))
    overdue_action: Mapped[str | None] = mapped_column(String(8))
    update_user: Mapped[str] = mapped_column(String(80))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StageViewRow(Base):
    """The node categories a stage shows on a court's supervision platform (P2)."""

    __tablename__ = "stage_views"
    court: Mapped[str] = mapped_column(String(12), primary_key=True)
    stage: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    update_user: Mapped[str] = mapped_column(String(80))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarYearRow(Base):
    """A year's holiday schedule imported by an administrator; it overrides the built-in one."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    holidays: Mapped[list[date]] = mapped_column(ARRAY(Date))
    workdays: Mapped[list[date]] = mapped_column(ARRAY(Date))
    source: Mapped[str] = mapped_column(String(200))
    import_user: Mapped[str] = mapped_column(String(80))
    import_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


MESSAGING = messaging(metadata)
