"""The consumers' handled-event log is pruned (issue 20, item 10): ids older than the retention
go, in batches, and the recent ones stay, so redelivery of anything a stream still keeps is
still recognised. Each batch finds the old rows through the handled_at index, in every schema
that has the log, rather than reading the whole table."""
from __future__ import annotations

import importlib
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import new_database
from services.common.consumer import prune_handled, prune_statement
from services.common.db import HANDLED_AT_INDEX
from services.common.migrate import upgrade
from services.node import models as node_models

pytestmark = pytest.mark.timeout(60)


def test_old_handled_events_are_forgotten_in_batches_and_recent_ones_kept(postgres):
    url = new_database(postgres, "handled")
    upgrade(url, schema=node_models.SCHEMA, migrations=Path(node_models.__file__).parent / "migrations")
    handled = node_models.MESSAGING.handled
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for days, n in ((100, 5), (46, 2), (44, 3), (0, 4)):
                for _ in range(n):
                    conn.execute(text(f"INSERT INTO {handled.fullname} (consumer, event_id, handled_at) "
                                      "VALUES ('node-case', :id, now() - make_interval(days => :days))"),
                                 {"id": uuid.uuid4(), "days": days})
        assert prune_handled(engine, handled, retention_days=45, batch=2) == 7
        with engine.connect() as conn:
            left = conn.execute(text(f"SELECT count(*), min(now() - handled_at) > interval '43 days' "
                                     f"FROM {handled.fullname}")).one()
        assert tuple(left) == (7, False)
        assert prune_handled(engine, handled, retention_days=45) == 0
        # A service clock standing 60 days back (a demo's shared clock): nothing is old by it yet.
        past = datetime.now(timezone.utc) - timedelta(days=60)
        assert prune_handled(engine, handled, retention_days=1, now=past) == 0
        assert prune_handled(engine, handled, retention_days=1, now=datetime.now(timezone.utc) + timedelta(days=90)) == 3
    finally:
        engine.dispose()


# Every schema with a handled-event log.
OWNERS = ["services.case.models", "services.node.models", "services.alert.models", "services.audit.models",
          "services.stats.models", "gateway.models"]


@pytest.mark.parametrize("owner", OWNERS)
def test_a_prune_batch_reads_the_old_rows_through_the_index(postgres, owner):
    models = importlib.import_module(owner)
    url = new_database(postgres, "prune_plan")
    upgrade(url, schema=models.SCHEMA, migrations=Path(models.__file__).parent / "migrations")
    handled = models.MESSAGING.handled
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # Weeks of events, a few of them past the retention: what a prune finds on a live system.
            conn.execute(text(f"INSERT INTO {handled.fullname} (consumer, event_id, handled_at) "
                              "SELECT 'c', gen_random_uuid(), now() - make_interval(days => 44) * random() "
                              "FROM generate_series(1, 50000)"))
            conn.execute(text(f"INSERT INTO {handled.fullname} (consumer, event_id, handled_at) "
                              "SELECT 'c', gen_random_uuid(), now() - interval '50 days' FROM generate_series(1, 100)"))
            conn.execute(text(f"ANALYZE {handled.fullname}"))
        with engine.connect() as conn:
            plan = "\n".join(conn.execute(text(f"EXPLAIN {prune_statement(handled).text}"),
                                           {"days": 45, "batch": 10_000, "now": None}).scalars())
        assert HANDLED_AT_INDEX in plan and "Seq Scan" not in plan, plan
        assert prune_handled(engine, handled, retention_days=45) == 100
    finally:
        engine.dispose()


def test_an_index_build_that_failed_half_way_is_built_again(postgres):
    """CREATE INDEX CONCURRENTLY that fails (on the migration's lock_timeout, behind a long
    transaction) leaves an INVALID index behind; the migration, run again, builds it anew
    instead of taking the broken one for done."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    url = new_database(postgres, "prune_retry")
    migrations = Path(node_models.__file__).parent / "migrations"
    upgrade(url, schema=node_models.SCHEMA, migrations=migrations)
    config = Config()
    config.set_main_option("script_location", str(migrations))
    (ours,) = [r for r in ScriptDirectory.from_config(config).walk_revisions()
               if r.path.endswith("_handled_events_index.py")]
    index = f"{node_models.SCHEMA}.{HANDLED_AT_INDEX}"
    valid = text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:index)")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if not conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
                pytest.skip("needs a superuser to mark the index invalid as a failed build does")
            conn.execute(text("UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass(:index)"),
                         {"index": index})
            conn.execute(text(f"UPDATE {node_models.SCHEMA}.alembic_version SET version_num = :before"),
                         {"before": ours.down_revision})
            assert conn.execute(valid, {"index": index}).scalar() is False
        upgrade(url, schema=node_models.SCHEMA, migrations=migrations)
        with engine.connect() as conn:
            assert conn.execute(valid, {"index": index}).scalar() is True
    finally:
        engine.dispose()

