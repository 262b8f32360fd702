"""gRPC StatsService: proto ↔ domain only."""
from __future__ import annotations

import asyncio
import uuid

from courtflow.node.v1.node_pb2 import Stage
from courtflow.stats.v1 import report_pb2, stats_service_pb2 as pb, stats_service_pb2_grpc

from services.common import caller, integrity
from services.common.integrity_service import stuck_after
from services.common.names import CourtName
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime
from services.stats import convert, report_files, service, verification

FILTERS = {"department": str, "stage": lambda v: Stage.Value(f"STAGE_{v}")}


class StatsServicer(stats_service_pb2_grpc.StatsServiceServicer):
    def __init__(self, rt: Runtime, sources) -> None:
        self._rt = rt
        self._sources = sources   # the case and node services, for VerifySupervision (sources.py)

    async def ListNodeStatistics(self, request: pb.ListNodeStatisticsRequest, context):
        filters = parse_filter(request.filter, FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter, parent=request.parent)
        court = CourtName.parse(request.parent, "parent", wildcard=True).court
        rows = await self._rt.db(service.list_node_statistics, self._rt.uow, caller=caller.current(),
                                 court=court, filters=filters, page=page)
        rows, token = split_page(rows, page, lambda r: r.cell)
        return pb.ListNodeStatisticsResponse(node_statistics=[convert.statistic_to_proto(r) for r in rows],
                                             next_page_token=token)

    async def SummarizeSupervision(self, request: pb.SummarizeSupervisionRequest, context):
        court = CourtName.parse(request.parent, "parent", wildcard=True).court
        summary = await self._rt.db(service.summarize_supervision, self._rt.uow, caller=caller.current(),
                                    court=court, query=request.query, group_by=request.group_by)
        return convert.summary_to_proto(summary)

    async def ListSupervisedCases(self, request: pb.ListSupervisedCasesRequest, context):
        court = CourtName.parse(request.parent, "parent", wildcard=True).court
        page = page_request(request.page_size, request.page_token, parent=request.parent, key_type=uuid.UUID,
                            filter_text=_fingerprint(request.query))
        rows, as_of = await self._rt.db(service.list_supervised_cases, self._rt.uow, caller=caller.current(),
                                        court=court, query=request.query, page=page)
        rows, token = split_page(rows, page, lambda r: r.case_id)
        return pb.ListSupervisedCasesResponse(cases=[convert.supervised_case(r) for r in rows], next_page_token=token)

    async def ListSupervisedNodes(self, request: pb.ListSupervisedNodesRequest, context):
        court = CourtName.parse(request.parent, "parent", wildcard=True).court
        page = page_request(request.page_size, request.page_token, parent=request.parent,
                            filter_text=_fingerprint(request.query))
        rows, as_of = await self._rt.db(service.list_supervised_nodes, self._rt.uow, caller=caller.current(),
                                        court=court, query=request.query, page=page)
        rows, token = split_page(rows, page, lambda r: r.node)
        return pb.ListSupervisedNodesResponse(nodes=[convert.supervised_node(r, as_of=as_of) for r in rows],
                                              next_page_token=token)

    async def ExportSupervisionReport(self, request: report_pb2.ExportSupervisionReportRequest, context):
        court = CourtName.parse(request.parent, "parent").court
        report = await self._rt.db(service.export_supervision_report, self._rt.uow, caller=caller.current(),
                                   court=court, period=request.period, region=request.region, items=request.items)
        # The file is built off the event loop, like the queries.
        content, media, name = await asyncio.to_thread(report_files.render, report,
                                                       as_csv=request.format == report_pb2.REPORT_FORMAT_CSV)
        return report_pb2.ExportSupervisionReportResponse(content=content, content_type=media, file_name=name,
                                                          kind=report.plan.definition.kind, row_count=len(report.rows))

    async def AnalyzeQuality(self, request: pb.AnalyzeQualityRequest, context):
        court = CourtName.parse(request.parent, "parent", wildcard=True).court
        analysis = await self._rt.db(service.analyze_quality, self._rt.uow, caller=caller.current(), court=court,
                                     request=request)
        return convert.quality_to_proto(analysis)

    async def VerifySupervision(self, request: pb.VerifySupervisionRequest, context):
        court = CourtName.parse(request.parent, "parent", wildcard=True).court
        found = await self._rt.db(service.verify_supervision, self._rt.uow, self._sources, caller=caller.current(),
                                  court=court)
        return convert.verification_to_proto(found)

    async def VerifyIntegrity(self, request: pb.VerifyIntegrityRequest, context):
        court, who = CourtName.parse(request.parent, "parent", wildcard=True).court, caller.current()
        after = stuck_after(request.stuck_after_seconds)
        # This service's own consumers are asked on the event loop, where its NATS client lives.
        stuck = await integrity.stuck_consumers(self._rt.js, older_than=after, consumer="stats") \
            if integrity.scope_for(who, court).whole_service else []
        report = await self._rt.db(verification.verify_integrity, self._rt.engine, self._sources, caller=who,
                                   court=court, stuck_after=after, settled_before=self._rt.clock.now() - after,
                                   stuck_consumers=stuck)
        return convert.integrity_to_proto(report)


def _fingerprint(query) -> str:
    """A page token belongs to one query: all of it, not only its filter."""
    return query.SerializeToString(deterministic=True).hex()
