"""Tables of the `gateway` schema: the org directory, API tokens and login sessions."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, MetaData, SmallInteger, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import messaging

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
    vice_president: Mapped[str] = mapped_column(String(63), server_default="")   # username, "" for none


class UserRow(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(63), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[int] = mapped_column(SmallInteger)
    court_id: Mapped[str] = mapped_column(String(12), index=True)
    department: Mapped[str] = mapped_column(String(120))
    mobile: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool]
    absent: Mapped[bool] = mapped_column(server_default="false")
    deputy: Mapped[str] = mapped_column(String(63), server_default="")   # username, "" for none
    # Built-in login (embedded mode): argon2id hash, NULL for users who sign in elsewhere (a court's
    # identity system) or not at all (court systems use API tokens); consecutive failures and lockout.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """Bearer tokens, stored as SHA-256 digests only."""

    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(63), index=True)
    label: Mapped[str] = mapped_column(String(100))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expire_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginFailureRow(Base):
    """Failed logins of a username nobody holds, counted and locked out like a user's, so that the
    answers (ACCOUNT_LOCKED after five) do not tell which usernames exist."""

    __tablename__ = "login_failures"

    username: Mapped[str] = mapped_column(String(63), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """One refresh token of a login session. A login starts a family; each refresh retires its row
    (revoked, reason ROTATED) and adds the next, so a retired token presented again is recognised."""

    __tablename__ = "sessions"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(String(63), index=True)
    refresh_digest: Mapped[str] = mapped_column(String(64), unique=True)   # SHA-256 of the refresh token
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)         # the `sid` of its access tokens
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expire_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # purged after expiry
    revoked_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str] = mapped_column(String(20), server_default="")  # ROTATED, LOGOUT, REUSED, …


MESSAGING = messaging(metadata)
