"""The supervision platform's remaining pages in a real browser (issue 14): P3 部门预警情况 and P6
被锁定案件类型统计 drill down from a count to exactly its nodes or cases; P7 三级法院工作报表 makes
two courts' reports in one go, showing its progress, and saves the XLSX files the API names; a
judge cannot open the reports; the 开庭排期例外 form shows, before submitting, the scheduling rules
the proposed date breaks (ValidateHearing) in the API's words. Every page passes axe-core and the
CSP and is saved as a screenshot.

The catalogue's 送达起诉状副本 locks when overdue here, so the two cases filed in January are locked.
"""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from services.common.clock import LEGAL_TZ
from support import COURT_SYSTEM, JUDGE, eventually
from workbook import read_workbook

from e2e.conftest import file_case
from .conftest import consoles, table_rows

pytestmark = pytest.mark.timeout(600)
JANUARY = datetime(2026, 1, 6, 10, tzinfo=LEGAL_TZ)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)   # a Monday
PROVINCE_TMO = "trial_management.44"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("console-reports", clock=JANUARY, catalog_version="test-console-reports-1",
                        node_changes={"serve_complaint_copy": {"overdue_action": "lock"}})


@pytest.fixture(scope="module")
def filed(cf):
    """Four civil cases in three courts of two regions; the two filed in January are overdue and locked."""
    made = {
        "old-440101": file_case(cf, "console-reports", 1, filed=date(2026, 1, 5)),
        "old-440102": file_case(cf, "console-reports", 3, filed=date(2026, 1, 6), handler="judge.440102.civil1.1"),
    }
    cf.set_clock(START)   # the January cases' complaint copies were due in January: overdue, locked
    made |= {
        "new-440101": file_case(cf, "console-reports", 2, filed=date(2026, 3, 2)),
        "new-440201": file_case(cf, "console-reports", 4, filed=date(2026, 3, 2), handler="judge.440201.civil1.1"),
    }
    summary = lambda: cf.http("GET", "/v1/courts/-/supervision:summarize", user=COURT_SYSTEM).json()  # noqa: E731
    eventually(lambda: summary().get("nodeTotals", {}).get("total") == "8", timeout=60, what="eight nodes in the read model")
    eventually(lambda: summary().get("caseTotals", {}).get("locked") == "2", timeout=60, what="two locked cases")
    return made


@pytest.fixture
def console(cf, filed, browser, shots):
    yield from consoles(browser, cf, shots)




def test_p3_and_p6_drill_down_from_a_count_to_its_nodes_and_cases(console, filed):
    c = console(PROVINCE_TMO)
    c.sign_in("/supervision/departments")
    page = c.page
    page.get_by_role("heading", name="部门预警情况").wait_for()
    c.settled()
    main = page.locator("main")
    assert "东江市青山区人民法院 · 民事审判第一庭" in main.inner_text()
    c.check("p3-departments")
    # 白沙区's civil division has one locked node: its count lists exactly that node.
    page.get_by_role("link", name=re.compile(r"白沙区.*民事审判第一庭锁定节点：1")).click()
    page.get_by_role("heading", name=re.compile("明细：.*锁定节点")).wait_for()
    c.settled()
    assert table_rows(page).count() == 1
    assert filed["old-440102"].case_number in table_rows(page).first.inner_text()
    assert "送达起诉状副本" in table_rows(page).first.inner_text()
    c.check("p3-drill-nodes")

    # Several dimensions at once, kept in the address: department × stage.
    c.open("/supervision/departments?dims=STAGE")
    c.settled()
    assert page.get_by_role("columnheader", name="阶段").count()
    assert "庭前准备" in main.inner_text() and "裁判阶段" in main.inner_text()
    c.check("p3-by-stage")

    c.open("/supervision/lock-types")
    page.get_by_role("heading", name="被锁定案件类型统计").wait_for()
    c.settled()
    qingshan = table_rows(page).filter(has_text="东江市青山区人民法院")
    # 锁定 1 of 收案 2 (50.00%), all of it civil.
    assert re.search(r"1\s+2\s+50\.00%", qingshan.first.inner_text()), qingshan.first.inner_text()
    total = table_rows(page).filter(has_text="合计").first.inner_text()
    assert re.match(r"合计\s+2\s+4\s+50\.00%\s+2\s+4\s+50\.00%", total), total
    assert page.get_by_role("columnheader", name="民事").count() and page.get_by_role("columnheader", name="行政").count()
    c.check("p6-lock-types")
    page.get_by_role("link", name=re.compile(r"白沙区人民法院民事锁定案件：1")).click()
    page.get_by_role("heading", name=re.compile("明细：.*民事锁定案件")).wait_for()
    c.settled()
    assert table_rows(page).count() == 1
    assert filed["old-440102"].case_number in table_rows(page).first.inner_text()
    c.check("p6-drill-cases")

    c.open("/supervision/lock-types?by=region")
    c.settled()
    assert "东江市中级人民法院" in main.inner_text()
    c.check("p6-by-region")


