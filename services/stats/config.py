"""Stats service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from services.common.components import DEFAULT_PORTS, default_address
from services.common.settings import CommonSettings, Env, float_within, int_within
from services.stats import cube

DEFAULT_PORT = DEFAULT_PORTS["stats"]


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    # The owning services, read when the read model is verified against them (VerifySupervision).
    case_address: str
    node_address: str
    # The cube's housekeeping (cube.py): how often its empty rows are removed and the snapshots
    # looked for; how long after a day's end its snapshot is taken (its last events on their
    # way); how many month ends back they are filled, how many last days are kept besides (the
    # kept months' other days filled as deltas from the history, none when 0), and the longest
    # chain of deltas an older day is summed from (cube.LONGEST_CHAIN).
    snapshot_interval: float
    snapshot_settle_hours: float
    snapshot_months: int
    snapshot_days: int
    snapshot_chain: int
    # With the alert and audit services, each answers for its own data to VerifyIntegrity.
    alert_address: str
    audit_address: str

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        return cls(common=CommonSettings.from_env("stats", DEFAULT_PORT, env),
                   case_address=env.str("CASE_ADDR", default_address("case")),
                   node_address=env.str("NODE_ADDR", default_address("node")),
                   alert_address=env.str("ALERT_ADDR", default_address("alert")),
                   audit_address=env.str("AUDIT_ADDR", default_address("audit")),
                   snapshot_interval=float_within(env, "STATS_SNAPSHOT_INTERVAL", 300.0, 1.0, 86400.0),
                   snapshot_settle_hours=float_within(env, "STATS_SNAPSHOT_SETTLE_HOURS", 2.0, 0.0, 240.0),
                   snapshot_months=int_within(env, "STATS_SNAPSHOT_MONTHS", 24, 1, 120),
                   snapshot_days=int_within(env, "STATS_SNAPSHOT_DAYS", 31, 0, 366),
                   snapshot_chain=int_within(env, "STATS_SNAPSHOT_CHAIN", cube.LONGEST_CHAIN, 1, 30))
