"""gRPC AuditService: proto ↔ domain only."""
from __future__ import annotations

from courtflow.audit.v1 import audit_pb2, audit_service_pb2 as pb, audit_service_pb2_grpc

from services.audit import convert, export, service
from services.common import caller
from services.common.clock import legal_today
from services.common.dates import instant
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime

FILTERS = {"actor": str, "action": str, "resource": str, "court": str, "department": str,
           "result": lambda v: audit_pb2.AuditResult.Value(f"AUDIT_RESULT_{v}")}
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
                                 page=page, start=instant(request, "start_time"), end=instant(request, "end_time"))
        rows, token = split_page(rows, page, lambda r: r.sequence)
        return pb.ListAuditRecordsResponse(audit_records=[convert.record_to_proto(r) for r in rows],
                                           next_page_token=token)

    async def VerifyAuditChain(self, request: pb.VerifyAuditChainRequest, context):
        v = await self._rt.db(service.verify, self._rt.uow, caller=caller.current(),
                              checkpoint_key=self._checkpoint_key)
        return convert.verification_to_proto(v)

    async def ListAuditUsage(self, request: pb.ListAuditUsageRequest, context):
        rows = await self._rt.db(service.usage, self._rt.uow, caller=caller.current(),
                                 group_by=GROUPINGS[request.group_by], start=instant(request, "start_time"),
                                 end=instant(request, "end_time"))
        return convert.usage_to_proto(rows)

    async def ExportAuditRecords(self, request: pb.ExportAuditRecordsRequest, context):
        filters = parse_filter(request.filter, FILTERS)
        rows = await self._rt.db(service.export_records, self._rt.uow, caller=caller.current(), filters=filters,
                                 start=instant(request, "start_time"), end=instant(request, "end_time"))
        day = legal_today(self._rt.clock).strftime("%Y%m%d")   # the service's clock, like every date it gives
        if request.format == pb.EXPORT_FORMAT_XLSX:
            content, media, suffix = export.to_xlsx(rows), XLSX_MEDIA_TYPE, "xlsx"
        else:
            content, media, suffix = export.to_csv(rows), "text/csv; charset=utf-8", "csv"
        return pb.ExportAuditRecordsResponse(content=content, content_type=media, file_name=f"操作日志-{day}.{suffix}",
                                             record_count=len(rows))
