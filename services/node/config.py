"""Node service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.common.components import DEFAULT_PORTS
from services.common.settings import CommonSettings, Env, SettingsError, float_within, within

DEFAULT_PORT = DEFAULT_PORTS["node"]
# The node catalogue and the time-limit rules shipped with the service (catalog.py, time_limits.py load them).
PACKAGED_CATALOG = Path(__file__).with_name("catalog.yaml")
PACKAGED_TIME_LIMITS = Path(__file__).with_name("time_limits.yaml")
# DOMAIN §5's default ladder: the vice-president in charge from the 31st day overdue, the
# president (and the higher court's list) from the 91st. Court policy: NODE_ESCALATION_DAYS.
DEFAULT_ESCALATION_DAYS = (31, 91)


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    catalog_path: Path
    time_limits_path: Path
    # Due-queue sweeping: rows per transaction, seconds between idle sweeps, seconds per sweep round.
    sweep_batch: int
    sweep_interval: float
    sweep_budget: float
    # Days overdue at which an overdue node escalates further (DOMAIN §5; court policy).
    escalation_days: tuple[int, ...]

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        return cls(common=CommonSettings.from_env("node", DEFAULT_PORT, env),
                   catalog_path=Path(env.str("NODE_CATALOG", str(PACKAGED_CATALOG))),
                   time_limits_path=Path(env.str("NODE_TIME_LIMITS", str(PACKAGED_TIME_LIMITS))),
                   # 0 spun thousands of empty transactions a second; a negative batch failed every sweep
                   sweep_batch=within(env, "NODE_SWEEP_BATCH", 500, 1, 10_000),
                   sweep_interval=float_within(env, "NODE_SWEEP_INTERVAL", 1.0, 0.01, 3600.0),
                   sweep_budget=float_within(env, "NODE_SWEEP_BUDGET", 5.0, 0.1, 3600.0),
                   escalation_days=_days(env.str("NODE_ESCALATION_DAYS", ",".join(map(str, DEFAULT_ESCALATION_DAYS)))))


def _days(text: str) -> tuple[int, ...]:
    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        days = ()
    if not days or days[0] < 2:
        raise SettingsError(f"配置错误: NODE_ESCALATION_DAYS={text!r}: days overdue, comma-separated, each at least 2 "
                            "(the first overdue day is the deadline itself), e.g. 31,91")
    return days
