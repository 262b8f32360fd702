"""Migrations under a DDL role, services under a DML role (issue 20, item 10): the migrations Job
migrates as the schema's owner and grants the services' role rows only; a service with
COURTFLOW_MIGRATE=wait starts once the schema is at its release (or a later one) and otherwise
stops with one line saying the Job has to run first."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from conftest import new_database
from services.common.migrate import SchemaBehind, upgrade, wait_for_head
from services.node import models as node_models

pytestmark = pytest.mark.timeout(120)
MIGRATIONS = Path(node_models.__file__).parent / "migrations"
ROOT = Path(__file__).resolve().parents[2]


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


@pytest.fixture
def roles(postgres):
    url = new_database(postgres, "roles")
    if make_url(url).username != "postgres":
        pytest.skip("needs the embedded server's superuser to create roles")
    tag = uuid.uuid4().hex[:6]
    owner, app = f"cf_owner_{tag}", f"cf_app_{tag}"
    parts = make_url(url)
    conn = psycopg2.connect(host=parts.host, port=parts.port, user=parts.username, dbname=parts.database)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE ROLE {owner} LOGIN")
        cur.execute(f"CREATE ROLE {app} LOGIN")
        cur.execute(f'GRANT CREATE ON DATABASE "{parts.database}" TO {owner}')
    conn.close()
    return url, owner, app


def test_the_job_migrates_as_owner_and_services_get_rows_only(roles):
    url, owner, app = roles
    app_url = as_role(url, app)
    with pytest.raises(SchemaBehind) as behind:
        wait_for_head(app_url, schema=node_models.SCHEMA, migrations=MIGRATIONS, timeout=0.3, poll=0.1)
    assert "Job courtflow-migrate" in str(behind.value) and "nodes" in str(behind.value)

    upgrade(as_role(url, owner), schema=node_models.SCHEMA, migrations=MIGRATIONS, dml_role=app)
    assert wait_for_head(app_url, schema=node_models.SCHEMA, migrations=MIGRATIONS, timeout=0.3)

    engine = create_engine(app_url)
    try:
        with engine.begin() as conn:   # rows: yes
            conn.execute(text("INSERT INTO nodes.handled_events VALUES ('node-case', gen_random_uuid(), now())"))
            assert conn.execute(text("SELECT count(*) FROM nodes.handled_events")).scalar() == 1
            conn.execute(text("DELETE FROM nodes.handled_events"))
        for ddl in ("CREATE TABLE nodes.other (id int)", "ALTER TABLE nodes.outbox ADD COLUMN x int",
                    "DROP TABLE nodes.handled_events", "CREATE SCHEMA elsewhere"):
            with pytest.raises(ProgrammingError, match="permission denied|must be owner"), engine.begin() as conn:
                conn.execute(text(ddl))
    finally:
        engine.dispose()


def test_a_service_that_waits_stops_with_one_line_until_the_job_has_run(roles):
    url, owner, app = roles
    env = {**os.environ, "DATABASE_URL": as_role(url, app), "NATS_URL": "nats://127.0.0.1:4222",
           "COURTFLOW_INTERNAL_KEY": "k" * 32, "COURTFLOW_MIGRATE": "wait", "COURTFLOW_STARTUP_TIMEOUT": "2"}
    waited = subprocess.run([sys.executable, "-m", "services.node", "migrate"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert waited.returncode == 1
    (line,) = [l for l in waited.stderr.splitlines() if l.strip()]
    assert "courtflow-migrate" in line and "nodes" in line, line
    upgrade(as_role(url, owner), schema=node_models.SCHEMA, migrations=MIGRATIONS, dml_role=app)
    ready = subprocess.run([sys.executable, "-m", "services.node", "migrate"], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert ready.returncode == 0, ready.stderr
