"""Retention of the audit log (P8): records older than the retention period are removed, at
least 180 days' worth always kept.

Removal goes up to a signed checkpoint and leaves a signed anchor there, one checkpoint
interval per transaction: the chain is then verified from the anchor, so a removal by
retention is told apart from a deletion — records missing after the anchor, or an anchor
the key did not sign, are still found. Each run is itself recorded in the log.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from sqlalchemy import delete

from courtflow.audit.v1.audit_pb2 import AuditResult, Operation

from services.audit import chain, repository, service
from services.audit.models import AnchorRow, CheckpointRow, RecordRow
from services.common.dates import set_instant
from services.common.events import new_event_id
from services.common.periodic import Periodic
from services.common.uow import UnitOfWork

log = logging.getLogger(__name__)
ACTION = "audit.retention.purge"


def purge(uow_factory: Callable[[], UnitOfWork], *, checkpoint_key: str, retention_days: int, every: int) -> int:
    """Remove what retention allows, up to the newest signed checkpoint older than the period;
    returns how many records went."""
    removed = 0
    while True:
        with uow_factory() as uow:
            cutoff = uow.clock.now() - timedelta(days=retention_days)
            anchor = repository.latest_anchor(uow.session)
            after = anchor.sequence if anchor else 0
            # The next checkpoint past the anchor, if the period is over for it: one interval a turn.
            target = repository.next_checkpoint_before(uow.session, after=after, cutoff=cutoff)
            if target is None:
                break
            count, until = repository.records_span(uow.session, after=after, upto=target.sequence)
            uow.session.execute(delete(RecordRow).where(RecordRow.sequence <= target.sequence))
            uow.session.execute(delete(CheckpointRow).where(CheckpointRow.sequence <= target.sequence))
            uow.session.execute(delete(AnchorRow))
            uow.session.add(AnchorRow(sequence=target.sequence, hash=target.hash,
                                      signature=chain.sign_anchor(checkpoint_key, target.sequence, target.hash),
                                      removed_records=(anchor.removed_records if anchor else 0) + count,
                                      removed_until=until or cutoff, create_time=uow.clock.now()))
            uow.commit()
            removed += count
    if removed:
        _record(uow_factory, removed=removed, checkpoint_key=checkpoint_key, every=every)
    return removed


def _record(uow_factory: Callable[[], UnitOfWork], *, removed: int, checkpoint_key: str, every: int) -> None:
    """The run, in the log it pruned: who (the audit service), what, how many."""
    with uow_factory() as uow:
        anchor = repository.latest_anchor(uow.session)
        op = Operation(id=str(new_event_id()), actor="services/audit", actor_display_name="审计日志保留期清理",
                       action=ACTION, resource=f"auditRecords/{anchor.sequence}",
                       result=AuditResult.AUDIT_RESULT_SUCCEEDED, reporter="audit",
                       error_reason=f"按保留期清理 {removed} 条记录（至 auditRecords/{anchor.sequence}）")
        set_instant(op.occur_time, uow.clock.now())
        service.append(uow, [op], checkpoint_key=checkpoint_key, every=every)
        uow.commit()


def retention_loop(uow_factory: Callable[[], UnitOfWork], *, checkpoint_key: str, retention_days: int, every: int,
                   interval: float) -> Periodic:
    """Purge now and then; the period counts in business time, like record times."""
    def once() -> None:
        removed = purge(uow_factory, checkpoint_key=checkpoint_key, retention_days=retention_days, every=every)
        if removed:
            log.info("audit retention removed %d records older than %d days", removed, retention_days)
    return Periodic(once, interval=interval, name="audit retention")
