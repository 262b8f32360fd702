"""A migration gives up instead of waiting for ever (issue 20, item 10): its DDL waits for a table
lock only `lock_timeout` (an ALTER queued behind a long transaction would hold up every query
behind it), and none of its statements runs past `statement_timeout`. What failed is rolled back;
the next try (the Job or init container restarted) applies it."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from conftest import new_database
from services.common.migrate import upgrade

pytestmark = pytest.mark.timeout(120)

REVISION = '''"""Revision ID: {rev}"""
from alembic import op

revision = "{rev}"
down_revision = {down}


def upgrade() -> None:
    op.execute("{sql}")
'''


def add_revision(directory: Path, rev: str, down: str | None, sql: str) -> None:
    (directory / "versions" / f"{rev}_step.py").write_text(
        REVISION.format(rev=rev, down=repr(down), sql=sql), encoding="utf-8")


def migrations(tmp_path: Path) -> Path:
    (tmp_path / "versions").mkdir()
    (tmp_path / "env.py").write_text("from services.common.migrate import run_env\n\nrun_env()\n", encoding="utf-8")
    (tmp_path / "script.py.mako").write_text("", encoding="utf-8")
    add_revision(tmp_path, "0001", None, "CREATE TABLE mig.things (id int)")
    return tmp_path


def bounded(fn, limit: float):
    """fn's exception (or None), failing the test if it takes longer than `limit` seconds."""
    outcome = {}

    def run():
        try:
            fn()
            outcome["error"] = None
        except Exception as exc:
            outcome["error"] = exc
    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(limit)
    assert "error" in outcome, f"the migration was still waiting after {limit} s"
    return outcome["error"], time.monotonic() - started


def test_ddl_behind_a_long_transaction_and_a_long_statement_give_up(postgres, tmp_path):
    url = new_database(postgres, "migtimeouts")
    scripts = migrations(tmp_path)
    upgrade(url, schema="mig", migrations=scripts)
    add_revision(scripts, "0002", "0001", "ALTER TABLE mig.things ADD COLUMN name text")
    engine = create_engine(url)
    try:
        with engine.connect() as reader:   # a long transaction that has read the table
            reader.execute(text("SELECT count(*) FROM mig.things"))
            error, took = bounded(lambda: upgrade(url, schema="mig", migrations=scripts, lock_timeout=0.5), 20)
            assert isinstance(error, OperationalError) and "lock timeout" in str(error), error
            assert took < 10
            reader.rollback()
        upgrade(url, schema="mig", migrations=scripts, lock_timeout=0.5)   # once it has ended, it passes
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM mig.alembic_version")).scalar() == "0002"

        add_revision(scripts, "0003", "0002", "SELECT pg_sleep(30)")
        error, took = bounded(lambda: upgrade(url, schema="mig", migrations=scripts, statement_timeout=0.5), 20)
        assert isinstance(error, OperationalError) and "statement timeout" in str(error), error
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM mig.alembic_version")).scalar() == "0002"
    finally:
        engine.dispose()
