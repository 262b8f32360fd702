"""`courtflow dead-letters`: list the events consumers gave up on, and put them back once fixed.

    courtflow dead-letters list [--consumer node-case] [--json] [--database URL] [--data DIR]
    courtflow dead-letters replay (--consumer node-case | --event ID ... | --all) [--operator NAME]
                                  [--database URL] [--nats URL] [--data DIR]

A dead letter is an event a service's consumer failed on `max_deliver` times (or could not decode):
the work it stood for did not happen (`courtflow verify` exits 1 while any is kept). Once the cause
is fixed (a new release, a repaired row), `replay` publishes each chosen letter's event again into
its producer's stream on the subject only that consumer reads (services/common/consumer.py,
`replay_subject`), so the other consumers, which applied it already, never see it twice, and the
consumer's handled-event log makes a replay of something handled meanwhile change nothing. In one
transaction per letter: the letter is removed, the replay is reported to the audit log (through
the owning service's outbox, as `courtflow.dead-letters.replay` by the operator), and the event is
published — a failed publish keeps the letter. An event that fails again comes back as a dead
letter. Exit 0 when done (or nothing to do), 1 when a letter could not be replayed, 2 on a usage error.
"""
from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import uuid
from pathlib import Path

from runtime.verify_cli import dead_letters

# The services whose operation_recorded events the audit service consumes; the audit service
# itself reports nothing over the bus, so a replay of its own letters is reported by the gateway.
REPORTERS = ("gateway", "case", "node", "alert", "stats")
SCHEMA_SERVICE = {"cases": "case", "nodes": "node", "alerts": "alert", "stats": "stats", "audit": "audit",
                  "gateway": "gateway"}
ACTION = "courtflow.dead-letters.replay"


def add_dead_letters(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("dead-letters", help="列出或重放死信事件（消费者放弃处理的事件）", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="列出死信事件")
    replay = actions.add_parser("replay", help="修复原因后重放死信事件")
    for p in (listing, replay):
        p.add_argument("--consumer", help="only this durable consumer's letters, e.g. node-case")
        p.add_argument("--database", help="PostgreSQL URL (default: $DATABASE_URL or the --data env file)")
        p.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent / ".data")
    listing.add_argument("--json", action="store_true", help="print the letters as JSON")
    replay.add_argument("--event", action="append", default=[], help="this event id (repeatable)")
    replay.add_argument("--all", action="store_true", help="every letter (of --consumer, if given)")
    replay.add_argument("--nats", help="NATS URL (default: $NATS_URL or the --data env file)")
    replay.add_argument("--operator", default=getpass.getuser(), help="who replays, for the audit log")
    listing.set_defaults(handler=run_list)
    replay.set_defaults(handler=run_replay)


def _setting(args: argparse.Namespace, flag: str, key: str) -> str:
    from runtime.cli import _UsageError
    from runtime.clock_cli import from_env_file

    value = getattr(args, flag) or os.environ.get(key) or from_env_file(args.data, key)
    if not value:
        raise _UsageError(f"--{flag}: no {key} (start the system first, or pass --{flag} / set {key})")
    return value


def _database(args: argparse.Namespace) -> str:
    """--database as the services take DATABASE_URL (postgresql:// and postgres:// with psycopg2)."""
    from runtime.cli import _UsageError
    from services.common.settings import SettingsError, database_url

    try:
        return database_url(_setting(args, "database", "DATABASE_URL"))
    except SettingsError as exc:
        raise _UsageError(f"--database: {exc}") from None


def _letters(args: argparse.Namespace) -> list[dict]:
    from sqlalchemy.exc import SQLAlchemyError

    from runtime.cli import _UsageError

    try:
        found = dead_letters(_database(args))
    except SQLAlchemyError as exc:
        raise _UsageError(f"--database: 无法连接 PostgreSQL（{type(exc).__name__}）：{str(exc).splitlines()[0]}") from None
    return [d for d in found if not args.consumer or d["consumer"] == args.consumer]


def run_list(args: argparse.Namespace) -> int:
    letters = _letters(args)
    if args.json:
        print(json.dumps(letters, ensure_ascii=False, indent=2))
    elif not letters:
        print("死信事件：无")
    else:
        print(f"死信事件：{len(letters)} 个（修复原因后用 courtflow dead-letters replay 重放）")
        for d in letters:
            print(f"  {d['failed_at']}  {d['consumer']}  {d['subject']}  事件 {d['event_id']}  "
                  f"已投递 {d['deliveries']} 次\n    错误：{d['error']}")
    return 0


