"""Embedded PostgreSQL / NATS JetStream: start, crash (SIGKILL), restart, data survives."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time

import psycopg2
import pytest

from runtime.embedded import EmbeddedNats, EmbeddedPostgres, EmbeddedServerError, free_port

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def pg_dir(tmp_path):
    return tmp_path / "pg"


@pytest.fixture
def started():
    """Registers servers so they are always stopped, even when the test fails."""
    servers = []
    yield servers.append
    for s in servers:
        s.kill()


def test_free_port_is_bindable_and_outside_the_ephemeral_range():
    import socket

    # A port from the ephemeral range can be taken by any outgoing connection between the
    # probe and the server's bind: CI once saw the gateway's metrics port lost that way.
    low, high = (int(p) for p in open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == 50, "a port was handed out twice"
    assert not [p for p in ports if low <= p <= high]
    with socket.socket() as s:
        s.bind(("127.0.0.1", ports[0]))


def test_postgres_survives_kill(pg_dir, started):
    pg = EmbeddedPostgres(pg_dir)
    started(pg)
    pg.start()
    assert pg.is_running()
    assert pg.url == f"postgresql+psycopg2://postgres@127.0.0.1:{pg.port}/courtflow"
    assert f"port={pg.port}" in pg.dsn and "dbname=courtflow" in pg.dsn
    first_start = pg.last_start_seconds

    conn = psycopg2.connect(pg.dsn)
    with conn, conn.cursor() as cur:
        cur.execute("SHOW max_connections")
        assert cur.fetchone() == ("300",)
        cur.execute("SHOW fsync")
        assert cur.fetchone() == ("on",)
        cur.execute("SHOW synchronous_commit")
        assert cur.fetchone() == ("on",)
        cur.execute("SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = 'courtflow'")
        assert cur.fetchone() == ("UTF8", "C")
        cur.execute("CREATE TABLE cases (id int PRIMARY KEY, title text NOT NULL)")
        cur.execute("INSERT INTO cases VALUES (1, '（2025）京0101民初1号')")
    # keep the connection open: its backend is orphaned by the SIGKILL
    port = pg.port

    pg.kill()
    assert not pg.is_running()
    with pytest.raises(psycopg2.Error):
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
    conn.close()

    # a fresh object on the same data dir finds the stale postmaster.pid, the
    # remembered port, runs crash recovery
    pg2 = EmbeddedPostgres(pg_dir)
    started(pg2)
    pg2.start()
    assert pg2.port == port
    with psycopg2.connect(pg2.dsn) as conn2, conn2.cursor() as cur:
        cur.execute("SELECT id, title FROM cases")
        assert cur.fetchall() == [(1, "（2025）京0101民初1号")]
    conn2.close()
    assert "automatic recovery in progress" in pg2.log_path.read_text()
    after_kill = pg2.last_start_seconds

    pg2.stop()
    assert not pg2.is_running()
    pg2.start()  # clean restart
    print(
        f"\npostgres: first start (initdb) {first_start:.2f}s, after kill {after_kill:.2f}s, "
        f"clean restart {pg2.last_start_seconds:.2f}s"
    )
    pg2.stop()


def test_pgbench(pg_dir, started):
    pg = EmbeddedPostgres(pg_dir)
    started(pg)
    with pg:
        init = subprocess.run(
            [str(pg.bin("pgbench")), "-i", "-s", "1", "-q", pg.dsn],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert init.returncode == 0, init.stderr
        run = subprocess.run(
            [str(pg.bin("pgbench")), "-c", "2", "-j", "2", "-T", "3", pg.dsn],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        m = re.search(r"^tps = ([\d.]+)", run.stdout, re.M)
        assert m, run.stdout
        tps = float(m.group(1))
        assert tps > 0
        print(f"\npgbench -c 2 -T 3 (scale 1, fsync on): tps = {tps:.0f}")
    assert not pg.is_running()


def test_postgres_start_failure_shows_log(pg_dir, started):
    pg = EmbeddedPostgres(pg_dir, settings={"shared_buffers": "lots"})
    started(pg)
    with pytest.raises(EmbeddedServerError) as err:
        pg.start()
    assert "shared_buffers" in str(err.value)  # from the server log tail
    assert not pg.is_running()

    # the port remembered for the data dir being taken is reported clearly
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", pg.port))
        s.listen()
        with pytest.raises(EmbeddedServerError, match="in use"):
            EmbeddedPostgres(pg_dir).start()


async def _js_phase(url: str, phase: int) -> None:
    import nats
    from nats.js.api import StorageType

    nc = await nats.connect(url, connect_timeout=5, allow_reconnect=False)
    try:
        js = nc.jetstream(timeout=5)
        if phase == 1:
            await js.add_stream(name="CASES", subjects=["cases.>"], storage=StorageType.FILE, duplicate_window=120)
            ack = await js.publish("cases.created", b"case-1", headers={"Nats-Msg-Id": "case-1"})
            assert ack.seq == 1 and not ack.duplicate
            again = await js.publish("cases.created", b"case-1", headers={"Nats-Msg-Id": "case-1"})
            assert again.duplicate is True and again.seq == 1
        else:
            msg = await js.get_msg("CASES", seq=1)
            assert msg.data == b"case-1"
            assert msg.headers["Nats-Msg-Id"] == "case-1"
            # the de-duplication window is rebuilt from disk after the crash
            again = await js.publish("cases.created", b"case-1", headers={"Nats-Msg-Id": "case-1"})
            assert again.duplicate is True and again.seq == 1
            other = await js.publish("cases.created", b"case-2", headers={"Nats-Msg-Id": "case-2"})
            assert other.seq == 2 and not other.duplicate
        info = await js.stream_info("CASES")
        assert info.state.messages == phase
    finally:
        await nc.close()


def _run(coro) -> None:
    asyncio.run(asyncio.wait_for(coro, 20))


def test_nats_jetstream_survives_kill(tmp_path, started):
    ns = EmbeddedNats(tmp_path / "nats")
    started(ns)
    ns.start()
    assert ns.url == f"nats://127.0.0.1:{ns.port}"
    first_start = ns.last_start_seconds
    config = (tmp_path / "nats" / "nats.conf").read_text()
    assert "sync_interval: always" in config

    _run(_js_phase(ns.url, 1))

    ns.kill()
    assert not ns.is_running()
    t0 = time.monotonic()
    ns2 = EmbeddedNats(tmp_path / "nats")  # same data dir: same ports, same store
    started(ns2)
    ns2.start()
    assert (ns2.port, ns2.monitoring_port) == (ns.port, ns.monitoring_port)
    restart = time.monotonic() - t0

    _run(_js_phase(ns2.url, 2))
    ns2.stop()
    assert not ns2.is_running()
    print(f"\nnats: first start {first_start:.2f}s, after kill {restart:.2f}s")
