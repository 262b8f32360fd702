"""IntegrityService answers stream what a database thread produces (services/common/integrity_service.py):
in order, an error of the walk reaching the reader, and a reader that stops early stopping the walk
instead of leaving a thread blocked on a full queue."""
from __future__ import annotations

import asyncio
import threading

import pytest

from services.common.errors import PermissionDenied
from services.common.integrity_service import streamed


def test_what_the_thread_emits_arrives_in_order():
    async def read() -> list[int]:
        return [item async for item in streamed(lambda emit: [emit(i) for i in range(50)])]

    assert asyncio.run(read()) == list(range(50))


def test_an_error_of_the_walk_reaches_the_reader_after_what_came_before():
    def work(emit) -> None:
        emit("first")
        raise PermissionDenied("无权访问该法院的数据", reason="OUT_OF_SCOPE")

    async def read() -> list[str]:
        got = []
        with pytest.raises(PermissionDenied):
            async for item in streamed(work):
                got.append(item)
        return got

    assert asyncio.run(read()) == ["first"]


def test_a_reader_that_stops_early_stops_the_walk():
    emitted, finished = [], threading.Event()

    def work(emit) -> None:
        try:
            for i in range(10_000):
                emit(i)
                emitted.append(i)
        finally:
            finished.set()

    async def read_two() -> None:
        stream = streamed(work, waiting=2)
        async for item in stream:
            if item == 1:
                break
        await stream.aclose()

    asyncio.run(read_two())
    assert finished.wait(5), "the walk is still running"
    assert len(emitted) < 10, emitted   # stopped at once, not after filling the queue again and again
