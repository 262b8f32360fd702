"""`courtflow clock`: show or move the shared clock every service reads (COURTFLOW_CLOCK=shared).

    courtflow clock show
    courtflow clock advance 30d        # or 12h
    courtflow clock set 2026-09-03T09:00+08:00 [--freeze]
    courtflow clock real               # back to real time

NATS is found from --nats, NATS_URL, or the env file the start command writes in --data.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
from datetime import datetime, timedelta
from pathlib import Path

from services.common.clock import (
    LEGAL_TZ,
    SystemClock,
    read_clock_state,
    set_shared_clock,
)

_DELTA = re.compile(r"^(\d+)(d|h)$")


def add_clock(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("clock", help="查看或调整共享时钟（测试、演示用）", description=__doc__)
    cmd.add_argument("action", choices=("show", "advance", "set", "real"))
    cmd.add_argument("value", nargs="?", help="advance: Nd or Nh; set: an ISO-8601 instant")
    cmd.add_argument("--freeze", action="store_true", help="set: stop time at that instant")
    cmd.add_argument("--nats", help="NATS URL (default: $NATS_URL or the --data env file)")
    cmd.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent / ".data")
    cmd.set_defaults(handler=run_clock)


def run_clock(args: argparse.Namespace) -> int:
    from runtime.cli import _UsageError

    url = args.nats or os.environ.get("NATS_URL") or from_env_file(args.data, "NATS_URL")
    if not url:
        raise _UsageError("--nats: no NATS URL (start the system first, or pass --nats / set NATS_URL)")
    if args.action == "advance" and not (args.value and _DELTA.match(args.value)):
        raise _UsageError(f'value: "{args.value}" is not Nd or Nh')
    target = None
    if args.action == "set":
        try:
            target = datetime.fromisoformat(args.value or "")
        except ValueError:
            raise _UsageError(f'value: "{args.value}" is not an ISO-8601 instant') from None
        target = target if target.tzinfo else target.replace(tzinfo=LEGAL_TZ)
    now = asyncio.run(_apply(url, args.action, args.value, target, args.freeze))
    print(f"共享时钟：{now.astimezone(LEGAL_TZ):%Y-%m-%d %H:%M:%S} (Asia/Shanghai)")
    return 0


async def _apply(url: str, action: str, value: str | None, target: datetime | None, freeze: bool) -> datetime:
    import nats

    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        offset, frozen = await read_clock_state(js)
        real = SystemClock().now()
        if action == "advance":
            n, unit = _DELTA.match(value).groups()
            delta = timedelta(days=int(n)) if unit == "d" else timedelta(hours=int(n))
            offset, frozen = (offset, frozen + delta) if frozen else (offset + delta, None)
        elif action == "set":
            offset, frozen = (timedelta(), target) if freeze else (target - real, None)
        elif action == "real":
            offset, frozen = timedelta(), None
        if action != "show":
            await set_shared_clock(js, offset=offset, frozen=frozen)
        return frozen or real + offset
    finally:
        await nc.close()


def from_env_file(data: Path, key: str) -> str | None:
    """A setting from the env file the start command writes in its data directory."""
    env = data / "env"
    if env.exists():
        for line in env.read_text().splitlines():
            if line.startswith(f"{key}="):
                return line.split("=", 1)[1]
    return None
