"""Alert service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.common.settings import CommonSettings, Env, SettingsError

DEFAULT_PORT = 50053


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    # "log": write SMS to a file instead of sending (the embedded default).
    sms_provider: str
    sms_log: Path

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        provider = env.str("ALERT_SMS_PROVIDER", "log")
        if provider not in ("log",):
            raise SettingsError(f"配置错误: ALERT_SMS_PROVIDER={provider!r}; supported: log")
        return cls(common=CommonSettings.from_env("alert", DEFAULT_PORT, env), sms_provider=provider,
                   sms_log=Path(env.str("ALERT_SMS_LOG", "sms.log")))
