"""Composition root of the audit service."""
from __future__ import annotations

from courtflow.audit.v1 import audit_service_pb2, audit_service_pb2_grpc

from services.audit.config import Settings
from services.audit.consumers import subscriptions
from services.audit.retention import retention_loop
from services.audit.servicer import AuditServicer
from services.common.server import Runtime, ServiceApp


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        servicer = AuditServicer(rt, settings.checkpoint_key)
        retention = retention_loop(rt.uow, checkpoint_key=settings.checkpoint_key, every=settings.checkpoint_every,
                                   retention_days=settings.retention_days, interval=settings.retention_interval)
        return ServiceApp(
            service_names=[audit_service_pb2.DESCRIPTOR.services_by_name["AuditService"].full_name],
            register=lambda server: audit_service_pb2_grpc.add_AuditServiceServicer_to_server(servicer, server),
            subscriptions=subscriptions(checkpoint_key=settings.checkpoint_key, every=settings.checkpoint_every),
            loops=[retention.run],
            on_stop=[retention.stop],
        )
    return build
