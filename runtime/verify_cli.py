"""`courtflow verify`: what an operator must know is wrong, each check with every object it found.

    courtflow verify [--json] [--data DIR | --database URL --nats URL] [--stuck-after SECONDS]
                     [--catalog FILE] [--sms-log FILE]
    courtflow verify --supervision [--court 440101] [--gateway HOST:PORT] [--token T | --user U]

Checks (each service's own in its integrity.py; here they are composed):
- dead letters: events a service's consumer gave up on after its retries (a bug, or an event it
  cannot apply). The court system that sent the event was answered when it was recorded, so a
  dead letter is work that silently did not happen — a node not opened, a reminder not sent —
  until someone reads it here (they are also counted in each service's metrics,
  courtflow_events_consumed_total{outcome="dead_letter"} and the gauge courtflow_dead_letters).
  `courtflow dead-letters replay` puts them back once the cause is fixed.
- case_nodes: every filed case has the nodes its catalogue opens at filing, and every node belongs
  to a case that exists.
- locks: a case's locks are its nodes' (a locked case has a locked node; an approved unlock
  released both).
- timers: every armed timer has a basis (an open node, its clock running, firing when the current
  due date says), and every running clock has its deadline armed.
- applications: every approved application took effect on its node's clock, and no clock change
  lacks an approved application.
- audit: the audit chain verifies, and every operation a service reported is in it.
- reminders: nobody was reminded twice of the same (node, rung, clock generation) or decision.
- stuck: outbox rows not published, and durable consumers with work waiting, for longer than
  --stuck-after (default 300 s).
- with --supervision, the supervision platform's read model against the case and node services'
  own data (StatsService.VerifySupervision, through the gateway as a trial management officer or
  leader, in their scope): every case or node whose figures differ, with both values.

The trial management office and operators get the same checks through the API, in their scope
(StatsService.VerifyIntegrity, `GET /v1/courts/-/integrity:verify`; services/stats/verification.py).

The cross-service checks compare data at rest: run them on a quiet system (what is still on its
way is what `stuck` reports). Exit 0 when every check is clean, 1 when any finding is listed, 2 on
a usage error. PostgreSQL and NATS are found from --database/--nats, DATABASE_URL/NATS_URL, or the
env file the start command writes in --data; the audit chain's key from AUDIT_CHECKPOINT_KEY,
COURTFLOW_INTERNAL_KEY or --data's internal.key.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from services.common import integrity as common
from services.common.components import default_address

# Every schema that consumes events keeps its dead letters in its own table (DESIGN rule 2).
CONSUMING_SCHEMAS = ("cases", "nodes", "alerts", "stats", "audit", "gateway")
# The checks in the order they are printed, with what an operator reads (dead letters, with their
# details, before them).
CHECKS = {key: title for key, title in common.CHECKS.items() if key != "dead_letters"}


def add_verify(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("verify", help="检查系统数据是否一致、有无需要运维处理的问题（如死信事件）",
                                description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--json", action="store_true", help="print the findings as JSON")
    cmd.add_argument("--database", help="PostgreSQL URL (default: $DATABASE_URL or the --data env file)")
    cmd.add_argument("--nats", help="NATS URL (default: $NATS_URL or the --data env file)")
    cmd.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent / ".data")
    cmd.add_argument("--stuck-after", type=float, default=300.0, metavar="SECONDS",
                     help="an outbox row or a consumer's waiting work older than this is stuck (default 300)")
    cmd.add_argument("--catalog", type=Path, help="the node catalogue (default: $NODE_CATALOG or the packaged one)")
    cmd.add_argument("--sms-log", type=Path, help="the log SMS provider's file (default: $ALERT_SMS_LOG or "
                                                  "--data's logs/sms.log)")
    cmd.add_argument("--supervision", action="store_true",
                     help="also recount the supervision platform's figures from the case and node services")
    cmd.add_argument("--court", default="-", help="with --supervision: one court's id (default: all in scope)")
    cmd.add_argument("--gateway", default=default_address("gateway"))
    cmd.add_argument("--token", help="with --supervision: bearer token of a trial management officer or leader")
    cmd.add_argument("--user", default="trial_management.44", help="take the token of this demo user from --data")
    cmd.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from runtime.cli import _UsageError
    from runtime.clock_cli import from_env_file

    url = args.database or os.environ.get("DATABASE_URL") or from_env_file(args.data, "DATABASE_URL")
    if not url:
        raise _UsageError("--database: no PostgreSQL URL (start the system first, or pass --database / set DATABASE_URL)")
    if args.stuck_after < 0:
        raise _UsageError(f"--stuck-after: 须为不小于 0 的秒数，而不是 {args.stuck_after}")
    nats_url = args.nats or os.environ.get("NATS_URL") or from_env_file(args.data, "NATS_URL")
    from nats.errors import Error as NatsError
    from sqlalchemy.exc import SQLAlchemyError

    from services.node.catalog import CatalogError

    try:
        letters = dead_letters(url)
        findings = integrity_findings(url, nats_url, stuck_after=timedelta(seconds=args.stuck_after),
                                      catalog=_catalog_path(args), sms_log=_sms_log_path(args),
                                      audit_key=_audit_key(args.data))
    except (SQLAlchemyError, ModuleNotFoundError) as exc:
        raise _UsageError(f"--database: 无法连接 PostgreSQL（{type(exc).__name__}）：{str(exc).splitlines()[0]}") from None
    except CatalogError as exc:
        raise _UsageError(f"--catalog: 节点目录无法读取：{exc}") from None
    except (OSError, asyncio.TimeoutError, NatsError) as exc:
        raise _UsageError(f"--nats: 无法连接 NATS（{type(exc).__name__}）：{exc}") from None
    differences = supervision_differences(args) if args.supervision else []
    checks = {key: [f.__dict__ for f in findings if f.check == key] for key in CHECKS}
    failed = bool(letters or differences or findings)
    if args.json:
        print(json.dumps({"dead_letters": letters, "checks": checks,
                          **({"supervision": differences} if args.supervision else {})},
                         ensure_ascii=False, indent=2))
        return 1 if failed else 0
    if args.supervision:
        print(f"统计数据核对：{'不一致 ' + str(len(differences)) + ' 处' if differences else '一致'}")
        for d in differences:
            print(f"  {d['name']}  {d['field']}：统计为「{d['read_model']}」，业务数据为「{d['source']}」")
    if letters:
        print(f"死信事件：{len(letters)} 个（消费者多次处理失败后放弃的事件，其后续工作未发生，须排查处理）")
        for d in letters:
            print(f"  {d['failed_at']}  {d['consumer']}  {d['subject']}  事件 {d['event_id']}  "
                  f"已投递 {d['deliveries']} 次\n    错误：{d['error']}")
    else:
        print("死信事件：无")
    for key, title in CHECKS.items():
        found = checks[key]
        print(f"{title}：{'不一致 ' + str(len(found)) + ' 处' if found else '一致'}")
        for f in found:
            print(f"  {f['name']}  {f['problem']}")
    if nats_url is None:
        print("（未给出 NATS 地址：未检查消费者积压，按实际时间判断积压）")
    return 1 if failed else 0


def _catalog_path(args: argparse.Namespace) -> Path:
    from services.node.catalog import DEFAULT_PATH

    return args.catalog or Path(os.environ.get("NODE_CATALOG") or DEFAULT_PATH)


def _sms_log_path(args: argparse.Namespace) -> Path:
    return args.sms_log or Path(os.environ.get("ALERT_SMS_LOG") or args.data / "logs" / "sms.log")


def _audit_key(data: Path) -> str | None:
    key = os.environ.get("AUDIT_CHECKPOINT_KEY") or os.environ.get("COURTFLOW_INTERNAL_KEY")
    if not key and (data / "internal.key").exists():
        key = (data / "internal.key").read_text().strip()
    return key


def integrity_findings(database_url: str, nats_url: str | None, *, stuck_after: timedelta, catalog: Path,
                       sms_log: Path, audit_key: str | None) -> list:
    """Every check but the dead letters and the supervision recount, as Findings."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from runtime.integrity import run_checks

    now, consumers = asyncio.run(_from_nats(nats_url, stuck_after)) if nats_url else (
        datetime.now(timezone.utc), [])
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            # One snapshot across every schema, so a change committing meanwhile is seen whole or not.
            conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                found = run_checks(conn, now=now, stuck_after=stuck_after, catalog=catalog, sms_log=sms_log,
                                   audit_key=audit_key)
    finally:
        engine.dispose()
    return found + consumers


