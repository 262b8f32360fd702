"""The gateway's schema for its command-line tools (set-password, import-org, the demo's load-demo): migrated,
with a unit of work whose events leave through the gateway's outbox, no server needed."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


from gateway.models import MESSAGING, SCHEMA
from services.common.clock import SystemClock
from services.common.db import make_engine
from services.common.migrate import upgrade
from services.common.uow import UnitOfWork, uow_factory

MIGRATIONS = Path(__file__).parent / "migrations"


@contextmanager
def directory_database(database_url: str, *, application_name: str) -> Iterator[Callable[[], UnitOfWork]]:
    upgrade(database_url, schema=SCHEMA, migrations=MIGRATIONS)
    engine = make_engine(database_url, pool_size=1, application_name=application_name)
    try:
        yield uow_factory(engine, producer="gateway", messaging=MESSAGING, clock=SystemClock())
    finally:
        engine.dispose()
