"""Tables of the `stats` schema: the supervision platform's read model (a row per case and per
node, and each node's history) and the older counters per (court, department, stage)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Index, Integer, MetaData, SmallInteger, String, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import messaging

SCHEMA = "stats"
metadata = MetaData(schema=SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class NodeStateRow(Base):
    __tablename__ = "node_states"
    node: Mapped[str] = mapped_column(String(300), primary_key=True)
    cell: Mapped[str] = mapped_column(String(200))
    state: Mapped[int] = mapped_column(SmallInteger)
    overdue_without_warning: Mapped[bool]
    generation: Mapped[int] = mapped_column(Integer)  # the node's clock generation (see counting.py)


class NodeCountRow(Base):
    """Counters of one cell; `cell` = "court|department|stage" is the key and the page order."""

    __tablename__ = "node_counts"
    cell: Mapped[str] = mapped_column(String(200), primary_key=True)
    court: Mapped[str] = mapped_column(String(12), index=True)
    department: Mapped[str] = mapped_column(String(120))
    stage: Mapped[int] = mapped_column(SmallInteger)
    open_count: Mapped[int] = mapped_column(BigInteger)
    warning_count: Mapped[int] = mapped_column(BigInteger)
    overdue_count: Mapped[int] = mapped_column(BigInteger)
    overdue_without_warning_count: Mapped[int] = mapped_column(BigInteger)


class CaseViewRow(Base):
    """A case as the supervision platform reads it, from the case service's events. `version` is
    the case's update time: an older snapshot arriving late changes nothing."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("cases_court_department", "court", "department"),
        Index("cases_court_filing", "court", "filing_date"),
        Index("cases_team", "team", postgresql_using="gin"),
        # Q2: the open cases filed in the days of a month before a day (quality_counts.py).
        Index("cases_open_filing", "filing_date", postgresql_where=text("close_date IS NULL")),
        # A court's page of a past day's cases, in case id order (repository._supervised_cases_as_of).
        Index("cases_court_case", "court", "case_id"),
        # Q2 over a period starting within a month: the cases received or closed on its first days.
        Index("cases_receive_date", "receive_date"),
        Index("cases_close_date", "close_date", postgresql_where=text("close_date IS NOT NULL")),
    )
    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    court: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(12))       # the intermediate court above (片区)
    department: Mapped[str] = mapped_column(String(120))
    handler: Mapped[str] = mapped_column(String(80))
    # The case's people (handler, judge assistant, clerk, panel; scope.case_team): own-scope
    # statistics count the cases the caller is on (PostgreSQL's @> through the GIN index cases_team).
    team: Mapped[list[str]] = mapped_column(ARRAY(String(80)), default=list)
    case_number: Mapped[str] = mapped_column(String(80))
    case_type: Mapped[int] = mapped_column(SmallInteger)
    procedure: Mapped[int] = mapped_column(SmallInteger)
    cause: Mapped[str] = mapped_column(String(200))
    parties: Mapped[str] = mapped_column(String(1000))    # for display: 原告：张三；被告：李四
    state: Mapped[int] = mapped_column(SmallInteger)
    custody: Mapped[bool]
    receive_date: Mapped[date | None] = mapped_column(Date)
    filing_date: Mapped[date | None] = mapped_column(Date)
    judgment_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    close_date: Mapped[date | None] = mapped_column(Date)
    archive_date: Mapped[date | None] = mapped_column(Date)
    version: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When the case entered CourtFlow: a question about a past day leaves out the cases registered
    # after it, even those whose filing date (recorded late) is earlier.
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class _NodeStatus:
    """What a node event says of the node at its time: the part of a node that changes."""

    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))   # when the change happened
    generation: Mapped[int] = mapped_column(Integer)                # clock generation (counting.py)
    state: Mapped[int] = mapped_column(SmallInteger)                # NodeState
    status: Mapped[int] = mapped_column(SmallInteger)               # NodeStatus (worst of the generation)
    overdue_without_warning: Mapped[bool]
    locked: Mapped[bool]
    ever_locked: Mapped[bool]
    # Withdrawn by the node service (已撤回): its limit does not apply to the case (projection.py).
    withdrawn: Mapped[bool] = mapped_column(default=False)
    department: Mapped[str] = mapped_column(String(120))
    responsible: Mapped[str] = mapped_column(String(80))
    due_date: Mapped[date | None] = mapped_column(Date)
    warning_date: Mapped[date | None] = mapped_column(Date)
    overdue_date: Mapped[date | None] = mapped_column(Date)
    complete_date: Mapped[date | None] = mapped_column(Date)
    lock_date: Mapped[date | None] = mapped_column(Date)
    unlock_date: Mapped[date | None] = mapped_column(Date)
    lock_reason: Mapped[str] = mapped_column(String(500))
    lock_type: Mapped[int] = mapped_column(SmallInteger)


