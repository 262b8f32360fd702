"""gRPC AuditService: proto ↔ domain only."""
from __future__ import annotations

from datetime import datetime, timezone

from courtflow.audit.v1 import audit_pb2, audit_service_pb2 as pb, audit_service_pb2_grpc

from services.audit import export, service
from services.audit.models import RecordRow
from services.common import caller
from services.common.clock import legal_today
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime

FILTERS = {"actor": str, "action": str, "resource": str, "court": str, "department": str,
           "result": lambda v: audit_pb2.AuditResult.Value(f"AUDIT_RESULT_{v}")}


def to_proto(r: RecordRow) -> audit_pb2.AuditRecord:
    op = audit_pb2.Operation(id=r.operation_id, actor=r.actor, actor_display_name=r.actor_display_name, role=r.role,
                             court=r.court, department=r.department, action=r.action, resource=r.resource,
                             result=r.result, error_reason=r.error_reason, client_address=r.client_address,
                             user_agent=r.user_agent, trace_id=r.trace_id, reporter=r.reporter, detail=r.detail)
    op.occur_time.FromDatetime(r.occur_time)
    rec = audit_pb2.AuditRecord(name=f"auditRecords/{r.sequence}", sequence=r.sequence, operation=op, hash=r.hash,
                                previous_hash=r.previous_hash)
    rec.record_time.FromDatetime(r.record_time)
    return rec


def _instant(request, field: str) -> datetime | None:
    return getattr(request, field).ToDatetime(tzinfo=timezone.utc) if request.HasField(field) else None


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GROUPINGS = {pb.USAGE_GROUPING_ACTOR: "actor", pb.USAGE_GROUPING_DEPARTMENT: "department",
             pb.USAGE_GROUPING_COURT: "court"}


class AuditServicer(audit_service_pb2_grpc.AuditServiceServicer):
    def __init__(self, rt: Runtime, checkpoint_key: str) -> None:
        self._rt = rt
        self._checkpoint_key = checkpoint_key

    async def ListAuditRecords(self, request: pb.ListAuditRecordsRequest, context):
        filters = parse_filter(request.filter, FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter, key_type=int)
        rows = await self._rt.db(service.list_records, self._rt.uow, caller=caller.current(), filters=filters,
                                 page=page, start=_instant(request, "start_time"), end=_instant(request, "end_time"))
        rows, token = split_page(rows, page, lambda r: r.sequence)
        return pb.ListAuditRecordsResponse(audit_records=[to_proto(r) for r in rows], next_page_token=token)

    async def VerifyAuditChain(self, request: pb.VerifyAuditChainRequest, context):
        v = await self._rt.db(service.verify, self._rt.uow, caller=caller.current(),
                              checkpoint_key=self._checkpoint_key)
        reply = pb.VerifyAuditChainResponse(intact=v.intact, verified_records=v.verified_records,
                                            head_sequence=v.head_sequence, checkpoints_verified=v.checkpoints_verified,
                                            first_sequence=v.first_sequence)
        if v.finding is not None:
            reply.first_bad_record = f"auditRecords/{v.finding.sequence}"
            reply.problem, reply.message = v.finding.problem, v.finding.message
        return reply

    async def ListAuditUsage(self, request: pb.ListAuditUsageRequest, context):
        rows = await self._rt.db(service.usage, self._rt.uow, caller=caller.current(),
                                 group_by=GROUPINGS[request.group_by], start=_instant(request, "start_time"),
                                 end=_instant(request, "end_time"))
        reply = pb.ListAuditUsageResponse()
        for u in rows:
            item = reply.usage.add(key=u.key, display_name=u.display_name, operations=u.operations, denied=u.denied,
                                   failed=u.failed)
            item.last_time.FromDatetime(u.last_time)
        return reply

    async def ExportAuditRecords(self, request: pb.ExportAuditRecordsRequest, context):
        filters = parse_filter(request.filter, FILTERS)
        rows = await self._rt.db(service.export_records, self._rt.uow, caller=caller.current(), filters=filters,
                                 start=_instant(request, "start_time"), end=_instant(request, "end_time"))
        day = legal_today(self._rt.clock).strftime("%Y%m%d")   # the service's clock, like every date it gives
        if request.format == pb.EXPORT_FORMAT_XLSX:
            content, media, suffix = export.to_xlsx(rows), XLSX_MEDIA_TYPE, "xlsx"
        else:
            content, media, suffix = export.to_csv(rows), "text/csv; charset=utf-8", "csv"
        return pb.ExportAuditRecordsResponse(content=content, content_type=media, file_name=f"操作日志-{day}.{suffix}",
                                             record_count=len(rows))
