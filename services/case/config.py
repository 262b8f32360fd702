"""Case service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from services.common.components import DEFAULT_PORTS, default_address
from services.common.settings import CommonSettings, Env

DEFAULT_PORT = DEFAULT_PORTS["case"]


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    # The node service, asked to check hearing dates before a HEARING_SCHEDULED event is accepted.
    node_address: str

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        return cls(common=CommonSettings.from_env("case", DEFAULT_PORT, env),
                   node_address=env.str("NODE_ADDR", default_address("node")))
