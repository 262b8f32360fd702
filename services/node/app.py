"""Composition root of the node service."""
from __future__ import annotations

from courtflow.node.v1 import node_service_pb2, node_service_pb2_grpc

from services.common.clock import SharedClock
from services.common.server import Runtime, ServiceApp
from services.node import catalog
from services.node.calendar import HolidayCalendar
from services.node.config import Settings
from services.node.consumers import case_subscription
from services.node.due_queue import Sweeper
from services.node.servicer import NodeServicer


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        rules = catalog.load(settings.catalog_path)
        calendar = HolidayCalendar.builtin()
        sweeper = Sweeper(rt.uow, batch=settings.sweep_batch, interval=settings.sweep_interval,
                          budget=settings.sweep_budget)
        if isinstance(rt.clock, SharedClock):
            rt.clock.on_change(sweeper.wake)
        servicer = NodeServicer(rt)
        return ServiceApp(
            service_names=[node_service_pb2.DESCRIPTOR.services_by_name["NodeService"].full_name],
            register=lambda server: node_service_pb2_grpc.add_NodeServiceServicer_to_server(servicer, server),
            subscriptions=[case_subscription(catalog=rules, calendar=calendar)],
            loops=[sweeper.run],
            on_stop=[sweeper.stop],
        )
    return build
