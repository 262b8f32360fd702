"""Run the audit service: `python -m services.audit` (or `... migrate` to apply migrations only)."""
from __future__ import annotations

import sys
from pathlib import Path

from services.audit.app import build_with
from services.audit.config import Settings
from services.audit.models import MESSAGING, SCHEMA
from services.common.server import run_main

settings = Settings.from_env()
run_main(sys.argv[1:], settings=settings.common, schema=SCHEMA, migrations=Path(__file__).parent / "migrations",
         messaging=MESSAGING, build=build_with(settings))
