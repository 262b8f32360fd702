"""PostgreSQL LISTEN on the asyncio loop: a raw psycopg2 connection whose socket
the loop watches, so a NOTIFY from another replica wakes a waiting task at once."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable

import psycopg2.extensions
from sqlalchemy import Engine

log = logging.getLogger(__name__)


class PgListener:
    def __init__(self, engine: Engine, channel: str) -> None:
        self._engine = engine
        self._channel = channel
        self._conn = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._retry_at = 0.0

    async def start(self, on_notify: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        try:
            self._conn = await asyncio.to_thread(self._engine.raw_connection)
            dbapi = self._conn.dbapi_connection
            dbapi.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
            with dbapi.cursor() as cur:
                cur.execute(f'LISTEN "{self._channel}"')
        except Exception:
            log.warning("LISTEN %s unavailable; relying on polling", self._channel, exc_info=True)
            self._conn = None
            return

        fd = dbapi.fileno()  # kept: a closed connection can no longer tell its descriptor

        def readable() -> None:
            try:
                dbapi.poll()
            except Exception:
                log.warning("LISTEN connection lost; polling until it is back")
                self._loop.remove_reader(fd)
                try:
                    self._conn.invalidate()
                except Exception:
                    pass
                self._conn = None
                return
            if dbapi.notifies:
                dbapi.notifies.clear()
                on_notify()

        self._loop.add_reader(fd, readable)

    async def ensure(self, on_notify: Callable[[], None]) -> None:
        """Listen again after the connection was lost (a database restart); cheap when listening."""
        if self._conn is None and time.monotonic() >= self._retry_at:
            self._retry_at = time.monotonic() + 5
            await self.start(on_notify)

    async def stop(self) -> None:
        if self._conn is not None and self._loop is not None:
            dbapi = self._conn.dbapi_connection
            try:
                self._loop.remove_reader(dbapi.fileno())
            except Exception:
                pass
            self._conn.invalidate()
            self._conn = None