def run_replay(args: argparse.Namespace) -> int:
    from runtime.cli import _UsageError

    if not (args.all or args.event or args.consumer):
        raise _UsageError("--all: 请指明要重放的死信（--consumer、--event 或 --all）")
    letters = [d for d in _letters(args) if not args.event or d["event_id"] in args.event]
    missing = set(args.event) - {d["event_id"] for d in letters}
    if missing:
        raise _UsageError(f"--event: 没有这个死信事件：{', '.join(sorted(missing))}（courtflow dead-letters list 列出现有的）")
    if not letters:
        print("死信事件：无，无需重放")
        return 0
    try:
        failures = asyncio.run(replay(_database(args), _setting(args, "nats", "NATS_URL"),
                                      letters, operator=args.operator))
    except ConnectionError as exc:
        raise _UsageError(f"--nats: 无法连接 NATS：{exc}") from None
    for d in letters:
        error = failures.get((d["schema"], d["consumer"], d["event_id"]))
        state = f"未重放：{error}" if error else "已重放"
        print(f"  {d['consumer']}  事件 {d['event_id']}  {state}")
    print(f"重放 {len(letters) - len(failures)} 个，失败 {len(failures)} 个")
    return 1 if failures else 0


async def replay(database_url: str, nats_url: str, letters: list[dict], *, operator: str) -> dict[tuple, str]:
    """Replay each letter (dicts as dead_letters() lists them); the ones that failed, with why."""
    import nats
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    errors: list[Exception] = []

    async def remember(exc: Exception) -> None:   # instead of nats-py's traceback per attempt
        errors.append(exc)
    try:
        # nats-py keeps trying a server it cannot reach; the deadline ends that.
        nc = await asyncio.wait_for(nats.connect(nats_url, name="courtflow-dead-letters", connect_timeout=3,
                                                 error_cb=remember), timeout=10)
    except Exception as exc:
        last = errors[-1] if errors else exc
        raise ConnectionError(f"{type(last).__name__}: {(str(last).splitlines() or [''])[0]}") from None
    engine = create_engine(database_url, poolclass=NullPool)
    failures = {}
    try:
        js = nc.jetstream()
        for letter in letters:
            try:
                await _replay_one(engine, js, letter, operator=operator)
            except Exception as exc:   # the letter stays; the others are still tried
                failures[(letter["schema"], letter["consumer"], letter["event_id"])] = f"{type(exc).__name__}: {exc}"
    finally:
        await nc.close()
        engine.dispose()
    return failures


async def _replay_one(engine, js, letter: dict, *, operator: str) -> None:
    from sqlalchemy import text

    from courtflow.audit.v1.audit_pb2 import AuditResult
    from courtflow.common.v1.caller_pb2 import Caller, Role

    from services.common.audit import record_operation
    from services.common.clock import SystemClock
    from services.common.consumer import REPLAY_OF, replay_subject
    from services.common.uow import uow_factory

    schema, consumer, event_id = letter["schema"], letter["consumer"], letter["event_id"]
    reporter = SCHEMA_SERVICE[schema] if SCHEMA_SERVICE[schema] in REPORTERS else "gateway"
    producer = letter["subject"].split(".")[1]   # courtflow.<producer>.v1.<event>
    uow = uow_factory(engine, producer=reporter, messaging=_messaging(reporter), clock=SystemClock())()
    with uow:
        payload = uow.session.execute(text(
            f"DELETE FROM {schema}.dead_letters WHERE consumer = :consumer AND event_id = :event_id RETURNING payload"),
            {"consumer": consumer, "event_id": event_id}).scalar()
        if payload is None:
            raise LookupError("已被他人重放或删除")
        record_operation(uow, reporter=reporter, action=ACTION, resource=f"deadLetters/{consumer}/{event_id}",
                         result=AuditResult.AUDIT_RESULT_SUCCEEDED,
                         caller=Caller(user=f"operators/{operator}", display_name=f"运维（{operator}）",
                                       role=Role.ROLE_SYSTEM_ADMIN),
                         detail=f"重放死信事件：{letter['subject']}，原错误：{letter['error'][:300]}")
        # Published before the commit: a failed publish rolls the removal back. A consumer that fails
        # on it again at once waits on this transaction's row lock to record it anew.
        await js.publish(replay_subject(producer, consumer), bytes(payload), timeout=5,
                         headers={"Nats-Msg-Id": f"replay:{consumer}:{event_id}:{uuid.uuid4().hex[:8]}",
                                  REPLAY_OF: event_id})
        uow.commit()


def _messaging(service: str):
    from importlib import import_module

    return import_module("gateway.models" if service == "gateway" else f"services.{service}.models").MESSAGING
