"""P7 work reports (services/stats/reports.py, report_files.py) on small hand-made tables: periods,
the report each court gets, the rows beneath each region and the totals adding up, the merged
headers of the workbook and the query it carries, CSV; and court and department names as labels."""
from __future__ import annotations

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest

from courtflow.gateway.v1.gateway_pb2 import CourtLevel
from courtflow.stats.v1 import report_pb2, supervision_pb2 as pb

from services.common.errors import InvalidArgument
from services.stats import reports, supervision
from services.stats.directory import CourtInfo, DepartmentInfo, Directory
from services.stats.report_files import Report, to_csv, to_xlsx
from workbook import read_workbook

K, D = report_pb2.ReportKind, pb.Dimension
TODAY = date(2026, 4, 2)
MARCH = reports.parse_period("2026-03", today=TODAY)
H, I, B = CourtLevel.COURT_LEVEL_HIGH, CourtLevel.COURT_LEVEL_INTERMEDIATE, CourtLevel.COURT_LEVEL_BASIC
DIRECTORY = Directory(
    courts={c.court: c for c in (
        CourtInfo("44", "示范省高级人民法院", H, ""), CourtInfo("4401", "东江市中级人民法院", I, "44"),
        CourtInfo("440101", "东江市云岫区人民法院", B, "4401"), CourtInfo("440102", "东江市澄川区人民法院", B, "4401"),
        CourtInfo("440103", "东江市望澜县人民法院", B, "4401"),     # no cases: a row of zeros
        CourtInfo("4402", "西岭市中级人民法院", I, "44"), CourtInfo("440201", "西岭市云岫区人民法院", B, "4402"))},
    departments={d.name: d for d in (
        DepartmentInfo("courts/440101/departments/440101-civil1", "440101", "民事审判第一庭", "civil"),
        DepartmentInfo("courts/440101/departments/440101-criminal", "440101", "刑事审判庭", "criminal"),
        DepartmentInfo("courts/440101/departments/440101-office", "440101", "办公室", "office"))})
CIVIL1, CRIMINAL = "courts/440101/departments/440101-civil1", "courts/440101/departments/440101-criminal"


def case(court: str, received: date, closed: date | None = None, *, department: str = CIVIL1, warning: int = 0,
         overdue: int = 0, locked: int = 0, unlocked: int = 0, without_warning: int = 0) -> dict:
    return dict(court=court, region=court[:4] if len(court) >= 4 else court, department=department,
                received=received, closed=closed, warning=warning, overdue=overdue, locked=locked, unlocked=unlocked,
                without_warning=without_warning)


CASES = [
    case("44", date(2026, 3, 3), overdue=1),
    case("4401", date(2026, 2, 10), date(2026, 3, 20)),
    case("4401", date(2026, 3, 5), warning=2),
    case("440101", date(2026, 3, 1), overdue=2, without_warning=1, locked=1),
    case("440101", date(2026, 1, 9), date(2026, 3, 31), overdue=1),
    case("440101", date(2025, 12, 1), warning=1, unlocked=1, department=CRIMINAL),
    case("440102", date(2026, 3, 30), date(2026, 3, 31)),
    case("440201", date(2026, 3, 2), locked=1, overdue=1),
    case("440201", date(2026, 4, 1)),       # after the period
]


def in_population(c: dict, key: str, p: reports.Plan) -> bool:
    start, end = p.period.start, p.period.end
    if key == "received":
        return start <= c["received"] <= end
    if key == "closed":
        return c["closed"] is not None and start <= c["closed"] <= end
    return c["received"] <= end and (c["closed"] is None or c["closed"] > p.as_of)


