"""Tables of the `audit` schema: the append-only, hash-chained records and the chain head."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, MetaData, SmallInteger, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import messaging

SCHEMA = "audit"
metadata = MetaData(schema=SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class RecordRow(Base):
    __tablename__ = "records"
    __table_args__ = (
        Index("records_actor", "actor", "sequence"),
        Index("records_court", "court", "sequence"),
        Index("records_action", "action", "sequence"),
    )

    sequence: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    operation_id: Mapped[str] = mapped_column(String(64), unique=True)
    actor: Mapped[str] = mapped_column(String(80))
    actor_display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[int] = mapped_column(SmallInteger)
    court: Mapped[str] = mapped_column(String(12))
    department: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(200))
    resource: Mapped[str] = mapped_column(String(300))
    result: Mapped[int] = mapped_column(SmallInteger)
    error_reason: Mapped[str] = mapped_column(String(200))
    client_address: Mapped[str] = mapped_column(String(100))
    user_agent: Mapped[str] = mapped_column(String(300))
    trace_id: Mapped[str] = mapped_column(String(32))
    reporter: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(2000), server_default="")
    occur_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    record_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ChainHeadRow(Base):
    """The one row that serialises appends: last sequence and hash."""

    __tablename__ = "chain_head"
    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    sequence: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class CheckpointRow(Base):
    """The chain head at a sequence, signed (chain.sign) with the audit checkpoint key."""

    __tablename__ = "checkpoints"
    sequence: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnchorRow(Base):
    """Retention removed the records up to `sequence`; the chain goes on from `hash` (signed with
    chain.sign_anchor). Only the latest is kept: verification starts there."""

    __tablename__ = "anchors"
    sequence: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))
    removed_records: Mapped[int] = mapped_column(BigInteger)
    # The newest record_time among the removed ones: what retention reached.
    removed_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


MESSAGING = messaging(metadata)
