"""Tables of the `stats` schema: per-node state and counters per (court, department, stage)."""
from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData, SmallInteger, String
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


def cell_key(court: str, department: str, stage: int) -> str:
    return f"{court}|{department}|{stage}"


MESSAGING = messaging(metadata)
