"""Q2 质效分析: the efficiency indicators of the trial quality indicator system (人民法院审判质量管理
指标体系) that CourtFlow's data computes, their definitions, and the window of recurring problems.
Pure: repository.py computes the counts; this module says what they mean.

The indicators are counted over a period (the query's start and end dates) on the cases in the
caller's scope that the query's case terms select:

- 收案数: cases whose 收案日期 is in the period; 结案数: cases whose 结案日期 is.
- 结收比 = 结案数 ÷ 收案数.
- 法定审限内结案率 = of the closed cases that run under a trial limit (a node of the category
  审限管理: 审理期限, 二审审限 …), those whose trial-limit nodes were none overdue at the end of
  the period (an approved extension counts: the limit is the extended one; an overdue completion,
  超期完成, does not) ÷ those closed cases.
- 平均审理天数: the mean of the calendar days from 立案日期 to 结案日期 of the cases closed in the
  period (deducted and suspended spans are not taken off: the figure says how long parties wait).
- 超12个月未结案件数: cases filed by the end of the period, not closed by then, filed more than 12
  months before it; 超12个月未结案件比 = that ÷ 未结案件数.
- 延长审限率 = of the closed cases under a trial limit, those whose limit an approved application
  extended ÷ those closed cases.

Time per stage: for each of the seven stages, the days from its first node opening to its last
node completing, over the stages whose last node completed in the period: median and 90th
percentile. Recurring problems: per node type, court and department, the nodes that became
overdue in each month of a window (default the last 6 months of the period); those with overdue
nodes in at least `threshold` (default 3) of its months are listed, with the monthly series.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from courtflow.stats.v1 import supervision_pb2 as pb

from services.common.errors import invalid_field
from services.stats import cube, supervision

D = pb.Dimension
# The catalogue's category of trial limits (审限管理): the limit 法定审限内结案率 is measured against.
TRIAL_LIMIT_CATEGORY = "审限管理"
CASE_DIMENSIONS = {D.DIMENSION_REGION, D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT, D.DIMENSION_CASE_TYPE,
                   D.DIMENSION_PROCEDURE, D.DIMENSION_HANDLER}
RECURRING_DIMENSIONS = (D.DIMENSION_NODE_TYPE, D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT)
# The indicators' counts (a group none of which is counted is left out).
COUNTS = ("received", "closed", "closed_with_limit", "closed_within_limit", "open", "open_over_12_months", "extended")

DEFINITIONS = {
    "received": "收案数：收案日期在统计期间内的案件数",
    "closed": "结案数：结案日期在统计期间内的案件数",
    "closed_to_received": "结收比 = 结案数 ÷ 收案数",
    "closed_with_limit": "有审限的结案数：统计期间内结案、受审理期限（审限管理节点）约束的案件数",
    "closed_within_limit": "法定审限内结案数：其中审限节点在期间末均未超期的案件数（经批准延长的以延长后的期限计，超期完成的不计入）",
    "within_limit_rate": "法定审限内结案率 = 法定审限内结案数 ÷ 有审限的结案数",
    "average_trial_days": "平均审理天数：统计期间内结案案件自立案日期至结案日期的自然日数的平均值（不扣除中止、扣除期间）",
    "open": "未结案件数：期间末已立案且尚未结案的案件数",
    "open_over_12_months": "超12个月未结案件数：其中立案已超过12个月的案件数",
    "over_12_months_ratio": "超12个月未结案件比 = 超12个月未结案件数 ÷ 未结案件数",
    "extended": "延长审限的结案数：有审限的结案中，审限经批准延长的案件数",
    "extension_rate": "延长审限率 = 延长审限的结案数 ÷ 有审限的结案数",
    "stage_durations": "阶段用时：各阶段自第一个节点开始至最后一个节点完成的天数，统计期间内完成的阶段，取中位数与第90百分位数",
    "recurring_problems": "反复出现的问题：按节点类型、法院、部门统计近若干个月每月新出现的超期节点数，在不少于阈值个月份中出现超期的列出",
}


@dataclass(frozen=True)
class Analysis:
    query: supervision.Query    # the case terms
    start: date
    end: date
    dimensions: list[int]
    months: list[str]           # the recurring problems' window, oldest first
    threshold: int


def parse(request, *, today: date) -> Analysis:
    q = supervision.parse_query(request.query, today=today)
    node_terms = sorted(set(q.node_terms()) | ({"abnormal", "month", "closed"} & set(q.terms)))
    if node_terms:
        raise invalid_field("query.filter", f"质效分析只按案件筛选（region、court、handler、case_type、procedure），"
                                            f"不支持 {', '.join(node_terms)}")
    end = q.end or today
    if end > today:
        raise invalid_field("query.end_date", f"统计截止日期 {end} 晚于今天 {today}")
    start = q.start or date(end.year, 1, 1)
    if start > end:
        raise invalid_field("query.start_date", f"起始日期 {start} 晚于截止日期 {end}")
    dims = supervision.parse_dimensions(request.group_by)
    for i, d in enumerate(dims):
        if d not in CASE_DIMENSIONS:
            raise invalid_field(f"group_by[{i}]", "质效分析按案件的维度分组：片区、法院、部门、案件类型、审理程序、承办人")
    window = request.recurring_months or 6
    threshold = request.recurring_threshold or 3
    if threshold > window:
        raise invalid_field("recurring_threshold", f"月份阈值 {threshold} 大于统计月数 {window}")
    return Analysis(q, start, end, dims, months_ending(end, window), threshold)


def months_ending(end: date, count: int) -> list[str]:
    """The `count` months up to and including end's, oldest first: ["2026-05", …, "2026-10"]."""
    index = end.year * 12 + end.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def twelve_months_before(end: date) -> date:
    """The filing date on or before which an open case has waited more than 12 months by `end`."""
    year, month = (end.year - 1, end.month)
    day = min(end.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                        31, 31, 30, 31, 30, 31][month - 1])
    return date(year, month, day)


