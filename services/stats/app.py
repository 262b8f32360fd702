"""Composition root of the stats service."""
from __future__ import annotations

from courtflow.stats.v1 import stats_service_pb2, stats_service_pb2_grpc

from services.common.server import Runtime, ServiceApp
from services.stats.consumers import subscriptions
from services.stats.servicer import StatsServicer


def build(rt: Runtime) -> ServiceApp:
    servicer = StatsServicer(rt)
    return ServiceApp(
        service_names=[stats_service_pb2.DESCRIPTOR.services_by_name["StatsService"].full_name],
        register=lambda server: stats_service_pb2_grpc.add_StatsServiceServicer_to_server(servicer, server),
        subscriptions=subscriptions(),
    )
