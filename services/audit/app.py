"""Composition root of the audit service."""
from __future__ import annotations

from functools import partial

from courtflow.audit.v1 import audit_service_pb2, audit_service_pb2_grpc
from courtflow.common.v1 import integrity_pb2, integrity_pb2_grpc

from services.audit import integrity
from services.audit.config import Settings
from services.audit.consumers import subscriptions
from services.audit.retention import retention_loop
from services.audit.servicer import AuditServicer
from services.common.integrity_service import IntegrityServicer
from services.common.server import Runtime, ServiceApp


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        servicer = AuditServicer(rt, settings.checkpoint_key)
        checks = IntegrityServicer(rt, schema="audit",
                                   answer=partial(integrity.answer, checkpoint_key=settings.checkpoint_key),
                                   unrecorded=partial(integrity.unrecorded_of, rt.engine))
        retention = retention_loop(rt.uow, checkpoint_key=settings.checkpoint_key, every=settings.checkpoint_every,
                                   retention_days=settings.retention_days, interval=settings.retention_interval)
        return ServiceApp(
            service_names=[audit_service_pb2.DESCRIPTOR.services_by_name["AuditService"].full_name,
                           integrity_pb2.DESCRIPTOR.services_by_name["IntegrityService"].full_name],
            register=lambda server: (audit_service_pb2_grpc.add_AuditServiceServicer_to_server(servicer, server),
                                     integrity_pb2_grpc.add_IntegrityServiceServicer_to_server(checks, server)),
            subscriptions=subscriptions(checkpoint_key=settings.checkpoint_key, every=settings.checkpoint_every),
            loops=[retention.run],
            on_stop=[retention.stop],
        )
    return build
