"""P7 work reports against a real PostgreSQL (services/stats: reports.py, directory.py): the org
directory's courts and departments projected from the gateway's events name the rows and the
summary's groups; and every number of a report — as its XLSX file shows it — is what
SummarizeSupervision answers with the query the report's query sheet gives, for a high court's,
an intermediate court's and a basic court's report, a division head's, a past and a current
period. Reuses test_supervision.py's small province and its helpers."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.gateway.v1.gateway_events_pb2 import CourtChanged, DepartmentChanged
from courtflow.gateway.v1.gateway_pb2 import Court, CourtLevel, Department
from courtflow.stats.v1 import report_pb2, supervision_pb2 as pb

from services.common.errors import PermissionDenied
from services.stats import consumers, convert, reports, service
from services.stats.models import CubeSnapshotCaseRow, CubeSnapshotRow
from services.stats.report_files import to_xlsx
from test_supervision import (CIVIL1, CIVIL2, COURT, HEAD, JUDGE_CALLER, PROVINCE, REGION, Bus, apply, at,
                              envelope, factory, history)  # noqa: F401  (factory: a fixture)
from workbook import read_workbook

pytestmark = pytest.mark.timeout(180)
D = pb.Dimension
K = report_pb2.ReportKind
H, I, B = CourtLevel.COURT_LEVEL_HIGH, CourtLevel.COURT_LEVEL_INTERMEDIATE, CourtLevel.COURT_LEVEL_BASIC
COURTS = [("44", "示范省高级人民法院", H, ""), ("4401", "东江市中级人民法院", I, "44"),
          ("440101", "东江市云岫区人民法院", B, "4401"), ("440102", "东江市澄川区人民法院", B, "4401"),
          ("440103", "东江市望澜县人民法院", B, "4401"), ("4402", "西岭市中级人民法院", I, "44"),
          ("440201", "西岭市云岫区人民法院", B, "4402")]
DEPARTMENTS = [(CIVIL1, "民事审判第一庭", "civil"), (CIVIL2, "民事审判第二庭", "civil"),
               ("courts/440101/departments/440101-office", "办公室", "office"),
               ("courts/440102/departments/440102-civil1", "民事审判第一庭", "civil")]


def directory_events(when: datetime) -> list:
    courts = [envelope(CourtChanged(court=Court(name=f"courts/{c}", display_name=n, level=level,
                                                parent=f"courts/{p}" if p else "")), when)
              for c, n, level, p in COURTS]
    departments = [envelope(DepartmentChanged(department=Department(name=d, display_name=n, kind=k)), when)
                   for d, n, k in DEPARTMENTS]
    return courts + departments


@pytest.fixture
def province(factory):  # noqa: F811  (test_supervision's fixture)
    bus = Bus([])
    history(bus)
    apply(factory, bus.events)
    with factory() as uow:
        # A rename that happened earlier, arriving after the directory: it changes nothing.
        late = envelope(DepartmentChanged(department=Department(name=CIVIL1, display_name="民一庭（旧）",
                                                                kind="civil")), at(1, 2))
        consumers.on_directory_changes(uow, directory_events(at(6, 1)) + directory_events(at(6, 1)) + [late])
        uow.commit()
    with factory() as uow:
        consumers.on_directory_changes(uow, [late])
        uow.commit()
    return factory


def summary_cells(uow_factory, who, parent: str, query: pb.SupervisionQuery, grouping: tuple):
    answer = convert.summary_to_proto(service.summarize_supervision(uow_factory, caller=who, court=parent, query=query,
                                                                    group_by=list(grouping)))
    cells = {tuple(g.value for g in cell.group): cell for cell in answer.cells}
    return answer, cells


def value_of(measures, name: str) -> int:
    return getattr(measures, name.split(".")[1])


@pytest.mark.parametrize("who, court, period, kind", [
    (PROVINCE, "44", "2026-09", K.REPORT_KIND_HIGH), (PROVINCE, "44", "2026-Q4", K.REPORT_KIND_HIGH),
    (REGION, "4401", "2026-09", K.REPORT_KIND_INTERMEDIATE), (COURT, "440101", "2026-09", K.REPORT_KIND_BASIC),
    (COURT, "440101", "2026-10", K.REPORT_KIND_BASIC), (HEAD, "440101", "2026", K.REPORT_KIND_BASIC),
    (PROVINCE, "440101", "2026-Q3", K.REPORT_KIND_BASIC)])
def test_every_number_of_a_report_is_the_summarys(province, who, court, period, kind):
    report = service.export_supervision_report(province, caller=who, court=court, period=period)
    p = report.plan
    assert p.definition.kind == kind
    sheet = read_workbook(to_xlsx(report))["工作报表"]
    first = 6                                    # title, period, maker, two header rows
    labels = len(p.definition.row_headers)
    shown = {n: sheet.row(first + n)[labels:] for n in range(len(report.rows))}
    checked = 0
    grouping_of = {"detail": p.definition.groupings[0], "subtotal": p.definition.groupings[-1], "total": ()}
    for key, query, grouping in reports.summary_requests(p):
        answer, cells = summary_cells(province, who, p.parent, query, grouping)
        for n, row in enumerate(report.rows):
            if grouping_of[row.kind] != grouping:
                continue
            for c, item in enumerate(p.items):
                if item.population != key:
                    continue
                kind = "cases" if item.measure.startswith("cases") else "nodes"
                if not grouping:
                    expected = value_of(getattr(answer, f"{kind[:-1]}_totals"), item.measure)
                else:
                    cell = cells.get(tuple("" if v is None else str(v) for v in row.group))
                    expected = 0 if cell is None else value_of(getattr(cell, kind), item.measure)
                assert shown[n][c] == expected, (row.labels, item.label, grouping)
                checked += 1
        # Nothing the summary counts is missing from the report.
        listed = {tuple("" if v is None else str(v) for v in r.group) for r in report.rows
                  if grouping_of[r.kind] == grouping}
        assert set(cells) <= listed, (grouping, set(cells) - listed)
    assert checked >= len(report.rows) * 10
    # The ratios are their two columns'.
    for n, row in enumerate(report.rows):
        values = dict(zip([i.key for i in p.items], shown[n]))
        assert values["closed_to_received"] == (pytest.approx(values["closed"] / values["received"])
                                                if values["received"] else "—")


def test_a_past_months_report_is_counted_from_its_month_ends_snapshot(province):
    """A report of a past month asks its cases as of the month end: once that month end's snapshot
    is kept (cube.py), the report is counted from it — with the same figures as from the read
    model before — as SummarizeSupervision is: every row, a basic court's departments too (the
    month end's snapshot keeps the month by department, migration 0014). It used to read the read
    model every time (3.5 s for a basic court's month at a million cases)."""
    asked = [(PROVINCE, "44", "2026-09"), (REGION, "4401", "2026-09"), (COURT, "440101", "2026-09"),
             (HEAD, "440101", "2026-09")]
    from_read_model = [service.export_supervision_report(province, caller=who, court=court, period=period).rows
                       for who, court, period in asked]
    assert date(2026, 9, 30) in service.take_snapshots(province, settle=timedelta(hours=2), months=2)
    assert [service.export_supervision_report(province, caller=who, court=court, period=period).rows
            for who, court, period in asked] == from_read_model
    # The snapshot is what the report counts (a division head's is not in the cube: read model).
    with province() as uow:
        uow.session.execute(CubeSnapshotCaseRow.__table__.update()
                            .where(CubeSnapshotCaseRow.day == date(2026, 9, 30))
                            .values(cases=CubeSnapshotCaseRow.cases * 10))
        uow.commit()
    counted = [[(row.values["received"], row.values["pending"]) for row in service.export_supervision_report(
        province, caller=who, court=court, period=period).rows] for who, court, period in asked]
    assert counted == [[(10 * row.values["received"], 10 * row.values["pending"]) for row in rows]
                       for rows in from_read_model[:3]] + [
        [(row.values["received"], row.values["pending"]) for row in from_read_model[3]]]
    department = from_read_model[2][0].values   # a department's row of the basic court's report
    assert department["received"] > 0 and department["pending"] > 0
    # A snapshot taken before migration 0014 says it holds rollups 1–7: the basic court's rows by
    # department are then counted from the read model, its total still from the snapshot.
    with province() as uow:
        uow.session.execute(CubeSnapshotRow.__table__.update().where(CubeSnapshotRow.day == date(2026, 9, 30))
                            .values(rollups=[1, 2, 3, 4, 5, 6, 7]))
        uow.commit()
    older = service.export_supervision_report(province, caller=COURT, court="440101", period="2026-09").rows
    assert [row.values["received"] for row in older] == [
        *[row.values["received"] for row in from_read_model[2][:-1]], 10 * from_read_model[2][-1].values["received"]]


def test_reports_and_summaries_name_courts_and_departments(province):
    high = service.export_supervision_report(province, caller=PROVINCE, court="44", period="2026-09")
    assert [r.labels for r in high.rows][:3] == [("示范省高级人民法院", "示范省高级人民法院"),
                                                ("东江市中级人民法院", "东江市中级人民法院"),
                                                ("东江市中级人民法院", "东江市云岫区人民法院")]
    assert ("东江市中级人民法院", "东江市望澜县人民法院") in [r.labels for r in high.rows]   # no cases: zeros
    assert high.court_name == "示范省高级人民法院" and high.rows[-1].values["received"] == 4
    basic = service.export_supervision_report(province, caller=COURT, court="440101", period="2026-09")
    assert [r.labels[0] for r in basic.rows] == ["民事审判第一庭", "民事审判第二庭", "合计"]
    assert basic.file_name("xlsx") == "东江市云岫区人民法院工作报表-2026年9月.xlsx"
    head = service.export_supervision_report(province, caller=HEAD, court="440101", period="2026-09")
    assert [r.labels[0] for r in head.rows] == ["民事审判第一庭", "合计"] and head.scope_words == "本部门（民事审判第一庭）"
    answer, _ = summary_cells(province, PROVINCE, "-", pb.SupervisionQuery(), (D.DIMENSION_REGION, D.DIMENSION_COURT))
    assert {(c.group[0].label, c.group[1].label) for c in answer.cells} == {
        ("东江市中级人民法院", "东江市云岫区人民法院"), ("东江市中级人民法院", "东江市澄川区人民法院"),
        ("西岭市中级人民法院", "西岭市云岫区人民法院")}
    answer, _ = summary_cells(province, COURT, "440101", pb.SupervisionQuery(), (D.DIMENSION_DEPARTMENT,))
    assert {c.group[0].label for c in answer.cells} == {"民事审判第一庭", "民事审判第二庭"}
    assert {c.group[0].value for c in answer.cells} == {CIVIL1, CIVIL2}


def test_reports_keep_to_the_callers_scope(province):
    for who, court in ((JUDGE_CALLER, "440101"), (COURT, "440102"), (COURT, "4401"), (REGION, "44")):
        with pytest.raises(PermissionDenied) as refused:
            service.export_supervision_report(province, caller=who, court=court, period="2026-09")
        assert refused.value.reason == "OUT_OF_SCOPE"


def test_the_maker_is_the_callers_name_and_an_account_without_one_says_so(province):
    """制表人 is the name the gateway signed into the caller; an account with none (a court system's,
    an operator's tool) is named by its username with the reason, not passed off as a person."""
    named = Caller()
    named.CopyFrom(COURT)
    named.display_name = "王院长"
    report = service.export_supervision_report(province, caller=named, court="440101", period="2026-09")
    assert report.maker_line.startswith("制表人：王院长（president.440101）　")
    nameless = service.export_supervision_report(province, caller=COURT, court="440101", period="2026-09")
    assert nameless.maker_line.startswith("制表人：president.440101（该账号在组织机构中没有姓名）　")
    sheet = read_workbook(to_xlsx(nameless))["工作报表"]
    assert sheet.cells["A3"] == nameless.maker_line
