"""Audit service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from services.common.settings import CommonSettings, Env

DEFAULT_PORT = 50055


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    # Signs the chain's checkpoints. Only the audit service should hold it; it defaults to the
    # internal key for the embedded mode, which every service knows.
    checkpoint_key: str
    # A checkpoint every this many records.
    checkpoint_every: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        common = CommonSettings.from_env("audit", DEFAULT_PORT, env)
        return cls(common=common, checkpoint_key=env.str("AUDIT_CHECKPOINT_KEY", common.internal_key),
                   checkpoint_every=env.int("AUDIT_CHECKPOINT_EVERY", 1000))
