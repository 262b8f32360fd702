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
    # Requests per second per caller (token bucket) and the burst allowed; court systems, which
    # push a whole court's events, get their own higher rate.
    rate_limit: float
    rate_burst: int
    court_system_rate_limit: float
    # The largest request body accepted, in bytes.
    max_request_bytes: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        return cls(common=CommonSettings.from_env("gateway", DEFAULT_PORT, env),
                   backends={svc: env.str(var, default) for svc, (var, default) in BACKENDS.items()},
                   rate_limit=env.float("GATEWAY_RATE_LIMIT", 50.0), rate_burst=env.int("GATEWAY_RATE_BURST", 100),
                   court_system_rate_limit=env.float("GATEWAY_COURT_SYSTEM_RATE_LIMIT", 1000.0),
                   max_request_bytes=env.int("GATEWAY_MAX_REQUEST_BYTES", 1024 * 1024))
