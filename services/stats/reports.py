"""P7 三级法院工作报表: the work reports of the high, intermediate and basic courts. Pure: no I/O.

A report is for one court and one period (a month, a quarter or a year). Its definition
(DEFINITIONS, by the court's level) says what its rows are:

- a high court's: each region (片区 — an intermediate court and the courts below it; the high
  court is its own region) with its courts beneath and the region's subtotal, then the total;
- an intermediate court's: the court itself and each of its basic courts, then the total;
- a basic court's: its departments (those that handle cases, and any other with cases), then the
  total. A division head, whose scope is their department, gets this report of their own court,
  with their department only; judges and their staff get none (统计报表仅向庭室及以上管理角色开放).

Its columns (ITEMS) are measures of the supervision platform's one query (supervision.py,
repository.SupervisionSql), asked over one of three populations (POPULATIONS):

- 收案 (received): cases whose 收案日期 is in the period;
- 结案 (closed): cases whose 结案日期 is in the period;
- 期末未结 (pending): cases received by the end of the period and not closed on its last day —
  the 异常/锁定/解锁 cases and every node column count these cases and their nodes.

A period that has ended is reported as it stood on its last day (the query's `as_of`), so the
same report gives the same figures later; the current period as it stands today. The rows are
the query grouped by the report's dimensions, the subtotals and the total the same query grouped
by fewer: every number of a report is what SummarizeSupervision answers with the query its query
sheet gives (`summary_requests`), and drills down the same way. 结收比 and 异常率 are ratios of two
columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from courtflow.gateway.v1.gateway_pb2 import CourtLevel
from courtflow.stats.v1 import report_pb2, supervision_pb2 as pb

from services.common.errors import invalid_field
from services.stats import supervision
from services.stats.directory import Directory
from services.stats.projection import region_of

D = pb.Dimension
K = report_pb2.ReportKind
PERIOD = re.compile(r"([0-9]{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?")
QUARTER_WORDS = "一二三四"
# A report lists every court of its scope and every department that handles cases; this many
# rows at most (a province has a few hundred courts): the gateway answers a file in one message.
MAX_ROWS = 5000
# Departments a basic court's report lists only when they have cases.
NON_TRIAL_KINDS = frozenset({"office", "trial_management"})
# The order of departments in a report, as courts list them: 立案、民事、刑事、行政、审监、执行, then the others.
KIND_ORDER = {kind: i for i, kind in enumerate(("filing", "civil", "criminal", "administrative", "retrial",
                                                "execution"))}


@dataclass(frozen=True)
class Period:
    text: str       # as asked: "2026-03", "2026-Q1", "2026"
    start: date
    end: date
    words: str      # 2026年3月, 2026年第一季度, 2026年


def parse_period(text: str, *, today: date, field_name: str = "period") -> Period:
    m = PERIOD.fullmatch(text or "")
    if not m or int(m[1]) < 1900:
        raise invalid_field(field_name, "统计期间应为 2026-03（月）、2026-Q1（季度）或 2026（年）")
    year = int(m[1])
    if m[2]:
        month = int(m[2])
        start, end = date(year, month, 1), _month_end(year, month)
        words = f"{year}年{month}月"
    elif m[3]:
        quarter = int(m[3])
        start, end = date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        words = f"{year}年第{QUARTER_WORDS[quarter - 1]}季度"
    else:
        start, end, words = date(year, 1, 1), date(year, 12, 31), f"{year}年"
    if start > today:
        raise invalid_field(field_name, f"统计期间 {words} 尚未开始（今天是 {today}）")
    return Period(text, start, end, words)


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Population:
    """The cases (and their nodes) a column counts: a date basis over the period or up to its end,
    and terms of the query."""

    key: str
    label: str
    basis: int
    whole_period: bool      # the date in the period; else on or before its end
    terms: tuple            # ((term, value), …)
    words: str


POPULATIONS = {p.key: p for p in (
    Population("received", "本期收案", pb.DATE_BASIS_RECEIVE, True, (), "收案日期在统计期间内的案件"),
    Population("closed", "本期结案", pb.DATE_BASIS_CLOSE, True, (), "结案日期在统计期间内的案件"),
    Population("pending", "期末未结", pb.DATE_BASIS_RECEIVE, False, (("closed", False),),
               "收案日期不晚于统计日、到统计日（期末）尚未结案的案件"),
)}


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    group: str                       # the merged header above it
    definition: str
    population: str = ""             # a measure of this population's query …
    measure: str = ""                # … (supervision.MEASURE_FILTERS' names)
    ratio: tuple[str, str] = ()      # or numerator ÷ denominator, two other items' keys


CASES, NODES, RATIOS = "案件（件）", "节点（个）", "比率"
ITEMS = {i.key: i for i in (
    Item("received", "收案数", CASES, "收案日期在统计期间内的案件数", "received", "cases.total"),
    Item("closed", "结案数", CASES, "结案日期在统计期间内的案件数", "closed", "cases.total"),
    Item("pending", "未结案数", CASES, "期末（统计日）尚未结案的案件数", "pending", "cases.total"),
    Item("abnormal_cases", "异常案件", CASES, "期末未结案件中有节点预警、超期或锁定的案件数", "pending",
         "cases.abnormal"),
    Item("locked_cases", "锁定案件", CASES, "期末未结案件中统计日有节点处于锁定的案件数", "pending", "cases.locked"),
    Item("unlocked_cases", "解锁案件", CASES, "期末未结案件中有节点曾被锁定、到统计日已解锁的案件数", "pending",
         "cases.unlocked"),
    Item("warning_nodes", "预警节点", NODES, "期末未结案件中状态为预警的节点数（含预警后按期完成的节点）", "pending",
         "nodes.warning"),
    Item("overdue_nodes", "超期节点", NODES, "期末未结案件中状态为超期的节点数（含超期后完成的节点）", "pending",
         "nodes.overdue"),
    Item("overdue_without_warning_nodes", "超期未预警节点", NODES, "期末未结案件中超期前未经预警的超期节点数",
         "pending", "nodes.overdue_without_warning"),
    Item("locked_nodes", "锁定节点", NODES, "期末未结案件中统计日处于锁定的节点数", "pending", "nodes.locked"),
    Item("closed_to_received", "结收比", RATIOS, "结案数 ÷ 收案数", ratio=("closed", "received")),
    Item("abnormal_rate", "异常率", RATIOS, "异常案件 ÷ 未结案数", ratio=("abnormal_cases", "pending")),
)}


@dataclass(frozen=True)
class Definition:
    kind: int
    words: str                          # 高级法院报表（按片区、法院）
    title: str                          # after the court's name
    row_headers: tuple[str, ...]        # the label columns
    groupings: tuple[tuple[int, ...], ...]   # detail rows, then subtotals (if any); the total is ()
    items: tuple[str, ...]


DEFINITIONS = {
    K.REPORT_KIND_HIGH: Definition(K.REPORT_KIND_HIGH, "高级法院报表（按片区、法院）", "全省法院流程节点监督工作报表", ("片区", "法院"),
                                   ((D.DIMENSION_REGION, D.DIMENSION_COURT), (D.DIMENSION_REGION,)), tuple(ITEMS)),
    K.REPORT_KIND_INTERMEDIATE: Definition(K.REPORT_KIND_INTERMEDIATE, "中级法院报表（按法院）", "辖区法院流程节点监督工作报表", ("法院",),
                                           ((D.DIMENSION_COURT,),), tuple(ITEMS)),
    K.REPORT_KIND_BASIC: Definition(K.REPORT_KIND_BASIC, "基层法院报表（按部门）", "各部门流程节点监督工作报表", ("部门",),
                                    ((D.DIMENSION_DEPARTMENT,),), tuple(ITEMS)),
}
LEVEL_KINDS = {CourtLevel.COURT_LEVEL_HIGH: K.REPORT_KIND_HIGH,
               CourtLevel.COURT_LEVEL_INTERMEDIATE: K.REPORT_KIND_INTERMEDIATE,
               CourtLevel.COURT_LEVEL_BASIC: K.REPORT_KIND_BASIC}
DIMENSION_WORDS = {D.DIMENSION_REGION: "片区", D.DIMENSION_COURT: "法院", D.DIMENSION_DEPARTMENT: "部门"}


def kind_of(court: str, level: int | None, *, department_scope: bool) -> int:
    """The report a court gets: by its level in the directory, else by its id (44, 4401, 440101)."""
    if department_scope:
        return K.REPORT_KIND_BASIC
    if level in LEVEL_KINDS:
        return LEVEL_KINDS[level]
    return {2: K.REPORT_KIND_HIGH, 4: K.REPORT_KIND_INTERMEDIATE}.get(len(court), K.REPORT_KIND_BASIC)


@dataclass(frozen=True)
class Plan:
    """What a report asks: the summary queries of its populations and how each is grouped."""

    definition: Definition
    court: str              # the court the report is for
    parent: str             # the court the summaries are asked of: the court itself, or "-" (all in scope)
    period: Period
    as_of: date
    today: date
    region: str             # a high court's report of one region; ""
    items: tuple[Item, ...]
    queries: dict           # population key → supervision.Query


def plan(*, court: str, kind: int, period: Period, region: str, items, today: date) -> Plan:
    definition = DEFINITIONS[kind]
    if region and kind != K.REPORT_KIND_HIGH:
        raise invalid_field("region", "只有高级法院的报表可以选择片区")
    if region and (region_of(region) != region or not region.startswith(court)):
        raise invalid_field("region", f"{region} 不是本院辖区的片区（应为中级法院的编号）")
    chosen = list(items) or list(definition.items)
    for i, key in enumerate(chosen):
        if key not in definition.items:
            raise invalid_field(f"items[{i}]", f"报表没有这一列：{key}；可选：{'、'.join(definition.items)}")
    chosen_items = tuple(ITEMS[k] for k in definition.items if k in chosen)
    needed = {ITEMS[k].population for i in chosen_items for k in (i.ratio or (i.key,))}
    terms = {"region": court} if kind == K.REPORT_KIND_INTERMEDIATE else {"region": region} if region else {}
    as_of = min(period.end, today)
    queries = {}
    for key in sorted(needed, key=list(POPULATIONS).index):
        p = POPULATIONS[key]
        queries[key] = supervision.Query(terms={**dict(p.terms), **terms}, basis=p.basis,
                                         start=period.start if p.whole_period else None, end=period.end,
                                         as_of=None if as_of == today else as_of)
    parent = court if kind == K.REPORT_KIND_BASIC else "-"
    return Plan(definition, court, parent, period, as_of, today, region, chosen_items, queries)


def summary_requests(p: Plan) -> list[tuple[str, pb.SupervisionQuery, tuple[int, ...]]]:
    """(population, query, group_by) of every SummarizeSupervision the report's numbers are,
    with parent courts/{p.parent}: its rows, subtotals and total."""
    return [(key, supervision.to_proto_query(q, as_of=p.as_of), grouping)
            for key, q in p.queries.items() for grouping in (*p.definition.groupings, ())]


# ── the table ──────────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Row:
    kind: str                       # "detail", "subtotal" or "total"
    labels: tuple[str, ...]         # one per row header
    group: tuple                    # the group values (region, court, department), as the query has them
    values: dict                    # item key → int, or float / None for a ratio


def measure(row, name: str) -> int:
    """One measure (supervision.MEASURE_FILTERS' names) of a row of repository.summarize."""
    kind, what = name.split(".")
    if name == "cases.normal":
        return row.cases_total - row.cases_abnormal
    if name == "nodes.finished":
        return row.nodes_total - row.nodes_open
    return getattr(row, f"{kind}_{what}")


def _values(p: Plan, results: dict, grouping: tuple, key: tuple) -> dict:
    values: dict = {}
    for item in p.items:
        for k in item.ratio or (item.key,):
            i = ITEMS[k]
            row = results[i.population, grouping].get(key)
            values[k] = measure(row, i.measure) if row is not None else 0
    for item in p.items:
        if item.ratio:
            top, bottom = (values[k] for k in item.ratio)
            values[item.key] = top / bottom if bottom else None
    return {item.key: values[item.key] for item in p.items}


def build_rows(p: Plan, summaries: dict, directory: Directory, *, department: str = "") -> list[Row]:
    """The report's rows from the summaries (population, grouping) → rows of repository.summarize:
    every court of the directory in the report's scope and every one with cases; for a basic
    court, its departments that handle cases (only `department`, for a division head) and every
    one with cases."""
    results = {k: {tuple(getattr(r, f"g{i}") for i in range(len(k[1]))): r for r in rows}
               for k, rows in summaries.items()}
    names = directory.names()
    label = lambda d, v: supervision.group_value(d, v, names)[2]  # noqa: E731
    detail = p.definition.groupings[0]
    seen = {g for (_, grouping), rows in results.items() if grouping == detail for g in rows}
    rows: list[Row] = []
    if p.definition.kind == K.REPORT_KIND_BASIC:
        departments = sorted((d for d in directory.departments.values() if d.court == p.court
                              and (d.name == department if department else d.kind not in NON_TRIAL_KINDS)),
                             key=lambda d: (KIND_ORDER.get(d.kind, len(KIND_ORDER)), d.name))
        listed = [(d.name,) for d in departments]
        for key in listed + sorted(seen - set(listed), key=lambda k: k[0] or "~"):
            rows.append(Row("detail", (label(D.DIMENSION_DEPARTMENT, key[0]),), key, _values(p, results, detail, key)))
    elif p.definition.kind == K.REPORT_KIND_INTERMEDIATE:
        courts = {(c,) for c in directory.courts if region_of(c) == p.court} | seen
        for key in sorted(courts, key=lambda k: k[0] or ""):
            rows.append(Row("detail", (label(D.DIMENSION_COURT, key[0]),), key, _values(p, results, detail, key)))
    else:
        courts = {(region_of(c), c) for c in directory.courts if c.startswith(p.court)
                  and (not p.region or region_of(c) == p.region)} | seen
        for region in sorted({r for r, _ in courts}, key=lambda r: r or ""):
            mine = sorted((k for k in courts if k[0] == region), key=lambda k: k[1] or "")
            region_label = label(D.DIMENSION_REGION, region)
            for key in mine:
                rows.append(Row("detail", (region_label, label(D.DIMENSION_COURT, key[1])), key,
                                _values(p, results, detail, key)))
            if len(mine) > 1:
                rows.append(Row("subtotal", (region_label, "小计"), (region,),
                                _values(p, results, p.definition.groupings[1], (region,))))
    total_labels = ("合计",) + ("",) * (len(p.definition.row_headers) - 1)
    rows.append(Row("total", total_labels, (), _values(p, results, (), ())))
    if len(rows) > MAX_ROWS:
        raise invalid_field("parent", f"报表有 {len(rows)} 行，超过上限 {MAX_ROWS} 行：请按片区分别导出")
    return rows