# ── pre-counted (quality_counts.py keeps the tables; this says when they answer) ──────────────
#
# The direct query reads every case and node an analysis covers: a province's Q2 is a scan of
# millions of rows. The projection keeps Q2's figures already counted, in the same transactions
# as the read model, for the question court leaders ask every day: the months from a first of
# the month up to today, in the scope of a court, a region or the province.
# - quality_months: per court (and as each rollup keeps them, department or case type and
#   procedure) and month, the cases received in it, and those closed in it with their trial
#   limit's outcome (as it stands now), whether it was extended, and their trial days;
# - quality_open: the cases open now, by the month they were filed in and the day of it from
#   the 28th on (FILING_TAIL), so that "filed more than 12 months ago" is counted up to a day;
# - quality_stages: the stages completed, by the month of their last node's completion and
#   their days — a histogram, from which the median and the 90th percentile are read exactly;
# - quality_overdue: per court, the nodes that became overdue, by month, per node type, court and
#   department (the recurring problems).
# The stages are kept for the province, each region and each court (LEVELS), so that a
# province-wide question reads a few thousand rows, not every court's histograms. The overdue
# nodes only per court: a burst of nodes going overdue updates those rows in the projection's
# transactions, and a province and a region level would triple them (1,120 node changes a
# second fell to 926 at a million cases); a province's six months sum a few thousand rows.
# A period ending at a past month end, or on a day since the last days began to be kept
# (snapshot_wanted), is read from that day's snapshot: after the day ends, the housekeeping counts
# the four tables once more as of it, with the cube's snapshot (repository.take_snapshot): the
# direct query's as-of rule, so the two agree, and the snapshot does not change afterwards (a
# month's quality figures as the platform saw them when it was over). Once the day is older than
# the last days, its snapshot is kept as its difference from the next day's, as the cube's, and
# the day is summed from its chain (cube.chain_days).
# A period up to today that starts within a month is read from the tables too: its first month's
# days outside it are counted from the read model (first_month), on the cases received or closed
# on those days and the stages completed on them (a few days' rows, found by indexes), with the
# same SQL the tables are kept with, and taken from or added to the months' counts.
# Other questions — a period ending on another past day (or on a snapshot's day but starting
# within a month: the snapshot counts as of its day, the read model as of now), a handler, a
# department's or a judge's scope — go to the direct query; an integration test asks both ways
# and compares.
# Dates are never after today (the case service refuses them; a node's dates are its events'),
# so "up to today" is every month up to this one.
ROLLUPS = {1: frozenset(), 2: frozenset({"department"}), 3: frozenset({"case_type", "procedure"})}
ANY = {"department": "*", "case_type": -1, "procedure": -1}
LEVEL_PROVINCE, LEVEL_REGION, LEVEL_COURT = 1, 2, 3
COUNTED_TERMS = ("court", "region", "case_type", "procedure")
_DIMENSION_COLUMNS = {D.DIMENSION_REGION: "region", D.DIMENSION_COURT: "court", D.DIMENSION_DEPARTMENT: "department",
                      D.DIMENSION_CASE_TYPE: "case_type", D.DIMENSION_PROCEDURE: "procedure"}


def snapshot_wanted(day: date, today: date, *, days: int, months: int) -> bool:
    """Whether the housekeeping takes a snapshot of Q2's tables as of `day` when it has none: one
    of the last `months` month ends (the reports' days), or one of the last `days` days before
    `today` — those whose cube it takes (cube.snapshot_due). Once older, a day's is aged as the
    cube's is (repository.age_snapshots): kept whole on the days the cube keeps whole (the month
    ends, the 8th, 16th and 24th), as its difference from the next day's on the others, so that
    every day since the last days began to be kept is answered from its chain."""
    return day in cube.month_ends(today, months) or today - timedelta(days=days) <= day < today


def filing_tail(day: int) -> int:
    """The day of the month a case was filed on as quality_open keeps it: 0 for the 1st–27th, 1–4
    for the 28th–31st (the days a month-end's 12 months ago can fall on)."""
    return max(0, day - 27)


@dataclass(frozen=True)
class Days:
    """Days of a period's first month that the months' counts do not match, counted from the read
    model: added to them (sign 1) or taken out of them (sign -1)."""

    first: date
    last: date
    sign: int


