"""Composition root of the stats service."""
from __future__ import annotations

from datetime import timedelta

from courtflow.stats.v1 import stats_service_pb2, stats_service_pb2_grpc

from services.common.periodic import Periodic
from services.common.server import Runtime, ServiceApp
from services.stats import service
from services.stats.config import Settings
from services.stats.consumers import subscriptions
from services.stats.servicer import StatsServicer
from services.stats.sources import Sources


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        sources = Sources(case_address=settings.case_address, node_address=settings.node_address,
                          alert_address=settings.alert_address, audit_address=settings.audit_address,
                          internal_key=settings.common.internal_key)
        servicer = StatsServicer(rt, sources)
        housekeeping = Periodic(lambda: service.keep_cube(
            rt.uow, settle=timedelta(hours=settings.snapshot_settle_hours), months=settings.snapshot_months,
            days=settings.snapshot_days, chain=settings.snapshot_chain),
            interval=settings.snapshot_interval, name="cube housekeeping")

        async def close_sources() -> None:
            sources.close()

        return ServiceApp(
            service_names=[stats_service_pb2.DESCRIPTOR.services_by_name["StatsService"].full_name],
            register=lambda server: stats_service_pb2_grpc.add_StatsServiceServicer_to_server(servicer, server),
            subscriptions=subscriptions(),
            loops=[housekeeping.run],
            on_stop=[housekeeping.stop, close_sources],
        )
    return build