def fake_summaries(p: reports.Plan, cases: list[dict]) -> dict:
    """What repository.summarize answers, computed in Python over the cases above (one node
    department per case, each case's node counts as given)."""
    column = {D.DIMENSION_REGION: "region", D.DIMENSION_COURT: "court", D.DIMENSION_DEPARTMENT: "department"}
    out = {}
    for key, q in p.queries.items():
        chosen = [c for c in cases if in_population(c, key, p) and p.parent in ("-", c["court"]) and all(
            c[t] == v for t, v in q.terms.items() if t in column.values())]
        for grouping in (*p.definition.groupings, ()):
            groups: dict = {}
            for c in chosen:
                groups.setdefault(tuple(c[column[d]] for d in grouping), []).append(c)
            if not grouping:
                groups.setdefault((), [])
            rows = []
            for values, members in sorted(groups.items()):
                n = lambda f: sum(c[f] for c in members)  # noqa: E731
                k = lambda f: sum(1 for c in members if c[f])  # noqa: E731
                rows.append(SimpleNamespace(
                    **{f"g{i}": v for i, v in enumerate(values)}, cases_total=len(members),
                    cases_abnormal=sum(1 for c in members if c["warning"] or c["overdue"] or c["locked"]),
                    cases_warning=k("warning"), cases_overdue=k("overdue"), cases_locked=k("locked"),
                    cases_unlocked=k("unlocked"), cases_overdue_without_warning=k("without_warning"),
                    cases_closed=0, nodes_total=0, nodes_open=0, nodes_normal=0, nodes_warning=n("warning"),
                    nodes_overdue=n("overdue"), nodes_overdue_without_warning=n("without_warning"),
                    nodes_locked=n("locked"), nodes_unlocked=n("unlocked")))
            out[key, grouping] = rows
    return out


def report_of(court: str, *, department: str = "", region: str = "", items=()) -> Report:
    level = DIRECTORY.courts[court].level
    kind = reports.kind_of(court, level, department_scope=bool(department))
    p = reports.plan(court=court, kind=kind, period=MARCH, region=region, items=items, today=TODAY)
    seen = [c for c in CASES if c["department"] == department] if department else CASES   # the caller's scope
    rows = reports.build_rows(p, fake_summaries(p, seen), DIRECTORY, department=department)
    return Report(p, DIRECTORY.courts[court].display_name, rows, made_by="王院长（president.44）",
                  made_at="2026-04-02 10:00", scope_words="全省法院")


COUNTS = [k for k, i in reports.ITEMS.items() if not i.ratio]


def test_periods():
    assert (MARCH.start, MARCH.end, MARCH.words) == (date(2026, 3, 1), date(2026, 3, 31), "2026年3月")
    q = reports.parse_period("2025-Q4", today=TODAY)
    assert (q.start, q.end, q.words) == (date(2025, 10, 1), date(2025, 12, 31), "2025年第四季度")
    y = reports.parse_period("2026", today=TODAY)
    assert (y.start, y.end, y.words) == (date(2026, 1, 1), date(2026, 12, 31), "2026年")
    assert reports.parse_period("2024-02", today=TODAY).end == date(2024, 2, 29)
    for bad in ("2026-13", "2026-Q5", "26-03", "", "2026-05"):
        with pytest.raises(InvalidArgument) as refused:
            reports.parse_period(bad, today=TODAY)
        assert refused.value.violations[0].field == "period"


def test_each_court_gets_the_report_of_its_level():
    assert reports.kind_of("44", H, department_scope=False) == K.REPORT_KIND_HIGH
    assert reports.kind_of("4401", I, department_scope=False) == K.REPORT_KIND_INTERMEDIATE
    assert reports.kind_of("440101", B, department_scope=False) == K.REPORT_KIND_BASIC
    assert reports.kind_of("4401", None, department_scope=False) == K.REPORT_KIND_INTERMEDIATE  # by its id
    assert reports.kind_of("4401", I, department_scope=True) == K.REPORT_KIND_BASIC   # a division head's


