"""Run the stats service: `python -m services.stats` (or `... migrate` to apply migrations only)."""
from __future__ import annotations

import sys
from pathlib import Path

from services.common.server import run_main
from services.stats.app import build_with
from services.stats.config import Settings
from services.stats.models import MESSAGING, SCHEMA

settings = Settings.from_env()
run_main(sys.argv[1:], settings=settings.common, schema=SCHEMA, migrations=Path(__file__).parent / "migrations",
         messaging=MESSAGING, build=build_with(settings))
