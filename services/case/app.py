"""Composition root of the case service."""
from __future__ import annotations

from courtflow.case.v1 import case_service_pb2, case_service_pb2_grpc
from courtflow.common.v1 import integrity_pb2, integrity_pb2_grpc

from services.case import integrity
from services.case.config import Settings
from services.case.consumers import subscriptions
from services.case.node_client import NodeClient
from services.case.servicer import CaseServicer
from services.common.integrity_service import IntegrityServicer
from services.common.server import Runtime, ServiceApp


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        node = NodeClient(settings.node_address, settings.common.internal_key)
        servicer = CaseServicer(rt, node)
        checks = IntegrityServicer(rt, schema="cases", answer=integrity.answer)

        async def close_node() -> None:
            node.close()

        return ServiceApp(
            service_names=[case_service_pb2.DESCRIPTOR.services_by_name["CaseService"].full_name,
                           integrity_pb2.DESCRIPTOR.services_by_name["IntegrityService"].full_name],
            register=lambda server: (case_service_pb2_grpc.add_CaseServiceServicer_to_server(servicer, server),
                                     integrity_pb2_grpc.add_IntegrityServiceServicer_to_server(checks, server)),
            subscriptions=subscriptions(),
            on_stop=[close_node],
        )
    return build
