"""Alembic per service schema, applied at start and by `python -m services.<svc> migrate`.

Every service keeps its migrations in services/<svc>/migrations with an env.py
that calls run_env(); versions are tracked in <schema>.alembic_version. An
advisory lock keeps replicas that start together from migrating twice.
"""
from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import create_engine, text


# A replica waits this long for another one's migration of the same schema (the advisory lock),
# then fails and is restarted, rather than hanging an init container for ever.
MIGRATION_LOCK_TIMEOUT = "120s"
# Once migrating, a DDL statement waits at most this long for a table lock (seconds). An ALTER
# queued behind a long transaction would otherwise hold up every query queued behind *it* — the
# whole service; failing and trying again (the Job or init container is restarted) is harmless,
# as each migration is its own transaction.
DDL_LOCK_TIMEOUT = 10.0
# And no statement of a migration runs longer than this (seconds): a backfill that needs more is
# written in batches, or run with COURTFLOW_MIGRATION_STATEMENT_TIMEOUT raised for that release.
STATEMENT_TIMEOUT = 900.0


class SchemaBehind(Exception):
    """The schema is older than this release's code, and this process may not migrate it."""


def upgrade(database_url: str, *, schema: str, migrations: Path, lock_timeout: float = DDL_LOCK_TIMEOUT,
            statement_timeout: float = STATEMENT_TIMEOUT, dml_role: str = "") -> None:
    """Migrate `schema` to head (as its owner: the DDL role), and give `dml_role`, the role the
    services run as, the right to read and write its tables and nothing more."""
    # connect_timeout: a PostgreSQL that accepts and never answers fails in seconds, not never.
    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    lock_id = zlib.crc32(f"courtflow-migrate-{schema}".encode())
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET lock_timeout = '{MIGRATION_LOCK_TIMEOUT}'"))
            conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id})
            try:
                conn.execute(text(f"SET lock_timeout = '{int(lock_timeout * 1000)}ms'"))
                conn.execute(text(f"SET statement_timeout = '{int(statement_timeout * 1000)}ms'"))
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                conn.commit()
                cfg = Config()
                cfg.set_main_option("script_location", str(migrations))
                cfg.attributes["connection"] = conn
                cfg.attributes["schema"] = schema
                command.upgrade(cfg, "head")
                if dml_role:
                    grant_dml(conn, schema, dml_role)
                conn.commit()
            finally:
                conn.rollback()   # a failed migration leaves its transaction aborted
                conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id})
                conn.commit()
    finally:
        engine.dispose()