def test_the_province_tmo_exports_two_courts_reports_and_a_judge_cannot(console, cf):
    c = console(PROVINCE_TMO)
    c.sign_in("/supervision/reports?kind=BASIC&courts=440101,440102&month=2026-03")
    page = c.page
    page.get_by_role("heading", name="三级法院工作报表").wait_for()
    c.settled()
    assert page.get_by_role("radio", name="基层法院报表").is_checked()
    assert "2026年3月" in page.locator("main").inner_text()
    c.check("p7-reports")
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.get_by_role("button", name="生成并下载").click()
    page.get_by_role("status").filter(has_text="正在生成第").first.wait_for()   # progress while it runs
    page.get_by_role("heading", name="已生成 2 份报表").wait_for(timeout=60000)
    eventually(lambda: len(downloads) == 2, timeout=30, what="two files saved")
    names = sorted(d.suggested_filename for d in downloads)
    assert names[0].endswith(".xlsx") and "2026年3月" in names[0], names
    qingshan = next(d for d in downloads if "青山区" in d.suggested_filename)
    sheet = next(iter(read_workbook(open(qingshan.path(), "rb").read()).values()))
    text = "\n".join("|".join(str(v) for v in row) for row in sheet.rows())
    assert "民事审判第一庭" in text and "合计" in text, text
    c.check("p7-reports-done")

    judge = console(JUDGE)
    judge.sign_in("/supervision/reports")
    judge.page.get_by_role("heading", name="页面不存在").wait_for()
    assert "不能使用“三级法院工作报表”" in judge.page.locator("main").inner_text()


def pick_date(page, label: str, text: str) -> None:
    box = page.get_by_label(label)
    box.fill(text)
    box.press("Enter")


def test_the_hearing_exception_form_shows_the_rules_a_date_breaks_before_submitting(console, cf, filed):
    c = console(JUDGE)
    node = f"{filed['new-440101'].name}/nodes/trial_time_limit"
    c.sign_in(f"/applications/new?node={node}&kind=hearing_exception")
    page = c.page
    page.get_by_role("heading", name="排期规则检查").wait_for()
    assert page.get_by_role("radio", name="开庭排期例外").is_checked()
    # Tomorrow: the summons, not served yet, cannot reach the parties three days before.
    pick_date(page, "开庭日期", "2026年3月3日")
    check = page.locator(".cf-hearing-violations")
    check.wait_for()
    text = check.inner_text()
    assert "通知不足三日" in text and "2026" in text, text
    assert "不符合以下" in page.locator("aside.cf-rules").inner_text()
    c.check("hearing-check")
    page.get_by_label("申请理由").fill("当事人均同意次日开庭，已当庭确认")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name=re.compile("申请已提交")).wait_for()
    c.settled()
    c.check("hearing-applied")