def test_the_plan_asks_one_query_per_population_over_the_period():
    p = reports.plan(court="4401", kind=K.REPORT_KIND_INTERMEDIATE, period=MARCH, region="", items=(), today=TODAY)
    assert p.parent == "-" and p.as_of == date(2026, 3, 31)
    received, closed, pending = (p.queries[k] for k in ("received", "closed", "pending"))
    assert (received.basis, received.start, received.end) == (pb.DATE_BASIS_RECEIVE, MARCH.start, MARCH.end)
    assert (closed.basis, closed.start) == (pb.DATE_BASIS_CLOSE, MARCH.start)
    assert (pending.basis, pending.start, pending.terms) == (pb.DATE_BASIS_RECEIVE, None,
                                                             {"closed": False, "region": "4401"})
    assert received.as_of == date(2026, 3, 31)       # a past period: as it stood on its last day
    april = reports.parse_period("2026-04", today=TODAY)
    current = reports.plan(court="440101", kind=K.REPORT_KIND_BASIC, period=april, region="", items=["overdue_nodes"],
                           today=TODAY)
    assert current.parent == "440101" and list(current.queries) == ["pending"]
    assert current.queries["pending"].as_of is None        # the current period: as it stands today
    # A ratio asks for the populations of both its columns, and shows only itself.
    ratio = reports.plan(court="44", kind=K.REPORT_KIND_HIGH, period=MARCH, region="4402",
                         items=["closed_to_received"], today=TODAY)
    assert [i.key for i in ratio.items] == ["closed_to_received"] and set(ratio.queries) == {"received", "closed"}
    assert ratio.queries["received"].terms == {"region": "4402"}
    requests = reports.summary_requests(ratio)
    assert [(k, g) for k, _, g in requests] == [
        ("received", (D.DIMENSION_REGION, D.DIMENSION_COURT)), ("received", (D.DIMENSION_REGION,)), ("received", ()),
        ("closed", (D.DIMENSION_REGION, D.DIMENSION_COURT)), ("closed", (D.DIMENSION_REGION,)), ("closed", ())]
    assert requests[0][1].filter == 'region = "4402"' and requests[0][1].date_basis == pb.DATE_BASIS_RECEIVE


@pytest.mark.parametrize("court, region, items, field", [
    ("44", "4501", (), "region"), ("44", "440101", (), "region"), ("4401", "4401", (), "region"),
    ("44", "", ("received", "nothing"), "items[1]")])
def test_bad_plans_are_refused_naming_the_field(court, region, items, field):
    kind = reports.kind_of(court, None, department_scope=False)
    with pytest.raises(InvalidArgument) as refused:
        reports.plan(court=court, kind=kind, period=MARCH, region=region, items=items, today=TODAY)
    assert refused.value.violations[0].field == field


def test_a_high_courts_report_lists_each_region_with_its_courts_and_adds_up():
    report = report_of("44")
    labels = [r.labels for r in report.rows]
    assert labels == [
        ("示范省高级人民法院", "示范省高级人民法院"),
        ("东江市中级人民法院", "东江市中级人民法院"), ("东江市中级人民法院", "东江市云岫区人民法院"),
        ("东江市中级人民法院", "东江市澄川区人民法院"), ("东江市中级人民法院", "东江市望澜县人民法院"),
        ("东江市中级人民法院", "小计"),
        ("西岭市中级人民法院", "西岭市中级人民法院"), ("西岭市中级人民法院", "西岭市云岫区人民法院"),
        ("西岭市中级人民法院", "小计"), ("合计", "")]
    rows = report.rows
    by_region: dict = {}
    for r in rows:
        if r.kind == "detail":
            by_region.setdefault(r.group[0], []).append(r)
    for sub in (r for r in rows if r.kind == "subtotal"):
        for k in COUNTS:
            assert sub.values[k] == sum(r.values[k] for r in by_region[sub.group[0]]), (sub.group, k)
    total = rows[-1]
    for k in COUNTS:
        assert total.values[k] == sum(r.values[k] for r in rows if r.kind == "detail"), k
    assert (total.values["received"], total.values["closed"], total.values["pending"]) == (5, 3, 5)
    assert rows[4].values == {**{k: 0 for k in COUNTS}, "closed_to_received": None, "abnormal_rate": None}
    assert total.values["closed_to_received"] == pytest.approx(3 / 5)
    assert total.values["abnormal_rate"] == pytest.approx(5 / 5)
    one = report_of("44", region="4402")
    assert [r.labels[1] for r in one.rows] == ["西岭市中级人民法院", "西岭市云岫区人民法院", "小计", ""]


def test_an_intermediate_courts_report_lists_itself_and_its_basic_courts():
    report = report_of("4401")
    assert [r.labels[0] for r in report.rows] == ["东江市中级人民法院", "东江市云岫区人民法院", "东江市澄川区人民法院",
                                                  "东江市望澜县人民法院", "合计"]
    total = report.rows[-1]
    for k in COUNTS:
        assert total.values[k] == sum(r.values[k] for r in report.rows[:-1]), k
    assert report.rows[1].values["overdue_nodes"] == 2 and report.rows[1].values["locked_cases"] == 1


