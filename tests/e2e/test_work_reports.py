"""P7 work reports through the gateway: a basic court's president downloads their court's report
of last month over HTTP-JSON as a portal does, and the XLSX opens — the court and its departments
by name (the org directory's CourtChanged and DepartmentChanged events reached the stats service),
Chinese headers merged over their columns, and every number the one SummarizeSupervision gives
with the query the file names. A division head gets their department's; a judge, and a president
asking of another court, are refused."""
from __future__ import annotations

import base64
import csv
import io
from datetime import date, datetime

import pytest
from courtflow.gateway.v1 import org_service_pb2 as orgs
from courtflow.stats.v1 import report_pb2, stats_service_pb2 as ss

from services.common.clock import LEGAL_TZ
from services.stats import reports
from support import DIVISION_HEAD, JUDGE, PRESIDENT, eventually
from workbook import read_workbook

from .conftest import file_case, org_service

pytestmark = pytest.mark.timeout(300)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
LATER = datetime(2026, 4, 2, 10, tzinfo=LEGAL_TZ)
ROUTE = "/v1/courts/{court}/supervision:exportReport"


@pytest.fixture(scope="module")
def cf(start_system):
    cf = start_system("reports", clock=START)
    file_case(cf, "reports", 1, filed=date(2026, 1, 5))                       # pending since January
    file_case(cf, "reports", 2, filed=date(2026, 3, 2))
    file_case(cf, "reports", 3, filed=date(2026, 3, 2), handler="judge.440101.civil2.1")
    file_case(cf, "reports", 4, filed=date(2026, 3, 2), handler="judge.440102.civil1.1")   # another court
    cf.set_clock(LATER)
    return cf


def export(cf, user: str, court: str = "440101", period: str = "2026-03", **params):
    return cf.http("GET", ROUTE.format(court=court), user=user, query=[("period", period), *params.items()])


def summary_figures(cf, user: str, court: str) -> dict:
    """What SummarizeSupervision answers (over gRPC) for each of the report's queries: the total of
    each column, and each department's."""
    p = reports.plan(court=court, kind=report_pb2.REPORT_KIND_BASIC, period=reports.parse_period(
        "2026-03", today=LATER.date()), region="", items=(), today=LATER.date())
    answers = {(key, grouping): cf.stats.SummarizeSupervision(ss.SummarizeSupervisionRequest(
        parent=f"courts/{p.parent}", query=query, group_by=list(grouping)), metadata=cf.md(user))
        for key, query, grouping in reports.summary_requests(p)}
    out = {}
    for item in p.items:
        if item.ratio:
            continue
        kind, name = item.measure.split(".")
        for (key, grouping), answer in answers.items():
            if key != item.population:
                continue
            if not grouping:
                out["合计", item.label] = getattr(getattr(answer, f"{kind[:-1]}_totals"), name)
                continue
            for cell in answer.cells:
                out[cell.group[0].label, item.label] = getattr(getattr(cell, kind), name)
    return out


def table(sheet) -> dict:
    """(row label, column header) → number, from the report sheet."""
    headers = sheet.row(5)
    out = {}
    for row in sheet.rows()[5:]:
        if not row or not row[0] or str(row[0]).startswith(("注", "　")):
            continue
        for header, value in zip(headers[1:], row[1:]):
            out[row[0], header] = value
    return out


def test_a_presidents_month_opens_as_a_workbook_with_the_summarys_numbers(cf):
    court_name = next(c.display_name for c in org_service(cf).ListCourts(
        orgs.ListCourtsRequest(page_size=1000), metadata=cf.md(PRESIDENT)).courts if c.name == "courts/440101")

    def agreed():
        """The report, once it names the court (the directory's events have reached the stats
        service) and agrees with the summaries asked right after it (node events that the moved
        clock caused may still be arriving)."""
        reply = export(cf, PRESIDENT)
        assert reply.status == 200, reply.body[:500]
        if court_name not in reply.json()["fileName"]:
            return None
        figures = table(read_workbook(base64.b64decode(reply.json()["content"]))["工作报表"])
        expected = summary_figures(cf, PRESIDENT, "440101")
        counted = {k: v for k, v in figures.items() if k[1] not in ("结收比", "异常率")}
        return (reply, figures) if counted == {k: expected.get(k, 0) for k in counted} and \
            all(figures[k] == v for k, v in expected.items()) else None
    reply, figures = eventually(agreed, timeout=60, what="the report naming the court, with the summaries' numbers")
    body = reply.json()
    assert body["contentType"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert body["fileName"] == f"{court_name}工作报表-2026年3月.xlsx" and body["kind"] == "REPORT_KIND_BASIC"
    book = read_workbook(base64.b64decode(body["content"]))
    assert list(book) == ["工作报表", "统计口径"]
    sheet = book["工作报表"]
    assert sheet.cells["A1"] == f"{court_name}各部门流程节点监督工作报表"
    assert "2026-03-01 至 2026-03-31" in sheet.cells["A2"]
    # 制表人: the president's name from the directory (signed into the caller by the gateway), then the username.
    name = org_service(cf).GetUser(orgs.GetUserRequest(name=f"users/{PRESIDENT}"), metadata=cf.md(PRESIDENT)).user
    assert sheet.cells["A3"].startswith(f"制表人：{name.display_name}（{PRESIDENT}）　制表时间："), sheet.cells["A3"]
    assert {"A4:A5", "B4:G4", "H4:K4", "L4:M4"} <= set(sheet.merged)
    assert (sheet.cells["B4"], sheet.cells["H4"], sheet.cells["B5"], sheet.cells["I5"]) == (
        "案件（件）", "节点（个）", "收案数", "超期节点")
    assert {"民事审判第一庭", "民事审判第二庭", "合计"} <= {label for label, _ in figures}
    assert (figures["合计", "收案数"], figures["合计", "未结案数"]) == (2, 3)
    assert figures["合计", "超期节点"] >= 1          # January's case's service node
    assert int(body["rowCount"]) == len({label for label, _ in figures})
    assert "date_basis=RECEIVE" in " ".join(str(v) for v in book["统计口径"].cells.values())


def test_csv_and_a_division_heads_department(cf):
    reply = export(cf, DIVISION_HEAD, format="REPORT_FORMAT_CSV")
    assert reply.status == 200, reply.body[:500]
    body = reply.json()
    assert body["fileName"].endswith("工作报表-2026年3月.csv") and body["contentType"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(base64.b64decode(body["content"]).decode("utf-8-sig"))))
    assert lines[4][:3] == ["部门", "收案数", "结案数"]
    assert [line[0] for line in lines[5:7]] == ["民事审判第一庭", "合计"]
    assert lines[6][1:4] == ["1", "0", "2"]      # civil1: the March case received; it and January's pending


def test_a_judge_and_another_courts_president_are_refused(cf):
    assert export(cf, JUDGE).status == 403
    refused = export(cf, PRESIDENT, court="440102")
    assert refused.status == 403 and refused.reason() == "OUT_OF_SCOPE"
    bad = export(cf, PRESIDENT, period="2026-13")
    assert bad.status == 400
