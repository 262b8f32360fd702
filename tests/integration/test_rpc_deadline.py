"""A unit of work opened for an RPC (services/common/deadline.py) against a real PostgreSQL: its
transaction gets what the caller has left as statement_timeout, and keeps the isolation level the
use case chooses — the audit chain's check reads the records and the head in one REPEATABLE READ
snapshot, and a timeout sent before that choice left it at READ COMMITTED (a chain appended to
meanwhile then read as broken)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from conftest import new_database
from services.common import deadline
from services.common import uow as units
from services.common.clock import SystemClock
from services.common.migrate import upgrade
from services.node import models as node_models


def _milliseconds(setting: str) -> float:
    units_of = {"ms": 1, "s": 1000, "min": 60_000}
    number = setting.rstrip("abcdefghijklmnopqrstuvwxyz")
    return float(number) * units_of.get(setting[len(number):], 1)


def test_a_unit_of_work_for_an_rpc_gets_its_deadline_and_keeps_its_isolation_level(postgres):
    database = new_database(postgres, "deadline")
    upgrade(database, schema=node_models.SCHEMA, migrations=Path(node_models.__file__).parent / "migrations")
    engine = create_engine(database, pool_size=1)
    factory = units.uow_factory(engine, producer="node", messaging=node_models.MESSAGING, clock=SystemClock())
    token = deadline.bind(5.0)
    try:
        with factory() as uow:
            uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            assert uow.session.execute(text("SHOW transaction_isolation")).scalar_one() == "repeatable read"
            left = _milliseconds(uow.session.execute(text("SHOW statement_timeout")).scalar_one())
            assert 3000 < left <= (5.0 - deadline.MARGIN_SECONDS) * 1000
        with factory() as uow:
            assert uow.session.execute(text("SHOW transaction_isolation")).scalar_one() == "read committed"
            assert 0 < _milliseconds(uow.session.execute(text("SHOW statement_timeout")).scalar_one()) <= 4500
    finally:
        deadline.reset(token)
    with factory() as uow:   # outside an RPC (a consumer, the housekeeping): no limit
        assert uow.session.execute(text("SHOW statement_timeout")).scalar_one() == "0"
    engine.dispose()
