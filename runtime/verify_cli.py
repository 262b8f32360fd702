"""`courtflow verify`: what an operator must know is wrong, each check with its findings.

    courtflow verify [--json] [--database URL] [--data DIR]
    courtflow verify --supervision [--court 440101] [--gateway HOST:PORT] [--token T | --user U]

Checks:
- dead letters: events a service's consumer gave up on after its retries (a bug, or an event it
  cannot apply). The court system that sent the event was answered when it was recorded, so a
  dead letter is work that silently did not happen — a node not opened, a reminder not sent —
  until someone reads it here (they are also counted in each service's metrics,
  courtflow_events_consumed_total{outcome="dead_letter"}).

- with --supervision, the supervision platform's read model against the case and node services'
  own data (StatsService.VerifySupervision, through the gateway as a trial management officer or
  leader, in their scope): every case or node whose figures differ, with both values.

Exit 0 when every check is clean, 1 when any finding is listed, 2 on a usage error.
PostgreSQL is found from --database, DATABASE_URL, or the env file the start command writes.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from services.common.components import default_address

# Every schema that consumes events keeps its dead letters in its own table (DESIGN rule 2).
CONSUMING_SCHEMAS = ("cases", "nodes", "alerts", "stats", "audit", "gateway")


def add_verify(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("verify", help="检查系统中需要运维处理的问题（如死信事件）", description=__doc__)
    cmd.add_argument("--json", action="store_true", help="print the findings as JSON")
    cmd.add_argument("--database", help="PostgreSQL URL (default: $DATABASE_URL or the --data env file)")
    cmd.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent / ".data")
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
    from sqlalchemy.exc import SQLAlchemyError

    try:
        letters = dead_letters(url)
    except (SQLAlchemyError, ModuleNotFoundError) as exc:
        raise _UsageError(f"--database: 无法连接 PostgreSQL（{type(exc).__name__}）：{str(exc).splitlines()[0]}") from None
    differences = supervision_differences(args) if args.supervision else []
    if args.json:
        print(json.dumps({"dead_letters": letters, **({"supervision": differences} if args.supervision else {})},
                         ensure_ascii=False, indent=2))
        return 1 if letters or differences else 0
    if args.supervision:
        print(f"统计数据核对：{'不一致 ' + str(len(differences)) + ' 处' if differences else '一致'}")
        for d in differences:
            print(f"  {d['name']}  {d['field']}：统计为「{d['read_model']}」，业务数据为「{d['source']}」")
    elif letters:
        print(f"死信事件：{len(letters)} 个（消费者多次处理失败后放弃的事件，其后续工作未发生，须排查处理）")
        for d in letters:
            print(f"  {d['failed_at']}  {d['consumer']}  {d['subject']}  事件 {d['event_id']}  "
                  f"已投递 {d['deliveries']} 次\n    错误：{d['error']}")
    else:
        print("死信事件：无")
    return 1 if letters or differences else 0


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
                rows = conn.execute(text(f"SELECT consumer, event_id, subject, error, deliveries, failed_at "
                                         f"FROM {schema}.dead_letters")).mappings()
                found += [{**r, "schema": schema, "failed_at": r["failed_at"].isoformat()} for r in rows]
    finally:
        engine.dispose()
    return sorted(found, key=lambda d: d["failed_at"])
