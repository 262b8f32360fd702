"""Alert service settings, read once from the environment: values only. What they become (the
pacing, the courts' wording, the SMS provider) and the checks that need those modules are the
composition root's (app.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from services.common.components import DEFAULT_PORTS
from services.common.settings import CommonSettings, Env, SettingsError

DEFAULT_PORT = DEFAULT_PORTS["alert"]
SMS_PROVIDERS = ("log", "aliyun")
ALIYUN_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
# The court's default (A1): no SMS 22:00–08:00 Asia/Shanghai, one per person per 10 minutes.
QUIET_HOURS = "22:00-08:00"
MIN_INTERVAL = timedelta(minutes=10)


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

        endpoint = env.str("ALERT_SMS_ENDPOINT", ALIYUN_ENDPOINT)
        if not endpoint.startswith(("https://", "http://")):
            raise SettingsError(f"配置错误: ALERT_SMS_ENDPOINT={endpoint!r} is not an http(s) URL")
        return cls(endpoint=endpoint, access_key_id=required("ALERT_SMS_ACCESS_KEY_ID"),
                   access_key_secret=required("ALERT_SMS_ACCESS_KEY_SECRET"),
                   sign_name=required("ALERT_SMS_SIGN_NAME"),
                   templates=parse_templates(required("ALERT_SMS_TEMPLATES")),
                   timeout=env.float("ALERT_SMS_TIMEOUT", 5.0))


def parse_templates(raw: str) -> dict[str, str]:
    """`WARNING=SMS_1001,OVERDUE=SMS_1002` → {"WARNING": "SMS_1001", …}. Kinds left out are
    allowed (their SMS fail with a clear reason); app.py stops start-up on misspelt ones."""
    templates: dict[str, str] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        kind, sep, code = (part.strip() for part in item.partition("="))
        if not sep or not code:
            raise SettingsError(f"配置错误: ALERT_SMS_TEMPLATES item {item.strip()!r} is not KIND=TEMPLATE_CODE")
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
    # Quiet hours ("22:00-08:00", "off"), one SMS per person per interval, digests (pacing.py).
    sms_quiet_hours: str = QUIET_HOURS
    sms_min_interval: timedelta = MIN_INTERVAL
    sms_digest_above: int = 1
    # Courts' own wording of reminders (court_templates.py): the YAML file ALERT_TEMPLATES names.
    court_templates: Path | None = None
    sms_aliyun: AliyunSmsSettings | None = None

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        provider = env.str("ALERT_SMS_PROVIDER", "log")
        if provider not in SMS_PROVIDERS:
            raise SettingsError(f"配置错误: ALERT_SMS_PROVIDER={provider!r}; supported: {', '.join(SMS_PROVIDERS)}")
        common = CommonSettings.from_env("alert", DEFAULT_PORT, env)
        log = Path(env.str("ALERT_SMS_LOG", "sms.log"))
        minutes = env.float("ALERT_SMS_MIN_INTERVAL_MINUTES", MIN_INTERVAL / timedelta(minutes=1))
        above = env.int("ALERT_SMS_DIGEST_ABOVE", 1)
        if minutes < 0 or above < 1:
            raise SettingsError("配置错误: ALERT_SMS_MIN_INTERVAL_MINUTES must be >= 0 and ALERT_SMS_DIGEST_ABOVE >= 1")
        templates = env.optional("ALERT_TEMPLATES")
        return cls(common=common, sms_provider=provider, sms_log=log,
                   sms_quiet_hours=env.str("ALERT_SMS_QUIET_HOURS", QUIET_HOURS),
                   sms_min_interval=timedelta(minutes=minutes), sms_digest_above=above,
                   court_templates=Path(templates) if templates else None,
                   sms_aliyun=AliyunSmsSettings.from_env(env) if provider == "aliyun" else None)