class NodeViewRow(_NodeStatus, Base):
    """A node as it stands now: what does not change (its case, court, stage, type) and its latest
    status, the one whose (generation, at, state rank, locked) is greatest (projection.py)."""

    __tablename__ = "nodes"
    __table_args__ = (
        Index("nodes_view_case", "case_id"),
        Index("nodes_view_court_department", "court", "department"),
        # The nodes with a lock on record, for a past day's locked and unlocked lists (repository._ever_locked).
        Index("nodes_lock_record", "node", postgresql_where=text("lock_date IS NOT NULL")),
        Index("nodes_lock_record_case", "case_id", postgresql_where=text("lock_date IS NOT NULL")),
    )
    node: Mapped[str] = mapped_column(String(300), primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    court: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(12))
    stage: Mapped[int] = mapped_column(SmallInteger)
    category: Mapped[str] = mapped_column(String(60))
    node_type: Mapped[str] = mapped_column(String(60))
    display_name: Mapped[str] = mapped_column(String(100))
    open_date: Mapped[date | None] = mapped_column(Date)   # the legal date the node opened


class NodeHistoryRow(_NodeStatus, Base):
    """Every status a node has had, at the time it had it: a question about a past day ("as of
    30 September") reads the last status before that day ended, and gets the same answer later.
    A redelivered event writes the same row again, which is refused (the primary key)."""

    __tablename__ = "node_history"
    node: Mapped[str] = mapped_column(String(300), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    locked: Mapped[bool] = mapped_column(primary_key=True)
    # This change approved an extension of the node's limit (延长审限, Q2's 延长审限率).
    extended: Mapped[bool] = mapped_column(default=False)


class CourtViewRow(Base):
    """A court of the org directory (CourtChanged): its name and level, and the court above it, for
    answers and reports that name courts. `version` is when the change happened: a late or
    redelivered event changes nothing."""

    __tablename__ = "courts"
    court: Mapped[str] = mapped_column(String(12), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(SmallInteger)      # courtflow.gateway.v1.CourtLevel
    parent: Mapped[str] = mapped_column(String(12))       # court id, "" for the high court
    version: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DepartmentViewRow(Base):
    """A department of the org directory (DepartmentChanged), as CourtViewRow."""

    __tablename__ = "departments"
    __table_args__ = (Index("departments_court", "court"),)
    name: Mapped[str] = mapped_column(String(120), primary_key=True)   # courts/{court}/departments/{id}
    court: Mapped[str] = mapped_column(String(12))
    display_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class _CubeKey:
    """The key of a cube row (cube.py): a rollup, the court and date bases, and the columns the
    rollup keeps (the others hold cube.ANY). The region is the court's, kept for grouping."""

    rollup: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    # The date bases (bit 1 << DateBasis) the case has a date on: in a rollup that keeps the month,
    # those whose date is in that month; all of the case's otherwise.
    bases: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    court: Mapped[str] = mapped_column(String(12), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)         # YYYY-MM of the basis date
    closed: Mapped[int] = mapped_column(SmallInteger, primary_key=True)     # 0, 1
    case_type: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    procedure: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    department: Mapped[str] = mapped_column(String(120), primary_key=True)  # the node's
    stage: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    region: Mapped[str] = mapped_column(String(12))


class CubeCaseRow(_CubeKey, Base):
    """How many cases (and of them closed) fall in a cube row with the same mask of node classes."""

    __tablename__ = "cube_cases"
    mask: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    cases: Mapped[int] = mapped_column(BigInteger)
    closed_cases: Mapped[int] = mapped_column(BigInteger)


class CubeNodeRow(_CubeKey, Base):
    """How many nodes of one class fall in a cube row."""

    __tablename__ = "cube_nodes"
    node_class: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    nodes: Mapped[int] = mapped_column(BigInteger)


class CubeSnapshotRow(Base):
    """A day whose cube has been counted and kept (cube.py: snapshots): the day, when, and the
    rollups counted (cube.snapshot_rollups; those taken before migration 0014 hold 1–7)."""

    __tablename__ = "cube_snapshots"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rollups: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger), server_default=text("'{1,2,3,4,5,6,7}'"))
    # The day's rows hold its counts minus the next day's (cube.snapshots_aging, migration 0016).
    delta: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class CubeSnapshotCaseRow(_CubeKey, Base):
    """A cube_cases row as it stood at the end of a period end `day` (migration 0009 puts the day
    first in the key)."""

    __tablename__ = "cube_snapshot_cases"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    mask: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    cases: Mapped[int] = mapped_column(BigInteger)
    closed_cases: Mapped[int] = mapped_column(BigInteger)


