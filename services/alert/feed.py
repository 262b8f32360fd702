"""Live push of new inbox messages to the streams open on this replica (StreamMessages).

Any replica may have put a message in an inbox, so new messages are found in PostgreSQL: a
NOTIFY on insert wakes one reader per replica (polling is the fallback), which fetches what is
new once and hands each message to the streams of its recipient. Message ids are time-ordered
(UUIDv7) but transactions commit out of order, so every read looks back a few seconds and
skips what it already handed out.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict

from services.alert import repository
from services.alert.models import MessageRow
from services.common.notify import PgListener
from services.common.server import Runtime

log = logging.getLogger(__name__)
CHANNEL = "alerts_messages"
LOOKBACK_SECONDS = 10.0
QUEUE_SIZE = 1000


def uuid7_floor(unix_seconds: float) -> uuid.UUID:
    """The smallest UUIDv7 of a millisecond: a lower bound for ids created from then on."""
    ms = max(int(unix_seconds * 1000), 0)
    return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (0b10 << 62))


class InboxFeed:
    def __init__(self, rt: Runtime, *, poll_interval: float = 2.0) -> None:
        self._rt = rt
        self._listener = PgListener(rt.engine, CHANNEL)
        self._poll = poll_interval
        self._wake = asyncio.Event()
        self._streams: dict[str, set[asyncio.Queue]] = defaultdict(set)
        self._seen: dict[uuid.UUID, float] = {}   # handed out within the lookback window
        self._stopping = False

    def subscribe(self, user: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self._streams[user].add(queue)
        return queue

    def unsubscribe(self, user: str, queue: asyncio.Queue) -> None:
        self._streams[user].discard(queue)
        if not self._streams[user]:
            del self._streams[user]

    async def run(self) -> None:
        await self._listener.start(self._wake.set)
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), self._poll)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            if self._stopping:
                break
            try:
                await self._listener.ensure(self._wake.set)
                if self._streams:
                    await self._dispatch()
            except Exception:
                log.exception("inbox feed failed; retrying")
                await asyncio.sleep(1)

    async def _dispatch(self) -> None:
        now = time.time()
        floor = uuid7_floor(now - LOOKBACK_SECONDS)
        self._seen = {k: t for k, t in self._seen.items() if t > now - 2 * LOOKBACK_SECONDS}
        users = list(self._streams)
        rows = await self._rt.db(self._fetch, users, floor)
        for row in rows:
            if row.id in self._seen:
                continue
            self._seen[row.id] = now
            for queue in list(self._streams.get(row.recipient, ())):
                if queue.full():
                    continue  # a stalled client; it resumes with `after` when it reconnects
                queue.put_nowait(row)

    def _fetch(self, users: list[str], floor: uuid.UUID) -> list[MessageRow]:
        with self._rt.uow() as uow:
            return repository.recent_messages(uow.session, users, floor)

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        await self._listener.stop()
