"""Stats service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from services.common.components import DEFAULT_PORTS, default_address
from services.common.settings import CommonSettings, Env

DEFAULT_PORT = DEFAULT_PORTS["stats"]


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    # The owning services, read when the read model is verified against them (VerifySupervision).
    case_address: str
    node_address: str

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        return cls(common=CommonSettings.from_env("stats", DEFAULT_PORT, env),
                   case_address=env.str("CASE_ADDR", default_address("case")),
                   node_address=env.str("NODE_ADDR", default_address("node")))
