"""Tables of the `alerts` schema: inboxes, SMS deliveries and the recipient directory."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, MetaData, SmallInteger, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import messaging

SCHEMA = "alerts"
metadata = MetaData(schema=SCHEMA)


class Base(DeclarativeBase):
    metadata = metadata


class RecipientRow(Base):
    """Projection of the gateway's org directory: who can be reached, and how."""

    __tablename__ = "recipients"
    user: Mapped[str] = mapped_column(String(80), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    mobile: Mapped[str] = mapped_column(String(20))
    court: Mapped[str] = mapped_column(String(12))
    department: Mapped[str] = mapped_column(String(120))
    role: Mapped[int] = mapped_column(SmallInteger)
    active: Mapped[bool]
    absent: Mapped[bool] = mapped_column(server_default="false")
    deputy: Mapped[str] = mapped_column(String(80), server_default="")   # "users/{username}" or ""
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DepartmentRow(Base):
    """Projection of the org directory's departments: the vice-president in charge of each."""

    __tablename__ = "departments"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    court: Mapped[str] = mapped_column(String(12))
    vice_president: Mapped[str] = mapped_column(String(80))   # "users/{username}" or ""
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("messages_recipient", "recipient", "id"),
        Index("messages_unread", "recipient", postgresql_where=text("NOT read")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # (node, rung, recipient): a reminder goes to a person's inbox once.
    dedupe_key: Mapped[str] = mapped_column(String(400), unique=True)
    recipient: Mapped[str] = mapped_column(String(80))
    kind: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    case: Mapped[str] = mapped_column(String(200))
    node: Mapped[str] = mapped_column(String(300))
    case_number: Mapped[str] = mapped_column(String(64))
    application: Mapped[str] = mapped_column(String(300), server_default="")
    read: Mapped[bool]
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SmsDeliveryRow(Base):
    __tablename__ = "sms_deliveries"
    __table_args__ = (
        Index("sms_deliveries_recipient", "recipient", "id"),
        Index("sms_deliveries_due", "next_attempt_at", postgresql_where=text("state = 1")),
        Index("sms_deliveries_last_sent", "recipient", "send_time", postgresql_where=text("send_time IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(400), unique=True)
    recipient: Mapped[str] = mapped_column(String(80))
    node: Mapped[str] = mapped_column(String(300))
    mobile: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    # Template-based provider APIs send a template code and its parameters, not the text.
    template: Mapped[str] = mapped_column(String(40), server_default="")
    params: Mapped[dict] = mapped_column(JSONB, server_default="{}")
    state: Mapped[int] = mapped_column(SmallInteger)
    attempts: Mapped[int] = mapped_column(SmallInteger)
    provider: Mapped[str | None] = mapped_column(String(40))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A sender holds a claimed delivery until then (database time); after a crash it is taken again.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    send_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when it goes out in a digest with others of the same person: the digest's OutId.
    digest_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # Its first claim for sending (database time): how far back a later try looks for it at the provider.
    first_try_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


MESSAGING = messaging(metadata)
