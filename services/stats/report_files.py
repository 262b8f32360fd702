"""A work report (reports.py) as a file for people: XLSX — the title, the period and who made it
when, a two-row header whose groups (案件、节点、比率) are merged over their columns, regions merged
down their courts, subtotals and the total, notes; the query that produced every column on a
second sheet 「统计口径」 — and CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese),
the query below the table. Pure: a report in, bytes out. Text a user of the directory wrote
(names) never becomes a formula: the XLSX writes strings as strings, the CSV quotes what a
spreadsheet would take for one."""
from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass
from itertools import groupby

import xlsxwriter

from courtflow.stats.v1 import supervision_pb2 as pb

from services.stats import supervision
from services.stats.reports import DIMENSION_WORDS, POPULATIONS, K, Plan, Row

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
HEADER_ROWS = 3     # title, period, maker; then the two header rows
TOTAL = object()
ITEM_WIDTH = 10     # every figure's column alike; a longer header wraps
POPULATION_HEADERS = ("统计对象", "说明", "查询条件（SummarizeSupervision）")
COLUMN_HEADERS = ("列", "口径", "统计对象", "指标")


def maker(display_name: str, username: str) -> str:
    """制表人: the person's name, which the gateway signs into the caller from the org directory (the
    stats service keeps courts and departments, not people), with the username beside it. A caller
    with no person's name (a court system's or an operator tool's account) is named by its username,
    and the header says why, so that a reader does not take the account for a person."""
    if display_name:
        return f"{display_name}（{username}）"
    return f"{username}（该账号在组织机构中没有姓名）"


@dataclass(frozen=True)
class Report:
    plan: Plan
    court_name: str
    rows: list[Row]
    made_by: str            # 张三（president.440101）
    made_at: str            # 2026-04-02 10:00
    scope_words: str        # 本院、本部门（民事审判第一庭）、本片区、全省

    @property
    def title(self) -> str:
        return f"{self.court_name}{self.plan.definition.title}"

    @property
    def period_line(self) -> str:
        p = self.plan
        current = "（本期尚未结束，统计至今日）" if p.as_of < p.period.end else ""
        return f"统计期间：{p.period.words}（{p.period.start} 至 {p.period.end}）　统计日：{p.as_of}{current}"

    @property
    def maker_line(self) -> str:
        return f"制表人：{self.made_by}　制表时间：{self.made_at}　数据范围：{self.scope_words}"

    def notes(self) -> list[str]:
        out = ["收案数、结案数按收案日期、结案日期统计本期；其余各列统计期末（统计日）尚未结案的案件及其节点。"]
        if self.plan.definition.kind == K.REPORT_KIND_BASIC:
            out.append("按部门统计时，案件计入其节点所属的部门：节点分属几个部门的案件在各部门各计一次，"
                       "尚无节点（未立案）的案件只计入合计，故各部门之和可能与合计不同。")
        elif self.plan.definition.kind == K.REPORT_KIND_HIGH:
            out.append("片区为中级人民法院及其辖区的基层人民法院，高级人民法院自成一个片区；小计为片区合计。")
        out.append("各列的统计口径和查询条件见「统计口径」：在流程节点监督平台以相同条件查询，可逐项核对并下钻到案件和节点。")
        return [f"{'注：' if i == 1 else '　　'}{i}. {text}" for i, text in enumerate(out, start=1)]

    def file_name(self, suffix: str) -> str:
        return f"{self.court_name}工作报表-{self.plan.period.words}.{suffix}"

    def header_lines(self) -> list[tuple[str, str]]:
        p = self.plan
        return [("报表", self.title), ("报表类型", p.definition.words),
                ("统计期间", f"{p.period.words}（{p.period.start} 至 {p.period.end}）"), ("统计日", f"{p.as_of}"),
                ("片区", p.region or "全部"), ("制表人", self.made_by), ("制表时间", self.made_at),
                ("数据范围", self.scope_words),
                ("查询接口", "StatsService.SummarizeSupervision（HTTP：GET /v1/{parent}/supervision:summarize），"
                         "以下列统计对象的查询条件查询：明细行按分组维度分组，合计不分组")]

    def population_lines(self) -> list[tuple[str, str, str]]:
        """(population, what it is, the query SummarizeSupervision is asked) of each population."""
        p = self.plan
        groupings = "，".join(f"{'+'.join(DIMENSION_WORDS[d] for d in g)}（{word}）"
                             for g, word in zip(p.definition.groupings, ("明细", "小计"))) + "，合计不分组"
        out = []
        for key, q in p.queries.items():
            text = supervision.to_proto_query(q, as_of=p.as_of)
            query = "；".join(part for part in (
                f"parent=courts/{p.parent}", f"date_basis={pb.DateBasis.Name(q.basis).removeprefix('DATE_BASIS_')}",
                f"start_date={q.start}" if q.start else "", f"end_date={q.end}", f"as_of={p.as_of}",
                f"filter={text.filter}" if text.filter else "", f"group_by={groupings}") if part)
            out.append((POPULATIONS[key].label, POPULATIONS[key].words, query))
        return out

    def column_lines(self) -> list[tuple[str, str, str, str]]:
        """(column, definition, population, measure and the term that lists what it counts) of each column."""
        out = []
        for item in self.plan.items:
            if item.ratio:
                out.append((item.label, item.definition, "—", "由本表两列计算"))
                continue
            term = supervision.MEASURE_FILTERS[item.measure]
            out.append((item.label, item.definition, POPULATIONS[item.population].label,
                        item.measure + (f"（下钻：filter 加 {term}）" if term else "")))
        return out


