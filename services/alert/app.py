"""Composition root of the alert service."""
from __future__ import annotations

from courtflow.alert.v1 import alert_service_pb2, alert_service_pb2_grpc

from services.alert.config import Settings
from services.alert.consumers import subscriptions
from services.alert.feed import InboxFeed
from services.alert.servicer import AlertServicer
from services.alert.sms import LoggingProvider, SmsProvider, SmsSender
from services.alert.sms_http import AliyunSmsProvider
from services.common.server import Runtime, ServiceApp


def sms_provider(settings: Settings) -> SmsProvider:
    """The provider ALERT_SMS_PROVIDER chooses: Alibaba Cloud SMS, or the log file (the default)."""
    aliyun = settings.sms_aliyun
    if aliyun is not None:
        return AliyunSmsProvider(endpoint=aliyun.endpoint, access_key_id=aliyun.access_key_id,
                                 access_key_secret=aliyun.access_key_secret, sign_name=aliyun.sign_name,
                                 templates=aliyun.templates, timeout=aliyun.timeout)
    return LoggingProvider(settings.sms_log)


def build_with(settings: Settings):
    def build(rt: Runtime) -> ServiceApp:
        sender = SmsSender(rt.uow, sms_provider(settings), pacing=settings.sms_pacing)
        feed = InboxFeed(rt)
        servicer = AlertServicer(rt, feed)
        return ServiceApp(
            service_names=[alert_service_pb2.DESCRIPTOR.services_by_name["AlertService"].full_name],
            register=lambda server: alert_service_pb2_grpc.add_AlertServiceServicer_to_server(servicer, server),
            subscriptions=subscriptions(settings.court_templates),
            loops=[sender.run, feed.run],
            on_stop=[sender.stop, feed.stop],
        )
    return build
