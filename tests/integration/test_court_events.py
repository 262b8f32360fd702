"""The org directory's courts reach the services that name them: the gateway publishes CourtChanged
for every court it creates or changes (the demo province's load), and its migration 0008
publishes every court and department once more for the stats service, which starts reading the
directory in that release — against a real PostgreSQL."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from courtflow.gateway.v1.gateway_events_pb2 import CourtChanged, DepartmentChanged
from courtflow.gateway.v1.gateway_pb2 import CourtLevel

from conftest import new_database
from runtime.demo_directory import load_demo
from services.common.events import decode

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]
TYPES = {t.DESCRIPTOR.full_name: t for t in (CourtChanged, DepartmentChanged)}


def published(url: str, event: str) -> dict:
    """The payloads of the gateway outbox's events of one type, by aggregate id."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT aggregate_id, subject, payload FROM gateway.outbox WHERE event_type = :t "
                                 "ORDER BY created_at"), {"t": f"courtflow.gateway.v1.{event}"}).all()
    engine.dispose()
    return {r.aggregate_id: decode(bytes(r.payload), r.subject, TYPES).payload for r in rows}


def test_loading_the_demo_province_publishes_every_court(postgres, tmp_path):
    url = new_database(postgres, "courtevents")
    province = load_demo(url, out=tmp_path / "logins.json", seed=1, cases=1, reference=date(2026, 11, 27))
    courts = published(url, "CourtChanged")
    assert set(courts) == {f"courts/{c.court_id}" for c in province.courts}
    high, mid, basic = courts["courts/44"].court, courts["courts/4401"].court, courts["courts/440101"].court
    assert (high.level, high.parent) == (CourtLevel.COURT_LEVEL_HIGH, "")
    assert (mid.level, mid.parent, mid.display_name) == (CourtLevel.COURT_LEVEL_INTERMEDIATE, "courts/44",
                                                         next(c.name for c in province.courts if c.court_id == "4401"))
    assert (basic.level, basic.parent) == (CourtLevel.COURT_LEVEL_BASIC, "courts/4401")
    assert basic.display_name.endswith("人民法院")


def test_migration_0008_publishes_the_directory_once_more(postgres):
    url = new_database(postgres, "courtrepublish")
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("CREATE SCHEMA IF NOT EXISTS gateway"))
        conn.commit()
        cfg = Config()
        cfg.set_main_option("script_location", str(ROOT / "gateway" / "migrations"))
        cfg.attributes["connection"] = conn
        cfg.attributes["schema"] = "gateway"
        command.upgrade(cfg, "0007")
        # A directory loaded before this release: courts and departments, never published as courts.
        conn.execute(text("INSERT INTO gateway.courts (id, display_name, level, parent_id, abbreviation) VALUES "
                          "('44', '示范省高级人民法院', 1, NULL, '示'), ('4401', '东江市中级人民法院', 2, '44', '示01')"))
        conn.execute(text("INSERT INTO gateway.departments (name, court_id, display_name, kind, vice_president) "
                          "VALUES ('courts/4401/departments/4401-civil1', '4401', '民事审判第一庭', 'civil', 'vp.4401')"))
        conn.commit()
        command.upgrade(cfg, "head")
        conn.commit()
    engine.dispose()
    courts = published(url, "CourtChanged")
    assert {k: (v.court.display_name, v.court.level, v.court.parent) for k, v in courts.items()} == {
        "courts/44": ("示范省高级人民法院", CourtLevel.COURT_LEVEL_HIGH, ""),
        "courts/4401": ("东江市中级人民法院", CourtLevel.COURT_LEVEL_INTERMEDIATE, "courts/44")}
    department = published(url, "DepartmentChanged")["courts/4401/departments/4401-civil1"].department
    assert (department.display_name, department.kind, department.vice_president) == (
        "民事审判第一庭", "civil", "users/vp.4401")
