"""Tables of the `gateway` schema: the org directory and API tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData, SmallInteger, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import messaging_tables
from services.common.server import Messaging

SCHEMA = "gateway"
metadata = MetaData(schema=SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class CourtRow(Base):
    __tablename__ = "courts"
    id: Mapped[str] = mapped_column(String(12), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(SmallInteger)
    parent_id: Mapped[str | None] = mapped_column(String(12))
    abbreviation: Mapped[str] = mapped_column(String(10))


class DepartmentRow(Base):
    __tablename__ = "departments"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)  # courts/{court}/departments/{id}
    court_id: Mapped[str] = mapped_column(String(12), index=True)
    display_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))


class UserRow(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(63), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[int] = mapped_column(SmallInteger)
    court_id: Mapped[str] = mapped_column(String(12), index=True)
    department: Mapped[str] = mapped_column(String(120))
    mobile: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool]


class ApiTokenRow(Base):
    """Bearer tokens, stored as SHA-256 digests only."""

    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(63), index=True)
    label: Mapped[str] = mapped_column(String(100))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expire_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


MESSAGING = Messaging(*messaging_tables(metadata))
