"""How many compute_deadline calls a second, for typical day and month periods.

Run from the repository root: ``python bench/periods_bench.py``. Prints one JSON object.
The calendar is warmed first: a long-running service answers from its per-date cache, and
that steady state is what the sweepers see.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

# Run as a plain script, so put the repository root (not bench/) on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.node.calendar import HolidayCalendar  # noqa: E402
from services.node.periods import Period, compute_deadline  # noqa: E402

PERIODS = [Period.parse(p) for p in ("15d", "10d", "30d", "3m", "6m", "2m")]
STARTS = [date(2025, 1, 1) + timedelta(days=i) for i in range(0, 700, 7)]
MIN_SECONDS = 1.0


def main() -> None:
    calendar = HolidayCalendar.builtin()
    cases = [(s, p) for s in STARTS for p in PERIODS]
    for start, period in cases:  # warm the per-date cache
        compute_deadline(start=start, period=period, calendar=calendar)
    calls, began = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - began) < MIN_SECONDS:
        for start, period in cases:
            compute_deadline(start=start, period=period, calendar=calendar)
        calls += len(cases)
    print(json.dumps({"period_computations_per_second": int(calls / elapsed)}))


if __name__ == "__main__":
    main()
