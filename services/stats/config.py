"""Stats service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from services.common.components import DEFAULT_PORTS
from services.common.settings import CommonSettings, Env

DEFAULT_PORT = DEFAULT_PORTS["stats"]


@dataclass(frozen=True)
class Settings:
    common: CommonSettings

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        return cls(common=CommonSettings.from_env("stats", DEFAULT_PORT, env))
