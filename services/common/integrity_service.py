"""IntegrityService (courtflow.common.v1): each service's answer for its own data to
StatsService.VerifyIntegrity, which composes them.

A service's own checks (its integrity.py `answer`) and the checks of the plumbing every service
shares (outbox, dead letters, consumers, the operations reported to the audit log) run in one
snapshot of its schema, in a database thread, and the answer is streamed as it is produced: the
case and node services' answers hold every case in scope, which must not be held in memory whole.
"""
from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import Connection, Engine

from courtflow.common.v1 import integrity_pb2 as pb, integrity_pb2_grpc

from services.common import caller, integrity
from services.common.errors import PermissionDenied
from services.common.integrity import Finding, Scope, findings_to_proto
from services.common.names import CourtName
from services.common.server import Runtime

Emit = Callable[[pb.CheckIntegrityResponse], None]
# A service's own checks: given its connection (one snapshot) and the scope, emit the answer.
Answer = Callable[[Connection, Scope, Emit], None]
DEFAULT_STUCK_SECONDS = 300
BATCH = 1000


def stuck_after(seconds: int) -> timedelta:
    return timedelta(seconds=seconds or DEFAULT_STUCK_SECONDS)


def own_checks(engine: Engine, schema: str, scope: Scope, emit: Emit, *, answer: Answer | None,
               settled_before: datetime) -> None:
    """A service's checks in one snapshot of its schema; with the whole service in scope also its
    outbox rows not published, its dead letters and the operations it reported before
    `settled_before` (for the audit service to look up)."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if answer is not None:
                answer(conn, scope, emit)
            if not scope.whole_service:
                return
            found = []
            if integrity.has_table(conn, schema, "outbox"):
                found += integrity.stuck_outbox(conn, schema, before=settled_before)
                reported = (r for r in integrity.reported_operations(conn, schema) if r[2] <= settled_before)
                while batch := list(itertools.islice(reported, BATCH)):
                    emit(pb.CheckIntegrityResponse(reported_operations=[
                        pb.ReportedOperation(operation_id=op, resource=resource, reporter=schema,
                                             report_time=_timestamp(at)) for op, resource, at in batch]))
            if integrity.has_table(conn, schema, "dead_letters"):
                found += integrity.dead_letter_findings(integrity.dead_letters(conn, schema))
            emit(pb.CheckIntegrityResponse(findings=findings_to_proto(found), checks=["stuck", "dead_letters"]))


def _timestamp(at: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


class _Closed(Exception):
    """The stream's reader went away: the thread producing it stops."""


async def streamed(work: Callable[[Emit], None], *, waiting: int = 4) -> AsyncIterator:
    """Run blocking `work(emit)` in the database thread pool and yield what it emits as it emits
    it; at most `waiting` messages wait for the reader, so a slow reader slows the walk instead
    of filling memory. An error of `work` is raised here."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue(waiting)
    closed, end = threading.Event(), object()

    def emit(item) -> None:
        if closed.is_set():
            raise _Closed()
        asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()

    def run() -> None:
        try:
            work(emit)
            last = end
        except _Closed:
            return
        except BaseException as exc:  # handed to the reader, which raises it
            last = exc
        if not closed.is_set():
            asyncio.run_coroutine_threadsafe(queue.put(last), loop).result()

    producer = loop.run_in_executor(None, run)
    try:
        while (item := await queue.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        closed.set()
        while not queue.empty():   # frees a thread waiting to put, which then sees `closed`
            queue.get_nowait()
        await asyncio.shield(producer)


class IntegrityServicer(integrity_pb2_grpc.IntegrityServiceServicer):
    """Registered by every service but stats (which composes the answers) and the gateway."""

    def __init__(self, rt: Runtime, *, schema: str, answer: Answer | None = None,
                 unrecorded: Callable[[list[pb.ReportedOperation]], list[Finding]] | None = None) -> None:
        self._rt, self._schema, self._answer, self._unrecorded = rt, schema, answer, unrecorded

    async def CheckIntegrity(self, request: pb.CheckIntegrityRequest, context):
        scope = integrity.scope_for(caller.current(), CourtName.parse(request.parent, "parent", wildcard=True).court)
        after = stuck_after(request.stuck_after_seconds)
        if request.operations:
            if self._unrecorded is None or not scope.whole_service:
                raise PermissionDenied("仅审计服务为全省范围的核查查找未入审计日志链的操作", reason="OUT_OF_SCOPE")
            found = await self._rt.db(self._unrecorded, list(request.operations))
            yield pb.CheckIntegrityResponse(findings=findings_to_proto(found), checks=["audit"])
            return
        settled = self._rt.clock.now() - after
        async for message in streamed(lambda emit: own_checks(self._rt.engine, self._schema, scope, emit,
                                                              answer=self._answer, settled_before=settled)):
            yield message
        if scope.whole_service:
            stuck = await integrity.stuck_consumers(self._rt.js, older_than=after, consumer=self._rt.settings.service)
            yield pb.CheckIntegrityResponse(findings=findings_to_proto(stuck), checks=["stuck"])