async def _from_nats(url: str, stuck_after: timedelta) -> tuple[datetime, list]:
    """The shared clock (what the services' timestamps are written by) and the stuck consumers."""
    import nats

    from services.common.clock import read_shared_clock
    from services.common.integrity import stuck_consumers

    nc = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=0)
    try:
        js = nc.jetstream()
        return await read_shared_clock(js), await stuck_consumers(js, older_than=stuck_after)
    finally:
        await nc.close()


def supervision_differences(args: argparse.Namespace) -> list[dict]:
    """StatsService.VerifySupervision through the gateway: the differences, as dicts."""
    import grpc

    from courtflow.stats.v1 import stats_service_pb2 as pb, stats_service_pb2_grpc
    from runtime.calendar_cli import _demo_token
    from runtime.cli import _UsageError

    token = args.token or _demo_token(args.data, args.user)
    if not token:
        raise _UsageError(f"--token: none given and no demo login for {args.user!r} in {args.data}")
    with grpc.insecure_channel(args.gateway) as channel:
        try:
            reply = stats_service_pb2_grpc.StatsServiceStub(channel).VerifySupervision(
                pb.VerifySupervisionRequest(parent=f"courts/{args.court}"),
                metadata=[("authorization", f"Bearer {token}")], timeout=600)
        except grpc.RpcError as err:
            raise _UsageError(f"统计数据核对失败：{err.details()}") from None
    return [{"name": d.name, "field": d.field, "read_model": d.read_model, "source": d.source}
            for d in reply.differences]


def dead_letters(database_url: str) -> list[dict]:
    """Every service's dead letters, oldest first."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(database_url, poolclass=NullPool)
    found = []
    try:
        with engine.connect() as conn:
            present = set(conn.execute(text(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = 'dead_letters'")).scalars())
            for schema in (s for s in CONSUMING_SCHEMAS if s in present):
                found += common.dead_letters(conn, schema)
    finally:
        engine.dispose()
    return sorted(found, key=lambda d: d["failed_at"])
