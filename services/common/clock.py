"""The clock port. Every service reads time from a Clock, never from datetime.now().

- SystemClock: production.
- ManualClock: in-process, for unit and integration tests.
- SharedClock: a controllable clock shared by every process through a NATS
  JetStream key-value bucket, so a test or a demo can move time for the whole
  system at once (`courtflow clock advance 30d`). Listeners are told when it
  moves, so the node sweeper reacts at once instead of waiting for a poll.

Timestamps are UTC; legal dates are calendar dates in Asia/Shanghai.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Protocol
from zoneinfo import ZoneInfo

from services.common import metrics

LEGAL_TZ = ZoneInfo("Asia/Shanghai")
CLOCK_BUCKET = "COURTFLOW_CLOCK"
CLOCK_KEY = "now"

log = logging.getLogger(__name__)


class Clock(Protocol):
    def now(self) -> datetime: ...


def legal_today(clock: Clock) -> date:
    """Today's date where the courts are."""
    return legal_date(clock.now())


def legal_date(at: datetime) -> date:
    """The legal date (Asia/Shanghai) an instant falls on."""
    return at.astimezone(LEGAL_TZ).date()


def legal_minute(at: datetime) -> str:
    """An instant as people in the courts read it in a message: Beijing time, to the minute."""
    return at.astimezone(LEGAL_TZ).strftime("%Y-%m-%d %H:%M")


def start_of_legal_day(d: date) -> datetime:
    """00:00 of a legal date in Asia/Shanghai, as a UTC instant."""
    return datetime(d.year, d.month, d.day, tzinfo=LEGAL_TZ).astimezone(timezone.utc)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock tests set and advance by hand."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


class SharedClock:
    """Real time plus an offset (or a frozen instant) held in a NATS KV bucket."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._frozen: datetime | None = None
        self._listeners: list[Callable[[], None]] = []
        self._watch_task: asyncio.Task | None = None

    def now(self) -> datetime:
        if self._frozen is not None:
            return self._frozen
        return datetime.now(timezone.utc) + self._offset

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _apply(self, raw: bytes | None, revision: int = 0) -> None:
        state = parse_clock_state(raw)
        self._offset = state[0]
        self._frozen = state[1]
        log.info("shared clock now %s (revision %d)", self.now().isoformat(), revision)
        for listener in self._listeners:
            listener()
        metrics.SHARED_CLOCK_REVISION.set(revision)

    async def start(self, js) -> None:
        kv = await clock_bucket(js)
        watcher = await kv.watch(CLOCK_KEY)

        async def follow() -> None:
            async for entry in watcher:
                if entry is not None:
                    self._apply(entry.value, entry.revision or 0)

        try:
            entry = await kv.get(CLOCK_KEY)
            self._apply(entry.value, entry.revision or 0)
        except Exception:  # no value yet: real time
            self._apply(None)
        self._watch_task = asyncio.create_task(follow(), name="shared-clock-watch")

    async def stop(self) -> None:
        if self._watch_task:
            self._watch_task.cancel()


def parse_clock_state(raw: bytes | None) -> tuple[timedelta, datetime | None]:
    if not raw:
        return timedelta(), None
    data = json.loads(raw)
    frozen = datetime.fromisoformat(data["frozen"]) if data.get("frozen") else None
    return timedelta(seconds=float(data.get("offset_seconds", 0))), frozen


async def clock_bucket(js):
    from nats.js.api import KeyValueConfig, StorageType

    try:
        return await js.key_value(CLOCK_BUCKET)
    except Exception:
        return await js.create_key_value(KeyValueConfig(bucket=CLOCK_BUCKET, history=1, storage=StorageType.FILE))


async def set_shared_clock(js, *, offset: timedelta | None = None, frozen: datetime | None = None) -> int:
    """Move the shared clock for every process (tests, demos, the `courtflow clock` command).
    Returns the entry's revision: each process reports the one it applies in its metrics
    (courtflow_shared_clock_revision), so the mover can wait until all run on the new time."""
    kv = await clock_bucket(js)
    state = {"offset_seconds": (offset or timedelta()).total_seconds(),
             "frozen": frozen.astimezone(timezone.utc).isoformat() if frozen else None}
    return await kv.put(CLOCK_KEY, json.dumps(state).encode())


async def read_clock_state(js) -> tuple[timedelta, datetime | None]:
    """The shared clock's (offset, frozen instant) as stored; real time when nothing is stored."""
    kv = await clock_bucket(js)
    try:
        raw = (await kv.get(CLOCK_KEY)).value
    except Exception:
        raw = None
    return parse_clock_state(raw)


async def read_shared_clock(js) -> datetime:
    offset, frozen = await read_clock_state(js)
    return frozen or datetime.now(timezone.utc) + offset
