"""SQLAlchemy engine and the messaging tables every service keeps in its own schema.

Each service owns one PostgreSQL schema (`cases`, `nodes`, …) and never reads
another's. The outbox and the handled-event log live in that schema too, so a
state change, the events it publishes and the events it has consumed commit in
one transaction.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Identity,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


def make_engine(url: str, *, pool_size: int = 10, application_name: str = "courtflow") -> Engine:
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping: it costs a round trip per transaction. A connection broken by a database
        # restart fails once; SQLAlchemy then invalidates the pool, and the caller retries
        # (consumers nak and redeliver; RPC clients see UNAVAILABLE-like errors once).
        pool_pre_ping=False,
        pool_recycle=1800,
        # Many-row UPDATEs (the sweeper marks a batch of nodes and timers) go in pages of
        # statements per round trip instead of one round trip per row.
        executemany_mode="values_plus_batch",
        executemany_batch_page_size=1000,
        connect_args={"application_name": application_name, "connect_timeout": 10},
    )


def outbox_table(metadata: MetaData) -> Table:
    """Events waiting to be published; the relay sets published_at."""
    return Table(
        "outbox",
        metadata,
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("seq", BigInteger, Identity(always=True), nullable=False, unique=True),
        Column("aggregate_type", String(40), nullable=False),
        Column("aggregate_id", String(300), nullable=False),
        Column("event_type", String(120), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        # A relay holds a row until this time; another relay may take it over afterwards.
        Column("claimed_until", DateTime(timezone=True)),
        Column("published_at", DateTime(timezone=True)),
        Index("outbox_unpublished", "seq", postgresql_where=text("published_at IS NULL")),
    )


def handled_events_table(metadata: MetaData) -> Table:
    """Event ids a consumer has applied, written in the same transaction as the effects."""
    return Table(
        "handled_events",
        metadata,
        Column("consumer", String(80), primary_key=True),
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("handled_at", DateTime(timezone=True), nullable=False),
    )


def dead_letters_table(metadata: MetaData) -> Table:
    """Events a consumer gave up on, kept with the error for operators."""
    return Table(
        "dead_letters",
        metadata,
        Column("consumer", String(80), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("subject", String(200), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("error", String(2000), nullable=False),
        Column("deliveries", BigInteger, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False),
    )


def messaging_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    return outbox_table(metadata), handled_events_table(metadata), dead_letters_table(metadata)
