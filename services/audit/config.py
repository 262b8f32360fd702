"""Audit service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from services.common.components import DEFAULT_PORTS
from services.common.settings import CommonSettings, Env, SettingsError

DEFAULT_PORT = DEFAULT_PORTS["audit"]
# Audit records are kept at least this many days (P8), whatever AUDIT_RETENTION_DAYS says.
MIN_RETENTION_DAYS = 180


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    # Signs the chain's checkpoints. Only the audit service should hold it; it defaults to the
    # internal key for the embedded mode, which every service knows.
    checkpoint_key: str
    # A checkpoint every this many records.
    checkpoint_every: int
    # Records older than this many days are removed (never fewer than 180, P8).
    retention_days: int = 365
    # Seconds between retention runs.
    retention_interval: float = 3600.0

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        common = CommonSettings.from_env("audit", DEFAULT_PORT, env)
        retention = env.int("AUDIT_RETENTION_DAYS", 365)
        if retention < MIN_RETENTION_DAYS:
            raise SettingsError(f"配置错误: AUDIT_RETENTION_DAYS={retention}; audit records are kept at least "
                                f"{MIN_RETENTION_DAYS} days")
        key = env.str("AUDIT_CHECKPOINT_KEY", common.internal_key)
        if env.optional("AUDIT_CHECKPOINT_KEY") and (len(key) < 16 or key == common.internal_key):
            # Given, it is the audit service's own secret: not the key every service holds.
            raise SettingsError("配置错误: AUDIT_CHECKPOINT_KEY must be at least 16 characters and differ from "
                                "COURTFLOW_INTERNAL_KEY")
        return cls(common=common, checkpoint_key=key,
                   checkpoint_every=env.int("AUDIT_CHECKPOINT_EVERY", 1000), retention_days=retention,
                   retention_interval=env.float("AUDIT_RETENTION_INTERVAL", 3600.0))
