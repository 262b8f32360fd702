"""The consumers' handled-event log is pruned (issue 20, item 10): ids older than the retention
go, in batches, and the recent ones stay, so redelivery of anything a stream still keeps is
still recognised."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import new_database
from services.common.consumer import prune_handled
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