def render(report: Report, *, as_csv: bool) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the report as CSV or XLSX."""
    if as_csv:
        return to_csv(report), CSV_MEDIA_TYPE, report.file_name("csv")
    return to_xlsx(report), XLSX_MEDIA_TYPE, report.file_name("xlsx")


def _inert(value):
    """Text a spreadsheet would take for a formula (=, +, -, @) is quoted."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def _cell(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    return value


def to_csv(report: Report) -> bytes:
    p, out = report.plan, io.StringIO()
    writer = csv.writer(out)
    line = lambda *cells: writer.writerow([_inert(c) for c in cells])  # noqa: E731
    width = len(p.definition.row_headers) + len(p.items)
    for text in (report.title, report.period_line, report.maker_line):
        line(text, *[""] * (width - 1))
    groups = []
    for group, items in groupby(p.items, key=lambda i: i.group):
        groups += [group] + [""] * (len(list(items)) - 1)
    line(*[""] * len(p.definition.row_headers), *groups)
    line(*p.definition.row_headers, *(i.label for i in p.items))
    for row in report.rows:
        line(*row.labels, *(_cell(row.values[i.key]) for i in p.items))
    line()
    for note in report.notes():
        line(note)
    line()
    line("统计口径")
    for key, value in report.header_lines():
        line(key, value)
    line()
    line(*POPULATION_HEADERS)
    for cells in report.population_lines():
        line(*cells)
    line()
    line(*COLUMN_HEADERS)
    for cells in report.column_lines():
        line(*cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def display_width(text: str) -> float:
    """How wide text shows in a spreadsheet, in character widths: a Chinese character is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.1 for ch in str(text))


def to_xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    f = _Formats(book)
    _report_sheet(book.add_worksheet("工作报表"), report, f)
    _query_sheet(book.add_worksheet("统计口径"), report, f)
    book.close()
    return out.getvalue()


class _Formats:
    def __init__(self, book) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        add = lambda **more: book.add_format({**base, **more})  # noqa: E731
        table = dict(border=1)
        self.title = add(bold=True, font_size=16, align="center")
        self.line = add(align="center")
        self.maker = add(align="right", font_color="#595959")
        self.header = add(bold=True, align="center", text_wrap=True, bg_color="#DDEBF7", **table)
        self.region = add(bold=True, align="center", text_wrap=True, **table)
        looks = {"detail": {}, "subtotal": dict(bold=True, bg_color="#F2F2F2"),
                 "total": dict(bold=True, bg_color="#E2EFDA")}
        self.by_kind = {k: dict(label=add(text_wrap=True, **({"indent": 1} if k == "detail" else {"align": "center"}),
                                          **table, **v),
                                number=add(num_format="#,##0", align="center", **table, **v),
                                ratio=add(num_format="0.0%", align="center", **table, **v),
                                missing=add(align="center", **table, **v)) for k, v in looks.items()}
        self.note = add(font_color="#404040")
        self.key = add(bold=True, text_wrap=True, valign="top", border=1, bg_color="#F2F2F2")
        self.text = add(text_wrap=True, valign="top", border=1)


def _merge(sheet, first_row, first_col, last_row, last_col, value, fmt) -> None:
    if (first_row, first_col) == (last_row, last_col):
        sheet.write_string(first_row, first_col, value, fmt)
    else:
        sheet.merge_range(first_row, first_col, last_row, last_col, value, fmt)


def _report_sheet(sheet, report: Report, f: _Formats) -> None:
    p = report.plan
    labels, items = len(p.definition.row_headers), list(p.items)
    last = labels + len(items) - 1
    _merge(sheet, 0, 0, 0, last, report.title, f.title)
    sheet.set_row(0, 28)
    _merge(sheet, 1, 0, 1, last, report.period_line, f.line)
    _merge(sheet, 2, 0, 2, last, report.maker_line, f.maker)
    top = HEADER_ROWS
    for col, header in enumerate(p.definition.row_headers):
        _merge(sheet, top, col, top + 1, col, header, f.header)
    col = labels
    for group, members in groupby(items, key=lambda i: i.group):
        span = len(list(members))
        _merge(sheet, top, col, top, col + span - 1, group, f.header)
        col += span
    for i, item in enumerate(items):
        sheet.write_string(top + 1, labels + i, item.label, f.header)
    first = top + 2
    for r, row in enumerate(report.rows):
        fmt = f.by_kind[row.kind]
        for c, text in enumerate(row.labels):
            if not (labels > 1 and c == 0 and row.kind != "total"):
                sheet.write_string(first + r, c, text, fmt["label"])
        for c, item in enumerate(items, start=labels):
            value = row.values[item.key]
            if value is None:
                sheet.write_string(first + r, c, "—", fmt["missing"])
            else:
                sheet.write_number(first + r, c, value, fmt["ratio" if item.ratio else "number"])
    if labels > 1:
        # Each region's name down its rows; the total's label across the label columns.
        r = first
        for region, rows in groupby(report.rows, key=lambda row: TOTAL if row.kind == "total" else row.group[0]):
            rows = list(rows)
            if region is TOTAL:
                _merge(sheet, r, 0, r, labels - 1, rows[0].labels[0], f.by_kind["total"]["label"])
            else:
                _merge(sheet, r, 0, r + len(rows) - 1, 0, rows[0].labels[0], f.region)
            r += len(rows)
    widths = [min(max([display_width(h) for h in p.definition.row_headers]
                      + [display_width(row.labels[c]) for row in report.rows if row.kind != "total"]) + 3, 36)
              for c in range(labels)]
    widths += [ITEM_WIDTH] * len(items)
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)
    sheet.set_row(top + 1, 13.5 * max(math.ceil(display_width(i.label) / (ITEM_WIDTH - 1)) for i in items) + 4)
    row = first + len(report.rows) + 1
    for note in report.notes():     # one line each, running on to the right as far as it needs
        sheet.write_string(row, 0, note, f.note)
        row += 1
    sheet.freeze_panes(first, labels)
    sheet.set_landscape()
    sheet.set_paper(9)              # A4
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.repeat_rows(top, top + 1)
    sheet.hide_gridlines(2)


def _query_sheet(sheet, report: Report, f: _Formats) -> None:
    widths = (14, 44, 12, 64)
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)

    def line(row: int, cells: list[tuple[int, int, str]], fmt) -> None:
        """Cells (first column, last column, text) of one row, its height fitting the wrapped text."""
        for first, last, text in cells:
            _merge(sheet, row, first, row, last, text, fmt(first))
        lines = max(math.ceil(display_width(t) / sum(widths[a:b + 1])) for a, b, t in cells)
        sheet.set_row(row, 13.5 * lines + 3)

    row = 0
    for key, value in report.header_lines():
        line(row, [(0, 0, key), (1, 3, value)], lambda c: f.key if c == 0 else f.text)
        row += 1
    row += 1
    line(row, [(0, 0, POPULATION_HEADERS[0]), (1, 1, POPULATION_HEADERS[1]), (2, 3, POPULATION_HEADERS[2])],
         lambda c: f.header)
    for label, words, query in report.population_lines():
        row += 1
        line(row, [(0, 0, label), (1, 1, words), (2, 3, query)], lambda c: f.key if c == 0 else f.text)
    row += 2
    line(row, [(c, c, h) for c, h in enumerate(COLUMN_HEADERS)], lambda c: f.header)
    for cells in report.column_lines():
        row += 1
        line(row, [(c, c, t) for c, t in enumerate(cells)], lambda c: f.key if c == 0 else f.text)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.hide_gridlines(2)