def test_a_basic_courts_report_lists_its_departments_and_a_division_head_only_theirs():
    report = report_of("440101")
    assert [r.labels[0] for r in report.rows] == ["民事审判第一庭", "刑事审判庭", "合计"]   # not the office
    assert report.rows[1].values["unlocked_cases"] == 1 and report.rows[1].values["warning_nodes"] == 1
    head = report_of("440101", department=CIVIL1)
    assert [r.labels[0] for r in head.rows] == ["民事审判第一庭", "合计"]


def test_the_workbook_has_merged_chinese_headers_totals_and_its_query():
    report = report_of("44")
    book = read_workbook(to_xlsx(report))
    assert list(book) == ["工作报表", "统计口径"]
    sheet = book["工作报表"]
    assert sheet.cells["A1"] == "示范省高级人民法院全省法院流程节点监督工作报表"
    assert "2026年3月（2026-03-01 至 2026-03-31）" in sheet.cells["A2"] and "王院长（president.44）" in sheet.cells["A3"]
    # Title, period and maker across the table; 片区 and 法院 down both header rows; the groups over their columns.
    assert {"A1:N1", "A2:N2", "A3:N3", "A4:A5", "B4:B5", "C4:H4", "I4:L4", "M4:N4"} <= set(sheet.merged)
    assert [sheet.cells[c] for c in ("C4", "I4", "M4")] == ["案件（件）", "节点（个）", "比率"]
    assert sheet.row(5)[2:] == [reports.ITEMS[k].label for k in reports.ITEMS]
    # Regions down their courts and subtotal; the total across the label columns.
    assert {"A7:A11", "A12:A14", "A15:B15"} <= set(sheet.merged) and sheet.cells["A6"] == "示范省高级人民法院"
    assert sheet.cells["A7"] == "东江市中级人民法院" and sheet.cells["B11"] == "小计" and sheet.cells["A15"] == "合计"
    for n, row in enumerate(report.rows, start=6):
        values = sheet.row(n)[2:]
        for item, value in zip(report.plan.items, values):
            expected = row.values[item.key]
            assert value == ("—" if expected is None else pytest.approx(expected)), (n, item.key)
    assert any(str(v).startswith("注：") for v in sheet.cells.values())
    query = book["统计口径"]
    text = " ".join(str(v) for v in query.cells.values())
    assert "date_basis=RECEIVE；start_date=2026-03-01；end_date=2026-03-31；as_of=2026-03-31" in text
    assert "filter=closed = false" in text and "cases.abnormal" in text and "王院长（president.44）" in text


def test_csv_carries_the_same_rows_and_quotes_formulas():
    directory = Directory(courts={**DIRECTORY.courts, "440102": CourtInfo("440102", "=HYPERLINK(\"x\")", B, "4401")},
                          departments=DIRECTORY.departments)
    p = reports.plan(court="4401", kind=K.REPORT_KIND_INTERMEDIATE, period=MARCH, region="", items=(), today=TODAY)
    rows = reports.build_rows(p, fake_summaries(p, CASES), directory)
    data = to_csv(Report(p, "东江市中级人民法院", rows, made_by="x", made_at="2026-04-02 10:00", scope_words="本片区"))
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0][0] == "东江市中级人民法院辖区法院流程节点监督工作报表"
    assert lines[4][:4] == ["法院", "收案数", "结案数", "未结案数"]
    assert lines[3][1] == "案件（件）"
    table = {line[0]: line[1:] for line in lines[5:10]}
    assert "'=HYPERLINK(\"x\")" in table and table["合计"][:3] == ["3", "3", "3"]
    assert any(line[:1] == ["统计口径"] for line in lines)


def test_group_labels_are_the_directorys_names_falling_back_to_the_id():
    names = DIRECTORY.names()
    assert supervision.group_value(D.DIMENSION_COURT, "440101", names)[1:] == ("440101", "东江市云岫区人民法院")
    assert supervision.group_value(D.DIMENSION_REGION, "4401", names)[2] == "东江市中级人民法院"
    assert supervision.group_value(D.DIMENSION_DEPARTMENT, CIVIL1, names)[1:] == (CIVIL1, "民事审判第一庭")
    assert supervision.group_value(D.DIMENSION_COURT, "449999", names)[2] == "449999"
    assert supervision.group_value(D.DIMENSION_COURT, "440101")[2] == "440101"
    assert supervision.group_value(D.DIMENSION_HANDLER, "440101", names)[2] == "440101"   # not a court
