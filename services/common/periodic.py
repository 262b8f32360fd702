"""A blocking job run now and then, in the thread pool, until the service stops.

For the slow housekeeping of a service (re-evaluating nodes after a calendar import, audit
retention, purging expired sessions): a failed turn is logged and the next turn tries again, so
one bad moment of the database does not end the loop.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Callable

log = logging.getLogger(__name__)


class Periodic:
    def __init__(self, job: Callable[[], object], *, interval: float, name: str) -> None:
        self._job, self._interval, self._name = job, interval, name
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await asyncio.to_thread(self._job)
            except Exception:
                log.exception("%s failed; trying again in %.0f s", self._name, self._interval)
            try:
                await asyncio.wait_for(self._stopping.wait(), self._interval)
            except asyncio.TimeoutError:
                pass

    async def stop(self) -> None:
        self._stopping.set()
