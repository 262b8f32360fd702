"""Alembic per service schema, applied at start and by `python -m services.<svc> migrate`.

Every service keeps its migrations in services/<svc>/migrations with an env.py
that calls run_env(); versions are tracked in <schema>.alembic_version. An
advisory lock keeps replicas that start together from migrating twice.
"""
from __future__ import annotations

import zlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import create_engine, text


# A replica waits this long for another one's migration of the same schema (the advisory lock),
# then fails and is restarted, rather than hanging an init container for ever.
MIGRATION_LOCK_TIMEOUT = "120s"


def upgrade(database_url: str, *, schema: str, migrations: Path) -> None:
    # connect_timeout: a PostgreSQL that accepts and never answers fails in seconds, not never.
    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    lock_id = zlib.crc32(f"courtflow-migrate-{schema}".encode())
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET lock_timeout = '{MIGRATION_LOCK_TIMEOUT}'"))
            conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id})
            try:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                conn.commit()
                cfg = Config()
                cfg.set_main_option("script_location", str(migrations))
                cfg.attributes["connection"] = conn
                cfg.attributes["schema"] = schema
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id})
                conn.commit()
    finally:
        engine.dispose()


def run_env() -> None:
    """Body of every service's migrations/env.py (online mode only)."""
    cfg = context.config
    conn = cfg.attributes["connection"]
    schema = cfg.attributes["schema"]
    context.configure(connection=conn, version_table_schema=schema, target_metadata=None,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def create_messaging_tables(op, schema: str) -> None:
    """The outbox, handled-events and dead-letter tables of one schema, as of revision 0001,
    and the NOTIFY trigger that wakes relays of other replicas."""
    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import JSONB, UUID

    op.create_table(
        "outbox",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("seq", sa.BigInteger, sa.Identity(always=True), nullable=False, unique=True),
        sa.Column("aggregate_type", sa.String(40), nullable=False),
        sa.Column("aggregate_id", sa.String(300), nullable=False),
        sa.Column("event_type", sa.String(120), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("headers", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        schema=schema,
    )
    op.create_index("outbox_unpublished", "outbox", ["seq"], schema=schema,
                    postgresql_where=sa.text("published_at IS NULL"))
    op.create_table(
        "handled_events",
        sa.Column("consumer", sa.String(80), primary_key=True),
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    op.create_table(
        "dead_letters",
        sa.Column("consumer", sa.String(80), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("error", sa.String(2000), nullable=False),
        sa.Column("deliveries", sa.BigInteger, nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    op.execute(f"""
        CREATE FUNCTION "{schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{schema}_outbox', ''); RETURN NULL; END $$""")
    op.execute(f"""
        CREATE TRIGGER outbox_notify AFTER INSERT ON "{schema}".outbox
        FOR EACH STATEMENT EXECUTE FUNCTION "{schema}".outbox_notify()""")


# Half of each outbox page left free: the relay's claim (claimed_until, no index on it) can then
# stay on the row's page as a HOT update, with no new entry in the outbox's three indexes. The
# mark as published cannot (published_at is in the unpublished index's predicate).
OUTBOX_FILLFACTOR = 50


def set_outbox_fillfactor(op, schema: str) -> None:
    """Applies to pages written from now on; the outbox is pruned, so old pages soon go."""
    op.execute(f'ALTER TABLE "{schema}".outbox SET (fillfactor = {OUTBOX_FILLFACTOR})')
