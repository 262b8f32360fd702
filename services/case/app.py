"""Composition root of the case service."""
from __future__ import annotations

from courtflow.case.v1 import case_service_pb2, case_service_pb2_grpc

from services.case.config import Settings
from services.case.consumers import subscriptions
from services.case.node_client import NodeClient
from services.case.servicer import CaseServicer
from services.common.server import Runtime, ServiceApp


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        node = NodeClient(settings.node_address, settings.common.internal_key)
        servicer = CaseServicer(rt, node)

        async def close_node() -> None:
            node.close()

        return ServiceApp(
            service_names=[case_service_pb2.DESCRIPTOR.services_by_name["CaseService"].full_name],
            register=lambda server: case_service_pb2_grpc.add_CaseServiceServicer_to_server(servicer, server),
            subscriptions=subscriptions(),
            on_stop=[close_node],
        )
    return build