def first_month(start: date, end: date) -> tuple[str, Days | None]:
    """How the months' counts answer a period from `start` to `end`: the first month read from them,
    and the days of start's month counted from the read model — those from start on, added (its
    month not read), or those before it, taken out (its month read whole): whichever are fewer."""
    month = start.strftime("%Y-%m")
    if start.day == 1:
        return month, None
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    after = (min(following - timedelta(days=1), end) - start).days + 1
    if start.day - 1 < after:
        return month, Days(start.replace(day=1), start - timedelta(days=1), -1)
    return following.strftime("%Y-%m"), Days(start, min(following - timedelta(days=1), end), 1)


@dataclass(frozen=True)
class Counted:
    """How the pre-counted tables answer an analysis: the indicators' rollups (None: the direct
    query answers them), the terms the rows are matched on, and the (level, area) of the stage and
    overdue rows (None: the direct query answers those)."""

    rollup: int | None
    totals_rollup: int | None
    key_terms: dict
    area: tuple[int, str] | None
    first_month: str        # YYYY-MM: the first month the indicators and stages are read from,
    days: Days | None       # and the days of the period's first month counted apart (first_month())
    # A past day's snapshots whose rows, summed, are the day's (cube.chain_days: its own, or its
    # delta and the next days' up to a whole one); none: the tables as they are.
    chain: tuple[date, ...] = ()

    @property
    def snapshot(self) -> date | None:
        """The day whose snapshot answers (snapshot_wanted); None: the tables as they are."""
        return self.chain[0] if self.chain else None


def _rollup(columns: set[str]) -> int | None:
    return next((r for r, kept in ROLLUPS.items() if columns <= kept), None)


def _area(scope_prefix: str, court: str, terms: dict) -> tuple[int, str] | None:
    """The narrowest of the places an analysis is limited to, when it lies within all the others
    (None otherwise: the direct query finds what, if anything, they share). Court ids nest: a
    prefix of 2 digits is the province, of 4 a region (the intermediate court and those below)."""
    levels = {2: LEVEL_PROVINCE, 4: LEVEL_REGION}
    places = [(levels.get(len(scope_prefix), LEVEL_COURT), scope_prefix)]
    if court != "-":
        places.append((LEVEL_COURT, court))
    if "court" in terms:
        places.append((LEVEL_COURT, terms["court"]))
    if "region" in terms:
        places.append((LEVEL_REGION, terms["region"]))
    level, area = max(places)

    def contains(outer: tuple[int, str]) -> bool:
        if outer[0] == LEVEL_PROVINCE:
            return area.startswith(outer[1])
        if outer[0] == LEVEL_REGION:
            return area[:4] == outer[1] if level == LEVEL_COURT else area == outer[1]
        return (level, area) == outer
    if not all(contains(p) for p in places) or (level == LEVEL_REGION and len(area) != 4):
        return None
    return level, "" if level == LEVEL_PROVINCE else area


def counted_plan(a: Analysis, *, today: date, scope_level: int, scope_prefix: str, court: str,
                 wide_scopes, snapshots=frozenset(), deltas=frozenset()) -> Counted | None:
    """The pre-counted tables' plan for an analysis, or None when the direct query answers it all.
    `snapshots`: the days whose snapshot is kept whole, `deltas` those kept as deltas (a period
    ending on one is read from its chain)."""
    chain = cube.chain_days(a.end, snapshots, deltas) if a.end != today else ()
    if chain is None:
        return None
    if scope_level not in wide_scopes or not scope_prefix:
        return None
    if a.start.day != 1 and a.end != today:
        return None   # a snapshot counts as of its day; the read model's days would be as of now
    if not set(a.query.terms) <= set(COUNTED_TERMS):
        return None   # a handler
    key_terms = dict(a.query.terms)
    needed = {k for k in key_terms if k in ("case_type", "procedure")}
    # A group by the handler: no table keeps it (the indicators' rows come from the read model).
    grouped = {_DIMENSION_COLUMNS.get(d, "handler") for d in a.dimensions} - {"court", "region"}
    rollup, totals_rollup = _rollup(needed | grouped), _rollup(needed)
    area = None if needed else _area(scope_prefix, court, key_terms)
    month, days = first_month(a.start, a.end)
    return Counted(rollup if totals_rollup is not None else None, totals_rollup, key_terms, area,
                   first_month=month, days=days, chain=chain)


def percentile(histogram, fraction: float) -> float:
    """PostgreSQL's percentile_cont(fraction) over the values a histogram counts ((value, how
    many) pairs): the value at position fraction × (n − 1) of the sorted values, interpolated."""
    ordered = sorted(histogram)
    total = sum(n for _, n in ordered)
    position = fraction * (total - 1)
    below = int(position)

    def value_at(rank: int) -> int:
        seen = 0
        for value, n in ordered:
            seen += n
            if rank < seen:
                return value
        return ordered[-1][0]
    low = value_at(below)
    high = value_at(below + 1) if position > below else low
    return low + (high - low) * (position - below)
