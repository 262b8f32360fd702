"""Proto ↔ domain for the audit service."""
from __future__ import annotations

from courtflow.audit.v1 import audit_pb2, audit_service_pb2 as pb

from services.audit.models import RecordRow
from services.audit.service import Usage, Verification
from services.common.dates import set_instant


def record_to_proto(r: RecordRow) -> audit_pb2.AuditRecord:
    op = audit_pb2.Operation(id=r.operation_id, actor=r.actor, actor_display_name=r.actor_display_name, role=r.role,
                             court=r.court, department=r.department, action=r.action, resource=r.resource,
                             result=r.result, error_reason=r.error_reason, client_address=r.client_address,
                             user_agent=r.user_agent, trace_id=r.trace_id, reporter=r.reporter, detail=r.detail)
    set_instant(op.occur_time, r.occur_time)
    rec = audit_pb2.AuditRecord(name=f"auditRecords/{r.sequence}", sequence=r.sequence, operation=op, hash=r.hash,
                                previous_hash=r.previous_hash)
    set_instant(rec.record_time, r.record_time)
    return rec


def verification_to_proto(v: Verification) -> pb.VerifyAuditChainResponse:
    reply = pb.VerifyAuditChainResponse(intact=v.intact, verified_records=v.verified_records,
                                        head_sequence=v.head_sequence, checkpoints_verified=v.checkpoints_verified,
                                        first_sequence=v.first_sequence)
    if v.finding is not None:
        reply.first_bad_record = f"auditRecords/{v.finding.sequence}"
        reply.problem, reply.message = v.finding.problem, v.finding.message
    return reply


def usage_to_proto(rows: list[Usage]) -> pb.ListAuditUsageResponse:
    reply = pb.ListAuditUsageResponse()
    for u in rows:
        item = reply.usage.add(key=u.key, display_name=u.display_name, operations=u.operations, denied=u.denied,
                               failed=u.failed)
        set_instant(item.last_time, u.last_time)
    return reply