class CubeSnapshotNodeRow(_CubeKey, Base):
    """A cube_nodes row as it stood at the end of a period end `day`."""

    __tablename__ = "cube_snapshot_nodes"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    node_class: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    nodes: Mapped[int] = mapped_column(BigInteger)


class _QualityKey:
    """The key of a quality_months or quality_open row (quality.py: pre-counted): a rollup, the
    court, and the columns the rollup keeps (the others hold quality.ANY)."""

    rollup: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    court: Mapped[str] = mapped_column(String(12), primary_key=True)
    department: Mapped[str] = mapped_column(String(120), primary_key=True)   # the case's
    case_type: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    procedure: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    region: Mapped[str] = mapped_column(String(12))


class _QualityMonth(_QualityKey):
    """Q2: the cases received in a month, and those closed in it (with a trial limit; within it as
    it stands; extended; their trial days, over the closed cases with a filing date)."""

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    received: Mapped[int] = mapped_column(BigInteger)
    closed: Mapped[int] = mapped_column(BigInteger)
    closed_with_limit: Mapped[int] = mapped_column(BigInteger)
    closed_within_limit: Mapped[int] = mapped_column(BigInteger)
    extended: Mapped[int] = mapped_column(BigInteger)
    trial_cases: Mapped[int] = mapped_column(BigInteger)
    trial_days: Mapped[int] = mapped_column(BigInteger)


class _QualityOpen(_QualityKey):
    """Q2: the cases open, by the month they were filed in and quality.filing_tail of the day."""

    filing_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    filing_tail: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    cases: Mapped[int] = mapped_column(BigInteger)


class _QualityStage:
    """Q2's time per stage: how many stages of cases in an area (quality.LEVELS) were completed in
    a month after so many days."""

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    area: Mapped[str] = mapped_column(String(12), primary_key=True)   # "" the province, a region, a court
    stage: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    cases: Mapped[int] = mapped_column(BigInteger)


class _QualityOverdue:
    """Q2's recurring problems: how many nodes of a court became overdue in a month, per node type,
    court or department (a dimension and its value)."""

    court: Mapped[str] = mapped_column(String(12), primary_key=True)
    region: Mapped[str] = mapped_column(String(12))
    dimension: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[str] = mapped_column(String(120), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    nodes: Mapped[int] = mapped_column(BigInteger)


class QualityMonthRow(_QualityMonth, Base):
    __tablename__ = "quality_months"


class QualityOpenRow(_QualityOpen, Base):
    __tablename__ = "quality_open"


class QualityStageRow(_QualityStage, Base):
    __tablename__ = "quality_stages"


class QualityOverdueRow(_QualityOverdue, Base):
    __tablename__ = "quality_overdue"


class QualitySnapshotRow(Base):
    """A day whose Q2 tables have been counted as of its end and kept (quality.py), as
    CubeSnapshotRow for the cube. Each snapshot table below has the day first in its key."""

    __tablename__ = "quality_snapshots"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The day's rows hold its counts minus the next day's (repository.age_snapshots, 0021).
    delta: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class QualitySnapshotMonthRow(_QualityMonth, Base):
    __tablename__ = "quality_snapshot_months"
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class QualitySnapshotOpenRow(_QualityOpen, Base):
    __tablename__ = "quality_snapshot_open"
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class QualitySnapshotStageRow(_QualityStage, Base):
    __tablename__ = "quality_snapshot_stages"
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class QualitySnapshotOverdueRow(_QualityOverdue, Base):
    __tablename__ = "quality_snapshot_overdue"
    day: Mapped[date] = mapped_column(Date, primary_key=True)


def cell_key(court: str, department: str, stage: int) -> str:
    return f"{court}|{department}|{stage}"


MESSAGING = messaging(metadata)
