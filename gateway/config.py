"""Gateway settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from services.common.settings import CommonSettings, Env

DEFAULT_PORT = 50050
BACKENDS = {  # service full name -> (environment variable, default address)
    "courtflow.case.v1.CaseService": ("CASE_ADDR", "127.0.0.1:50051"),
    "courtflow.node.v1.NodeService": ("NODE_ADDR", "127.0.0.1:50052"),
    "courtflow.alert.v1.AlertService": ("ALERT_ADDR", "127.0.0.1:50053"),
    "courtflow.stats.v1.StatsService": ("STATS_ADDR", "127.0.0.1:50054"),
    "courtflow.audit.v1.AuditService": ("AUDIT_ADDR", "127.0.0.1:50055"),
}


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    backends: dict[str, str]

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        return cls(common=CommonSettings.from_env("gateway", DEFAULT_PORT, env),
                   backends={svc: env.str(var, default) for svc, (var, default) in BACKENDS.items()})
