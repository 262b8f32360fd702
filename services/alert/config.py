"""Alert service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from services.alert.court_templates import CourtTemplates, TemplateError
from services.alert.pacing import Pacing, QuietHours
from services.alert.sms import LEASE_SECONDS
from services.alert.sms_http import DEFAULT_ENDPOINT, TEMPLATE_KINDS
from services.common.settings import CommonSettings, Env, SettingsError

DEFAULT_PORT = 50053
# The court's default (A1): no SMS 22:00–08:00 Asia/Shanghai, one per person per 10 minutes.
DEFAULT_PACING = Pacing(quiet=QuietHours.parse("22:00-08:00"), min_interval=timedelta(minutes=10))
SMS_PROVIDERS = ("log", "aliyun")


@dataclass(frozen=True)
class AliyunSmsSettings:
    """Alibaba Cloud SMS (ALERT_SMS_PROVIDER=aliyun)."""

    endpoint: str
    access_key_id: str
    access_key_secret: str = field(repr=False)  # settings get logged; the secret must not be
    sign_name: str
    # Reminder kind (WARNING, OVERDUE, …) → template code approved in the Alibaba Cloud console.
    templates: dict[str, str]
    # Seconds for each connect and read of one call.
    timeout: float

    @classmethod
    def from_env(cls, env: Env) -> "AliyunSmsSettings":
        def required(name: str) -> str:
            try:
                return env.str(name)
            except SettingsError:
                raise SettingsError(f"配置缺失: environment variable {name} is required when "
                                    f"ALERT_SMS_PROVIDER=aliyun") from None

        endpoint = env.str("ALERT_SMS_ENDPOINT", DEFAULT_ENDPOINT)
        if not endpoint.startswith(("https://", "http://")):
            raise SettingsError(f"配置错误: ALERT_SMS_ENDPOINT={endpoint!r} is not an http(s) URL")
        timeout = env.float("ALERT_SMS_TIMEOUT", 5.0)
        # A call may spend the timeout on connecting, sending and reading; all of it must end
        # before the sender's claim on the delivery expires, or a second sender could take it.
        if not 0 < timeout <= LEASE_SECONDS / 3:
            raise SettingsError(f"配置错误: ALERT_SMS_TIMEOUT={timeout:g} must be above 0 and at most "
                                f"{LEASE_SECONDS / 3:g} seconds")
        return cls(endpoint=endpoint, access_key_id=required("ALERT_SMS_ACCESS_KEY_ID"),
                   access_key_secret=required("ALERT_SMS_ACCESS_KEY_SECRET"),
                   sign_name=required("ALERT_SMS_SIGN_NAME"),
                   templates=parse_templates(required("ALERT_SMS_TEMPLATES")), timeout=timeout)


def parse_templates(raw: str) -> dict[str, str]:
    """`WARNING=SMS_1001,OVERDUE=SMS_1002` → {"WARNING": "SMS_1001", …}. Kinds left out are
    allowed (their SMS fail with a clear reason); misspelt ones stop start-up."""
    templates: dict[str, str] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        kind, sep, code = (part.strip() for part in item.partition("="))
        if not sep or not code:
            raise SettingsError(f"配置错误: ALERT_SMS_TEMPLATES item {item.strip()!r} is not KIND=TEMPLATE_CODE")
        if kind not in TEMPLATE_KINDS:
            raise SettingsError(f"配置错误: ALERT_SMS_TEMPLATES names unknown kind {kind!r}; "
                                f"known: {', '.join(TEMPLATE_KINDS)}")
        if kind in templates:
            raise SettingsError(f"配置错误: ALERT_SMS_TEMPLATES names {kind} twice")
        templates[kind] = code
    if not templates:
        raise SettingsError("配置错误: ALERT_SMS_TEMPLATES names no template")
    return templates


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    # "log": write SMS to a file instead of sending (the embedded default); "aliyun": send them.
    sms_provider: str
    sms_log: Path
    # Quiet hours, one SMS per person per interval, digests (pacing.py).
    sms_pacing: Pacing = DEFAULT_PACING
    # Courts' own wording of reminders (court_templates.py), from ALERT_TEMPLATES.
    court_templates: CourtTemplates = field(default_factory=CourtTemplates)
    sms_aliyun: AliyunSmsSettings | None = None

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        provider = env.str("ALERT_SMS_PROVIDER", "log")
        if provider not in SMS_PROVIDERS:
            raise SettingsError(f"配置错误: ALERT_SMS_PROVIDER={provider!r}; supported: {', '.join(SMS_PROVIDERS)}")
        return cls(common=CommonSettings.from_env("alert", DEFAULT_PORT, env), sms_provider=provider,
                   sms_log=Path(env.str("ALERT_SMS_LOG", "sms.log")), sms_pacing=pacing_from_env(env),
                   court_templates=templates_from_env(env),
                   sms_aliyun=AliyunSmsSettings.from_env(env) if provider == "aliyun" else None)


def templates_from_env(env: Env) -> CourtTemplates:
    path = env.optional("ALERT_TEMPLATES")
    try:
        return CourtTemplates.load(Path(path) if path else None)
    except TemplateError as exc:
        raise SettingsError(f"配置错误: ALERT_TEMPLATES: {exc}") from None


def pacing_from_env(env: Env) -> Pacing:
    try:
        quiet = QuietHours.parse(env.str("ALERT_SMS_QUIET_HOURS", "22:00-08:00"))
    except ValueError as exc:
        raise SettingsError(f"配置错误: ALERT_SMS_QUIET_HOURS: {exc}; \"off\" for none") from None
    minutes = env.float("ALERT_SMS_MIN_INTERVAL_MINUTES", 10.0)
    above = env.int("ALERT_SMS_DIGEST_ABOVE", 1)
    if minutes < 0 or above < 1:
        raise SettingsError("配置错误: ALERT_SMS_MIN_INTERVAL_MINUTES must be >= 0 and ALERT_SMS_DIGEST_ABOVE >= 1")
    return Pacing(quiet=quiet, min_interval=timedelta(minutes=minutes), digest_above=above)
