"""Node service settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.common.settings import CommonSettings, Env
from services.node import catalog, time_limits

DEFAULT_PORT = 50052


@dataclass(frozen=True)
class Settings:
    common: CommonSettings
    catalog_path: Path
    time_limits_path: Path
    # Due-queue sweeping: rows per transaction, seconds between idle sweeps, seconds per sweep round.
    sweep_batch: int
    sweep_interval: float
    sweep_budget: float

    @classmethod
    def from_env(cls, env: Env | None = None) -> "Settings":
        env = env or Env()
        return cls(common=CommonSettings.from_env("node", DEFAULT_PORT, env),
                   catalog_path=Path(env.str("NODE_CATALOG", str(catalog.DEFAULT_PATH))),
                   time_limits_path=Path(env.str("NODE_TIME_LIMITS", str(time_limits.DEFAULT_PATH))),
                   sweep_batch=env.int("NODE_SWEEP_BATCH", 500),
                   sweep_interval=env.float("NODE_SWEEP_INTERVAL", 1.0),
                   sweep_budget=env.float("NODE_SWEEP_BUDGET", 5.0))
