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
from datetime import date

from courtflow.stats.v1 import supervision_pb2 as pb

from services.common.errors import invalid_field
from services.stats import supervision

D = pb.Dimension
# The catalogue's category of trial limits (审限管理): the limit 法定审限内结案率 is measured against.
TRIAL_LIMIT_CATEGORY = "审限管理"
CASE_DIMENSIONS = {D.DIMENSION_REGION, D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT, D.DIMENSION_CASE_TYPE,
                   D.DIMENSION_PROCEDURE, D.DIMENSION_HANDLER}
RECURRING_DIMENSIONS = (D.DIMENSION_NODE_TYPE, D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT)

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
