"""`courtflow calendar`: import a year's State Council holiday schedule through the gateway.

    courtflow calendar import 2027.yaml [--gateway 127.0.0.1:50050] [--token T | --user admin --data .data]
    courtflow calendar list ...

The file (YAML or JSON):
    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays: [2027-01-01, 2027-02-05, ...]   # rest days (at least those on weekdays)
    workdays: [2027-02-14, ...]               # weekend days that are working days (调休上班)
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import grpc
import yaml
from google.type import date_pb2

from services.common.components import default_address
from services.common.errors import details_of

DEFAULT_DATA = Path(__file__).resolve().parent.parent / ".data"


def add_calendar(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser("calendar", help="导入或查看节假日安排", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("action", choices=("import", "list"))
    cmd.add_argument("file", nargs="?", type=Path, help="import: the schedule file (YAML or JSON)")
    cmd.add_argument("--gateway", default=default_address("gateway"))
    cmd.add_argument("--token", help="bearer token of a province-level administrator")
    cmd.add_argument("--user", default="admin", help="take the token of this demo user from --data")
    cmd.add_argument("--data", type=Path, default=DEFAULT_DATA)
    cmd.set_defaults(handler=run_calendar)


def run_calendar(args: argparse.Namespace) -> int:
    from courtflow.node.v1 import node_pb2, node_service_pb2 as pb, node_service_pb2_grpc
    from runtime.cli import _UsageError

    token = args.token or _demo_token(args.data, args.user)
    if not token:
        raise _UsageError(f"--token: none given and no demo login for {args.user!r} in {args.data}")
    metadata = [("authorization", f"Bearer {token}")]
    with grpc.insecure_channel(args.gateway) as channel:
        stub = node_service_pb2_grpc.NodeServiceStub(channel)
        try:
            if args.action == "list":
                for cy in stub.ListCalendarYears(pb.ListCalendarYearsRequest(), metadata=metadata).calendar_years:
                    print(f"{cy.year}年：休息日 {len(cy.holidays)} 天，调休上班 {len(cy.workdays)} 天（{cy.source}）")
                return 0
            if args.file is None:
                raise _UsageError("file: the schedule file to import is missing")
            data = _read(args.file)
            request = pb.ImportCalendarYearRequest(calendar_year=node_pb2.CalendarYear(
                year=data["year"], source=str(data.get("source", args.file.name)),
                holidays=[_pb_date(d, "holidays") for d in data.get("holidays", [])],
                workdays=[_pb_date(d, "workdays") for d in data.get("workdays", [])]))
            reply = stub.ImportCalendarYear(request, metadata=metadata, timeout=60)
        except grpc.RpcError as err:
            _, violations = details_of(err)
            where = "; ".join(f"{f}: {d}" for f, d in violations)
            print(f"导入失败：{err.details()}" + (f"（{where}）" if where and where not in err.details() else ""),
                  file=sys.stderr)
            return 1
    print(f"已导入{reply.calendar_year.year}年节假日安排；重新计算期限的节点：{reply.recomputed_nodes} 个")
    return 0


def _read(path: Path) -> dict:
    from runtime.cli import _UsageError

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # JSON is YAML too
    except (OSError, yaml.YAMLError) as exc:
        raise _UsageError(f"file: cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("year"), int):
        raise _UsageError(f"file: {path} needs a whole-number 'year'")
    return data


def _pb_date(value, field: str) -> date_pb2.Date:
    from runtime.cli import _UsageError

    try:
        d = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise _UsageError(f'file: {field}: "{value}" is not a date YYYY-MM-DD') from None
    return date_pb2.Date(year=d.year, month=d.month, day=d.day)


def _demo_token(data: Path, user: str) -> str | None:
    path = data / "demo-logins.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(user, {}).get("token")
