"""Composition root of the alert service: the settings' values become the pacing, the courts'
wording and the SMS provider here, checked against the modules that use them."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from courtflow.alert.v1 import alert_service_pb2, alert_service_pb2_grpc
from courtflow.common.v1 import integrity_pb2, integrity_pb2_grpc

from services.alert import integrity
from services.alert.config import AliyunSmsSettings, Settings
from services.alert.consumers import subscriptions
from services.alert.court_templates import CourtTemplates, TemplateError
from services.alert.feed import InboxFeed
from services.alert.pacing import Pacing, QuietHours
from services.alert.servicer import AlertServicer
from services.alert.sms import LEASE_SECONDS, LoggingProvider, SmsProvider, SmsSender, sample_deliveries
from services.alert.sms_http import TEMPLATE_KINDS, AliyunSmsProvider
from services.common.integrity_service import IntegrityServicer
from services.common.server import Runtime, ServiceApp
from services.common.settings import SettingsError


def pacing(settings: Settings) -> Pacing:
    try:
        quiet = QuietHours.parse(settings.sms_quiet_hours)
    except ValueError as exc:
        raise SettingsError(f"配置错误: ALERT_SMS_QUIET_HOURS: {exc}; \"off\" for none") from None
    return Pacing(quiet=quiet, min_interval=settings.sms_min_interval, digest_above=settings.sms_digest_above)


def court_templates(path: Path | None) -> CourtTemplates:
    try:
        return CourtTemplates.load(path)
    except TemplateError as exc:
        raise SettingsError(f"配置错误: ALERT_TEMPLATES: {exc}") from None


def check_aliyun(aliyun: AliyunSmsSettings) -> None:
    """What the provider and the sender need of Alibaba Cloud's settings."""
    # A call may spend the timeout on connecting, sending and reading; all of it must end
    # before the sender's claim on the delivery expires, or a second sender could take it.
    if not 0 < aliyun.timeout <= LEASE_SECONDS / 3:
        raise SettingsError(f"配置错误: ALERT_SMS_TIMEOUT={aliyun.timeout:g} must be above 0 and at most "
                            f"{LEASE_SECONDS / 3:g} seconds")
    for kind in aliyun.templates:
        if kind not in TEMPLATE_KINDS:
            raise SettingsError(f"配置错误: ALERT_SMS_TEMPLATES names unknown kind {kind!r}; "
                                f"known: {', '.join(TEMPLATE_KINDS)}")


def sms_provider(settings: Settings) -> SmsProvider:
    """The provider ALERT_SMS_PROVIDER chooses: Alibaba Cloud SMS, or the log file (the default)."""
    aliyun = settings.sms_aliyun
    if aliyun is not None:
        check_aliyun(aliyun)
        return AliyunSmsProvider(endpoint=aliyun.endpoint, access_key_id=aliyun.access_key_id,
                                 access_key_secret=aliyun.access_key_secret, sign_name=aliyun.sign_name,
                                 templates=aliyun.templates, timeout=aliyun.timeout)
    return LoggingProvider(settings.sms_log)


def build_with(settings: Settings):
    # Checked now, before anything connects: a bad value stops start-up (`migrate` included).
    sms_pacing, wording = pacing(settings), court_templates(settings.court_templates)
    if settings.sms_aliyun is not None:
        check_aliyun(settings.sms_aliyun)

    def build(rt: Runtime) -> ServiceApp:
        sender = SmsSender(rt.uow, sms_provider(settings), pacing=sms_pacing)
        feed = InboxFeed(rt)
        servicer = AlertServicer(rt, feed)
        # Reminders handed to the provider twice are read from the log provider's file.
        sms_log = settings.sms_log if settings.sms_aliyun is None else None
        checks = IntegrityServicer(rt, schema="alerts", answer=partial(integrity.answer, sms_log_path=sms_log))
        return ServiceApp(
            service_names=[alert_service_pb2.DESCRIPTOR.services_by_name["AlertService"].full_name,
                           integrity_pb2.DESCRIPTOR.services_by_name["IntegrityService"].full_name],
            register=lambda server: (alert_service_pb2_grpc.add_AlertServiceServicer_to_server(servicer, server),
                                     integrity_pb2_grpc.add_IntegrityServiceServicer_to_server(checks, server)),
            subscriptions=subscriptions(wording),
            loops=[sender.run, feed.run],
            on_stop=[sender.stop, feed.stop],
            probes=[lambda: sample_deliveries(rt.uow)],
        )
    return build
