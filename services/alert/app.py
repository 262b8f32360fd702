"""Composition root of the alert service."""
from __future__ import annotations

from courtflow.alert.v1 import alert_service_pb2, alert_service_pb2_grpc

from services.alert.config import Settings
from services.alert.consumers import subscriptions
from services.alert.servicer import AlertServicer
from services.alert.sms import LoggingProvider, SmsSender
from services.common.server import Runtime, ServiceApp


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        sender = SmsSender(rt.uow, LoggingProvider(settings.sms_log))
        servicer = AlertServicer(rt)
        return ServiceApp(
            service_names=[alert_service_pb2.DESCRIPTOR.services_by_name["AlertService"].full_name],
            register=lambda server: alert_service_pb2_grpc.add_AlertServiceServicer_to_server(servicer, server),
            subscriptions=subscriptions(),
            loops=[sender.run],
            on_stop=[sender.stop],
        )
    return build