def grant_dml(conn, schema: str, role: str) -> None:
    """Every table and sequence of the schema, to the services' role: rows only, no DDL (again after
    each migration, so that new tables are covered). TRUNCATE is a row operation here (the stats
    service empties its cube tables); temporary tables need only PostgreSQL's default TEMP right."""
    role_q, schema_q = (conn.dialect.identifier_preparer.quote(n) for n in (role, schema))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema_q} TO {role_q}"))
    conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA {schema_q} TO {role_q}"))
    conn.execute(text(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema_q} TO {role_q}"))


def wait_for_head(database_url: str, *, schema: str, migrations: Path, timeout: float, poll: float = 1.0) -> str:
    """For a process that may not migrate (COURTFLOW_MIGRATE=wait, services with DML rights only):
    wait until the migrations Job has brought `schema` to this release's head, or to a later
    release's (a revision this code does not know: migrations only go forward). Returns the
    revision found; raises SchemaBehind after `timeout` seconds."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    scripts = ScriptDirectory.from_config(cfg)
    head = scripts.get_current_head()
    known = {rev.revision for rev in scripts.walk_revisions()}
    engine = create_engine(database_url, connect_args={"connect_timeout": 10})
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                found = conn.execute(text(
                    "SELECT CASE WHEN to_regclass(:table) IS NULL THEN NULL ELSE 1 END"),
                    {"table": f'"{schema}".alembic_version'}).scalar()
                current = conn.execute(text(f'SELECT version_num FROM "{schema}".alembic_version')).scalar() \
                    if found else None
            if current == head or (current is not None and current not in known):
                return current
            if time.monotonic() >= deadline:
                raise SchemaBehind(f"数据库模式 {schema} 处于 {current or '空'}，本版本需要 {head}："
                                   f"请先运行迁移任务（Job courtflow-migrate，deploy/k8s/README.md 升级一节）")
            time.sleep(poll)
    finally:
        engine.dispose()


def run_env(*, recounts: dict[str, Callable] | None = None) -> None:
    """Body of every service's migrations/env.py (online mode only). `recounts`: the service's
    tables a migration may ask to count again from its read model (recount_later), each a
    function of the connection, run once every migration has run."""
    cfg = context.config
    conn = cfg.attributes["connection"]
    schema = cfg.attributes["schema"]
    context.configure(connection=conn, version_table_schema=schema, target_metadata=None,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
    if recounts:
        run_due_recounts(conn, schema, recounts)


# A migration that changes what a pre-counted table means asks for a recount instead of counting
# itself: the count is the service's current code, which reads the schema at head — counting in
# the middle of the chain would read columns a later migration adds (a database migrated from
# empty, or from a release several back). The request is a row, written in the migration's own
# transaction, so a recount interrupted (the Job killed) is run by the next upgrade.
_RECOUNTS_DUE = "recounts_due"


def recount_later(op, schema: str, name: str) -> None:
    """From a migration's upgrade(): count table `name` again (run_env's `recounts`) once the
    schema is at head."""
    op.execute(f'CREATE TABLE IF NOT EXISTS "{schema}".{_RECOUNTS_DUE} (name text PRIMARY KEY)')
    op.execute(f"INSERT INTO \"{schema}\".{_RECOUNTS_DUE} (name) VALUES ('{name}') ON CONFLICT DO NOTHING")


def run_due_recounts(conn, schema: str, recounts: dict[str, Callable]) -> None:
    """Run the recounts migrations asked for, in the order of `recounts`, each in the upgrade's
    final transaction (upgrade commits it) without the statement bound: counting a province's read
    model takes minutes (bench/supervision.py: cube_count_seconds)."""
    if conn.execute(text("SELECT to_regclass(:t)"), {"t": f'"{schema}".{_RECOUNTS_DUE}'}).scalar() is None:
        return
    due = set(conn.execute(text(f'SELECT name FROM "{schema}".{_RECOUNTS_DUE} FOR UPDATE')).scalars())
    for name, recount in recounts.items():
        if name in due:
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            recount(conn)
            conn.execute(text(f'DELETE FROM "{schema}".{_RECOUNTS_DUE} WHERE name = :n'), {"n": name})
    unknown = due - set(recounts)
    if unknown:
        raise RuntimeError(f"migrations asked for recounts this release cannot run: {sorted(unknown)}")


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


def index_handled_events(op, schema: str) -> None:
    """The index pruning needs on handled_events.handled_at (services/common/db.py), built
    CONCURRENTLY: every consumer inserts into this table in each transaction, and a plain CREATE
    INDEX would hold those inserts for as long as the build of a table of weeks of events takes,
    stalling the old release's consumers during the rolling update.

    CONCURRENTLY cannot run in a transaction, so this runs in autocommit (the migration's own
    transaction is committed first: keep it the only step of its migration). The session's
    lock_timeout still bounds its waits for older transactions; a build that fails on it leaves
    an INVALID index, which the next run of the migration drops and builds again."""
    from services.common.db import HANDLED_AT_INDEX

    with op.get_context().autocommit_block():
        invalid = op.get_bind().execute(text(
            "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :schema AND c.relname = :name AND NOT i.indisvalid"),
            {"schema": schema, "name": HANDLED_AT_INDEX}).first()
        if invalid:
            op.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{schema}".{HANDLED_AT_INDEX}')
        op.create_index(HANDLED_AT_INDEX, "handled_events", ["handled_at"], schema=schema,
                        postgresql_concurrently=True, if_not_exists=True)
