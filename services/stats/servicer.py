"""gRPC StatsService: proto ↔ domain only."""
from __future__ import annotations

from courtflow.node.v1.node_pb2 import Stage
from courtflow.stats.v1 import stats_pb2, stats_service_pb2 as pb, stats_service_pb2_grpc

from services.common import caller
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime
from services.stats import service
from services.stats.models import NodeCountRow

FILTERS = {"department": str, "stage": lambda v: Stage.Value(f"STAGE_{v}")}


def to_proto(r: NodeCountRow) -> stats_pb2.NodeStatistic:
    return stats_pb2.NodeStatistic(court=r.court, department=r.department, stage=r.stage, open_count=r.open_count,
                                   warning_count=r.warning_count, overdue_count=r.overdue_count,
                                   overdue_without_warning_count=r.overdue_without_warning_count)


class StatsServicer(stats_service_pb2_grpc.StatsServiceServicer):
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt

    async def ListNodeStatistics(self, request: pb.ListNodeStatisticsRequest, context):
        filters = parse_filter(request.filter, FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter, parent=request.parent)
        rows = await self._rt.db(service.list_node_statistics, self._rt.uow, caller=caller.current(),
                                 court=request.parent.split("/")[1], filters=filters, page=page)
        rows, token = split_page(rows, page, lambda r: r.cell)
        return pb.ListNodeStatisticsResponse(node_statistics=[to_proto(r) for r in rows], next_page_token=token)
