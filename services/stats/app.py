"""Composition root of the stats service."""
from __future__ import annotations

from courtflow.stats.v1 import stats_service_pb2, stats_service_pb2_grpc

from services.common.server import Runtime, ServiceApp
from services.stats.config import Settings
from services.stats.consumers import subscriptions
from services.stats.servicer import StatsServicer
from services.stats.sources import Sources


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        sources = Sources(case_address=settings.case_address, node_address=settings.node_address,
                          internal_key=settings.common.internal_key)
        servicer = StatsServicer(rt, sources)

        async def close_sources() -> None:
            sources.close()

        return ServiceApp(
            service_names=[stats_service_pb2.DESCRIPTOR.services_by_name["StatsService"].full_name],
            register=lambda server: stats_service_pb2_grpc.add_StatsServiceServicer_to_server(servicer, server),
            subscriptions=subscriptions(),
            on_stop=[close_sources],
        )
    return build
