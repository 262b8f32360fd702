"""The outbox relay: publishes committed outbox rows to JetStream.

Rows are claimed with a short lease (FOR UPDATE SKIP LOCKED, then committed), so
several replicas can relay without holding a transaction open while they talk
to NATS. Each message carries Nats-Msg-Id = event id, so a row published twice
(a crash between publish and mark) is stored once by the server; consumers are
idempotent on the same id beyond the server's duplicate window.

The relay wakes on a local signal after a commit, on PostgreSQL NOTIFY from
another replica, or by polling as a fallback.
"""
from __future__ import annotations

import asyncio
import logging
import time

from nats.js import JetStreamContext
from sqlalchemy import Engine, Table, text

from services.common import metrics
from services.common.db import text_array
from services.common.notify import PgListener

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(self, *, engine: Engine, outbox: Table, js: JetStreamContext, batch: int = 500,
                 lease_seconds: int = 30, poll_seconds: float = 1.0, retention_hours: int = 24,
                 ack_timeout: float = 5.0) -> None:
        self._engine = engine
        self._outbox = outbox
        self._js = js
        self._batch = batch
        self._lease = lease_seconds
        self._poll = poll_seconds
        self._retention = retention_hours
        self._ack_timeout = ack_timeout
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._listener = PgListener(engine, f"{outbox.schema}_outbox")
        self._last_prune = 0.0
        t = f"{outbox.schema}.outbox"
        self._claim_sql = text(f"""
            UPDATE {t} SET claimed_until = now() + make_interval(secs => :lease)
            WHERE id IN (SELECT id FROM {t}
                         WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                         ORDER BY seq LIMIT :batch FOR UPDATE SKIP LOCKED)
            RETURNING id, seq, subject, payload, headers""")
        self._mark_sql = text(f"UPDATE {t} SET published_at = now() WHERE id = ANY(CAST(:ids AS uuid[]))")
        self._release_sql = text(f"UPDATE {t} SET claimed_until = NULL WHERE id = ANY(CAST(:ids AS uuid[]))")
        self._prune_sql = text(
            f"DELETE FROM {t} WHERE published_at < now() - make_interval(hours => :hours)")

    def wake(self) -> None:
        """Thread-safe: called after a unit of work that published events commits."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._listener.start(self._wake.set)
        while not self._stopping:
            # Clear before claiming: a commit that lands while we publish sets it again, so its
            # rows are taken at once instead of after the poll interval.
            self._wake.clear()
            try:
                published = await self.publish_once()
            except Exception:
                log.exception("outbox relay failed; retrying")
                published = 0
                await asyncio.sleep(1)
            if published >= self._batch:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), self._poll)
            except asyncio.TimeoutError:
                pass
            try:
                await self._listener.ensure(self._wake.set)
                await self._maybe_prune()
            except Exception:  # the database is away for a moment; the next round tries again
                log.warning("outbox housekeeping failed; retrying", exc_info=True)

    async def stop(self) -> None:
        """Stop after the current batch; what is left is published by the next start."""
        self._stopping = True
        self._wake.set()
        await self._listener.stop()

    async def publish_once(self) -> int:
        rows = await asyncio.to_thread(self._claim)
        if not rows:
            return 0
        rows.sort(key=lambda r: r.seq)
        # Sent one after another in seq order on one connection, so the stream keeps that order;
        # the server's acknowledgements are awaited together (no request round trip per event).
        acks = []
        try:
            for r in rows:
                acks.append(await self._js.publish_async(r.subject, r.payload,
                                                         headers={"Nats-Msg-Id": str(r.id), **(r.headers or {})}))
        except Exception:   # the connection is away: what was not sent is retried below
            log.debug("outbox relay: publishing stopped after %d of %d", len(acks), len(rows), exc_info=True)
        if acks:
            await asyncio.wait(acks, timeout=self._ack_timeout)
        results = [ack.exception() if ack.done() and not ack.cancelled() else TimeoutError("no acknowledgement")
                   for ack in acks] + [ConnectionError("not sent")] * (len(rows) - len(acks))
        for ack in acks:
            ack.cancel()   # those still waiting: given up, retried (a late ack changes nothing)
        done = [r.id for r, res in zip(rows, results) if res is None]
        failed = [r.id for r, res in zip(rows, results) if res is not None]
        if done:
            await asyncio.to_thread(self._mark, done)
        metrics.EVENTS_PUBLISHED.inc(len(done))
        if failed:
            # NATS is unreachable or refused: give the rows back at once and pause; the next round
            # retries them (a publish that did land meanwhile is deduplicated by its Nats-Msg-Id).
            await asyncio.to_thread(self._release, failed)
            log.warning("outbox relay: %d of %d publishes failed (%s); retrying", len(failed), len(rows),
                        next(res for res in results if res is not None))
            await asyncio.sleep(1)
            return 0
        return len(rows)

    def _claim(self) -> list:
        with self._engine.begin() as conn:
            return list(conn.execute(self._claim_sql, {"lease": self._lease, "batch": self._batch}))

    def _release(self, ids: list) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._release_sql, {"ids": text_array(ids)})

    def _mark(self, ids: list) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._mark_sql, {"ids": text_array(ids)})

    async def _maybe_prune(self) -> None:
        if time.monotonic() - self._last_prune < 600:
            return
        self._last_prune = time.monotonic()
        def prune() -> None:
            with self._engine.begin() as conn:
                conn.execute(self._prune_sql, {"hours": self._retention})
        await asyncio.to_thread(prune)
