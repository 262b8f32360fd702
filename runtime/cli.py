"""The ``courtflow`` command line.

Each subcommand is one ``_add_<name>(subparsers)`` function that declares its arguments and sets
``handler``; add new ones to ``_SUBCOMMANDS``. Handlers return an exit code and do the I/O; the
computing stays in the domain modules.

Every usage error is reported as exactly one line on stderr, ``--arg: what is wrong``, with exit
code 2 — argparse's default (usage block plus message) is noisy for scripts that parse stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime, timedelta
from typing import Callable, Sequence

from services.common.clock import LEGAL_TZ
from services.node.calendar import HolidayCalendar
from services.node.periods import Deadline, Exclusion, LateSpan, Period, Unit, compute_deadline, compute_hour_deadline

USAGE_ERROR = 2
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MINUTE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")


class _UsageError(Exception):
    """A bad command line, already worded for the user."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse words errors on one option as "argument --x: ..."; drop the filler word so
        # the line starts with the option name.
        raise _UsageError(message.removeprefix("argument "))


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        return args.handler(args)
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as exc:  # --help exits through argparse
        return exc.code if isinstance(exc.code, int) else 0


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="courtflow", description="CourtFlow 全流程节点管控")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _SUBCOMMANDS:
        add(subparsers)
    return parser


# -- deadline ---------------------------------------------------------------------------------


def _add_deadline(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser(
        "deadline",
        help="计算期间届满日",
        description="按民法典第二百零一至二百零三条计算期间届满日，并说明每一步。",
    )
    cmd.add_argument("--start", required=True, type=_start_arg, metavar="YYYY-MM-DD[THH:MM]",
                     help="引起期间的事件发生日（当日不计入）；以小时计算的期间给出时刻（北京时间，该小时不计入）")
    cmd.add_argument("--period", required=True, type=_period_arg, metavar="N{d|m|y|wd|h}",
                     help="期间，如 15d、6m、1y、7wd（工作日）、48h（小时）")
    cmd.add_argument("--custody", action="store_true",
                     help="在押：期间届满日遇节假日不顺延（刑事诉讼法）")
    cmd.add_argument("--exclude", action="append", default=[], type=_exclusion_arg,
                     metavar="YYYY-MM-DD:YYYY-MM-DD",
                     help="不计入期限的区间（开始:结束），扣除 结束−开始 日；可重复")
    cmd.add_argument("--no-rollover", dest="rollover", action="store_false",
                     help="不适用节假日顺延")
    cmd.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    cmd.set_defaults(handler=_run_deadline)


def _run_deadline(args: argparse.Namespace) -> int:
    if args.exclude and args.period.unit is Unit.WORKING_DAYS:
        raise _UsageError("--exclude: not allowed with a working-day period")
    if args.exclude and args.period.unit is Unit.HOURS:
        raise _UsageError("--exclude: 以小时计算的期间不适用扣除")
    if isinstance(args.start, datetime) and args.period.unit is not Unit.HOURS:
        raise _UsageError(f"--start: {args.period} 按日计算，起算只写日期 YYYY-MM-DD（当日不计入）")
    if isinstance(args.start, datetime):
        return _print_deadline(args, *_hour_deadline(args))
    try:
        deadline = compute_deadline(
            start=args.start,
            period=args.period,
            calendar=HolidayCalendar.builtin(),
            custody=args.custody,
            exclusions=args.exclude,
            rollover=args.rollover,
        )
    except LateSpan as exc:  # a span after the limit ran out cannot revive it (DOMAIN §3)
        raise _UsageError(f"--exclude: {exc}") from None
    except ValueError as exc:  # only the date range is left to fail here
        raise _UsageError(f"--period: {exc}") from None
    # An hour period counted from a date ends at 24:00 of its last day.
    ends = datetime.combine(deadline.due + timedelta(days=1), datetime.min.time()) \
        if args.period.unit is Unit.HOURS else None
    return _print_deadline(args, deadline, ends)


def _hour_deadline(args: argparse.Namespace) -> tuple[Deadline, datetime]:
    hours = compute_hour_deadline(start=args.start, hours=args.period.amount)
    # The last day the period reaches into: one ending at 00:00 ended with the day before.
    due = (hours.ends_at - timedelta(minutes=1)).date()
    lines = (*hours.explanation, f"届满日：{due}（{hours.ends_at:%Y-%m-%d %H:%M} 届满）")
    return Deadline(due=due, unrolled_due=due, calendar_known=True, explanation=lines, basis=""), hours.ends_at


def _print_deadline(args: argparse.Namespace, deadline: Deadline, ends: datetime | None) -> int:
    if args.json:
        print(json.dumps(_deadline_json(args, deadline, ends), ensure_ascii=False))
    else:
        print(f"期限届满日：{deadline.due}" + (f"（{ends:%Y-%m-%d %H:%M} 届满）" if ends else ""))
        for line in deadline.explanation:
            print(f"  {line}")
    return 0


def _deadline_json(args: argparse.Namespace, deadline: Deadline, ends: datetime | None) -> dict[str, object]:
    start = f"{args.start:%Y-%m-%dT%H:%M}" if isinstance(args.start, datetime) else args.start.isoformat()
    return {
        "start": start,
        "period": str(args.period),
        "due": deadline.due.isoformat(),
        **({"due_time": f"{ends:%Y-%m-%dT%H:%M}"} if ends else {}),
        "unrolled_due": deadline.unrolled_due.isoformat(),
        "calendar_known": deadline.calendar_known,
        "custody": args.custody,
        "rollover": args.rollover and args.period.unit is not Unit.HOURS,  # hours never roll
        "exclusions": [
            {"start": ex.start.isoformat(), "end": ex.end.isoformat(), "days": ex.days}
            for ex in args.exclude
        ],
        "explanation": list(deadline.explanation),
    }


# -- argument types: raise ArgumentTypeError so argparse prefixes the option name -------------


def _date_arg(text: str) -> date:
    # date.fromisoformat also takes 20260316 and week dates; accept only the documented form.
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f'"{text}" is not a date YYYY-MM-DD')


def _start_arg(text: str) -> date | datetime:
    """A date, or for an hour period a minute in Beijing time (the courts' time zone)."""
    if _ISO_MINUTE.fullmatch(text):
        try:
            return datetime.fromisoformat(text).replace(tzinfo=LEGAL_TZ)
        except ValueError:
            pass
        raise argparse.ArgumentTypeError(f'"{text}" is not a time YYYY-MM-DDTHH:MM')
    return _date_arg(text)


def _period_arg(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _exclusion_arg(text: str) -> Exclusion:
    first, sep, second = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f'"{text}" is not YYYY-MM-DD:YYYY-MM-DD')
    start, end = _date_arg(first), _date_arg(second)
    if end < start:
        raise argparse.ArgumentTypeError(f'"{text}": the end {end} is before the start {start}')
    return Exclusion(start, end)


from runtime.calendar_cli import add_calendar  # noqa: E402  (after the helpers they use)
from runtime.clock_cli import add_clock  # noqa: E402
from runtime.dead_letters_cli import add_dead_letters  # noqa: E402
from runtime.verify_cli import add_verify  # noqa: E402

_SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (_add_deadline, add_calendar,
                                                                          add_clock, add_verify, add_dead_letters)


if __name__ == "__main__":
    sys.exit(main())
