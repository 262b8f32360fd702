"""The web console in a real browser (Chromium through Playwright) against the whole system:
the trial management office of the high court goes from a province-wide overdue count to the
node and its case; a president sees their court only; a judge who edits the address to another
court's view gets the API's refusal in Chinese with its trace id; a reload keeps the session
through the HttpOnly refresh cookie while no token is in localStorage or sessionStorage; every
page of every role passes axe-core without a serious or critical violation and breaks no rule of
the Content-Security-Policy, and is saved as a screenshot (the run's folder and /tmp/console-shots/).
"""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from services.common.clock import LEGAL_TZ
from support import COURT_SYSTEM, PRESIDENT, JUDGE, eventually

from e2e.conftest import file_case
from .conftest import consoles

pytestmark = pytest.mark.timeout(600)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
PROVINCE_TMO = "trial_management.44"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("console", clock=START)


@pytest.fixture(scope="module")
def filed(cf):
    """Cases in three courts of two regions; the two filed in January have an overdue node."""
    made = {
        "old-440101": file_case(cf, "console", 1, filed=date(2026, 1, 5)),
        "new-440101": file_case(cf, "console", 2, filed=date(2026, 3, 2)),
        "old-440102": file_case(cf, "console", 3, filed=date(2026, 1, 6), handler="judge.440102.civil1.1"),
        "new-440201": file_case(cf, "console", 4, filed=date(2026, 3, 2), handler="judge.440201.civil1.1"),
    }
    summary = lambda: cf.http("GET", "/v1/courts/-/supervision:summarize", user=COURT_SYSTEM).json()  # noqa: E731
    eventually(lambda: summary().get("nodeTotals", {}).get("total") == "8", timeout=60, what="eight nodes in the read model")
    eventually(lambda: summary().get("nodeTotals", {}).get("overdue") == "2", timeout=60, what="two overdue nodes")
    return made


@pytest.fixture
def console(cf, filed, browser, shots):
    yield from consoles(browser, cf, shots)


def pick_months(page, first: str, last: str) -> None:
    """Types a month range into the 统计月份 picker, as a user may instead of clicking the months."""
    page.get_by_placeholder("起始月份").fill(first)
    page.get_by_placeholder("截止月份").fill(last)
    page.get_by_placeholder("截止月份").press("Enter")


def card(page, title: str):
    return page.locator(".cf-card", has=page.locator(".cf-card-title", has_text=re.compile(f"^{title}$")))


def test_the_province_tmo_goes_from_the_overdue_count_to_the_node_and_its_case(console, cf, filed):
    c = console(PROVINCE_TMO)
    c.sign_in()
    page = c.page
    assert page.url.endswith("/console/supervision/cases")
    page.get_by_role("heading", name="案件信息").wait_for()
    c.settled()
    # Province-wide: the four cases of three courts in two regions, two of them overdue.
    assert card(page, "本年收案").locator(".cf-card-value").inner_text() == "4"
    assert card(page, "超期").locator(".cf-card-value").inner_text() == "2"
    assert page.get_by_role("cell", name="东江市青山区人民法院").count() or page.get_by_text("440101").count()
    c.check("p1-cases")

    card(page, "超期").click()
    page.get_by_role("heading", name=re.compile("明细：超期")).wait_for()
    c.settled()
    assert page.locator(".el-table__body tr.el-table__row").count() == 2   # the two overdue cases
    c.check("drill-cases")
    page.get_by_role("radio", name="节点").check(force=True)
    page.get_by_role("columnheader", name="超期天数").first.wait_for()
    c.settled()
    rows = page.locator(".el-table__body tr.el-table__row")
    assert rows.count() == 2   # their two overdue nodes
    assert "超期" in rows.first.inner_text()
    c.check("drill-nodes")
    number = filed["old-440101"].case_number
    page.get_by_role("link", name=number).first.click()
    page.get_by_role("heading", name=number).wait_for()
    c.settled()
    assert page.get_by_text("流程节点（2 个）").is_visible()
    c.check("case")

    for path, name, heading in [("/supervision/warnings", "p2-warnings", "流程节点预警"),
                                ("/supervision/statistics", "p4-statistics", "流程节点监督统计"),
                                ("/supervision/locks", "p5-locks", "案件锁定情况"),
                                ("/supervision/quality", "q2-quality", "质效分析"),
                                ("/messages", "messages", "消息")]:
        c.open(path)
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        c.check(name)
    # Q2 counts by whole months (as the indicator system does, and as the service keeps it counted):
    # January to February is 1 January to the 28th, in the address and the indicators' heading.
    c.open("/supervision/quality")
    page.get_by_role("heading", name="质效分析", exact=True).wait_for()
    c.settled()
    pick_months(page, "2026年1月", "2026年2月")
    page.wait_for_url(re.compile(r"from=2026-01-01&to=2026-02-28"))
    page.get_by_role("heading", name="审判质效指标（2026年1月1日至2026年2月28日）").wait_for()
    c.settled()
    c.check("q2-months")
    # A month not begun yet cannot be picked: by the system's clock (GetCaller's currentTime, here
    # the test's shared clock in March 2026), not the browser's, which a court PC may have wrong.
    page.get_by_placeholder("起始月份").click()
    panels = page.locator(".el-date-range-picker__content").filter(has=page.locator(".el-month-table"))
    panels.first.wait_for()
    now = cf.now().astimezone(LEGAL_TZ)
    assert (now.year, now.month) == (2026, 3)
    for panel in panels.all():
        year = int(re.search(r"(\d{4})", panel.locator(".el-date-range-picker__header").inner_text()).group(1))
        disabled = panel.locator(".el-month-table td.disabled").count()
        assert disabled == (12 if year > now.year else 12 - now.month if year == now.year else 0), (year, disabled)
    page.keyboard.press("Escape")
    # Nor can a day after today be the 统计日 (a past day's figures; the API refuses a later one).
    # The calendar opens on the system's month: its days up to the 2nd can be picked, the rest not.
    c.open("/supervision/cases")
    page.get_by_role("heading", name="案件信息").wait_for()
    page.get_by_placeholder("今天").click()
    header = page.locator(".el-date-picker__header:visible")
    header.wait_for()
    assert re.search(r"2026\s*年\s*3\s*月", header.inner_text()), header.inner_text()
    days = page.locator(".el-date-table:visible td:not(.prev-month):not(.next-month)")
    disabled = {int(days.nth(i).inner_text()): "disabled" in (days.nth(i).get_attribute("class") or "").split()
                for i in range(days.count())}
    assert disabled == {d: d > now.day for d in range(1, 32)}, disabled
    page.keyboard.press("Escape")
    # P2: a stage's count shows its nodes; the tab and stage are kept in the address.
    c.open("/supervision/warnings?tab=overdue")
    c.settled()
    page.get_by_role("button", name=re.compile("庭前准备|立案登记|裁判阶段")).filter(has_text=re.compile("[1-9]")).first.click()
    c.settled()
    assert "stage=" in page.url
    c.check("p2-stage")


def test_a_president_sees_only_their_court(console, cf, filed):
    c = console(PRESIDENT)
    c.sign_in()
    page = c.page
    page.get_by_role("heading", name="案件信息").wait_for()
    c.settled()
    assert card(page, "本年收案").locator(".cf-card-value").inner_text() == "2"   # 440101's two cases
    assert card(page, "超期").locator(".cf-card-value").inner_text() == "1"
    assert "东江市白沙区" not in page.locator("main").inner_text()   # 440102 is not theirs
    c.check("p1-cases")
    # The API's scope, not the console's menu, decides: another court is refused.
    c.open("/supervision/cases?court=440102")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "无权访问该法院的数据" in alert.inner_text()


def test_a_judge_editing_the_address_gets_the_api_refusal_in_chinese(console, cf, filed):
    c = console(JUDGE)
    c.sign_in()
    page = c.page
    assert page.url.endswith("/console/my/nodes")
    page.get_by_role("heading", name="我的节点").wait_for()
    c.settled()
    assert filed["old-440101"].case_number in page.locator("main").inner_text()   # their own overdue node
    c.check("my-nodes")
    c.open("/messages")
    page.get_by_role("heading", name="消息", exact=True).wait_for()
    c.check("messages")

    c.open("/supervision/cases?court=440201")
    alert = page.get_by_role("alert")
    alert.wait_for()
    text = alert.inner_text()
    assert "无权访问该法院的数据" in text
    assert re.search(r"追踪编号 [0-9a-f]{32}", text), text
    c.check("refused-court")

    other = filed["new-440201"].name.removeprefix("courts/")
    c.open(f"/case/{other}")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "HTTP 403" in alert.inner_text() and "追踪编号" in alert.inner_text()
    assert filed["new-440201"].case_number not in page.locator("main").inner_text()
    c.check("refused-case")


def test_a_reload_keeps_the_session_through_the_cookie_and_no_token_is_stored(console, cf, filed):
    c = console(PROVINCE_TMO)
    c.sign_in("/supervision/statistics?by=department")
    page = c.page
    assert "/console/supervision/statistics?by=department" in page.url   # back where the address said
    page.reload()
    page.get_by_role("heading", name="流程节点监督统计").wait_for()   # no sign-in page in between
    assert page.get_by_role("radio", name="按部门").is_checked()
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert stored == "[[],[]]", stored
    assert "courtflow" not in page.evaluate("() => document.cookie")   # HttpOnly: not for scripts
    cookie = next(x for x in c.context.cookies() if x["name"].endswith("courtflow_console_refresh"))
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console/auth/"
    # Signing out ends the session: a reload shows the sign-in page.
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录").wait_for()
    page.reload()
    page.get_by_role("button", name="登录").wait_for()
    c.check("sign-in")


def test_a_past_days_count_drills_down_to_that_days_cases(console, cf, filed):
    # Last in the module: it moves the clock. By 20 March the cases filed on 2 March are overdue
    # too (their complaint copies were due by the 9th): four overdue today, two as of the 2nd.
    cf.set_clock(datetime(2026, 3, 20, 10, tzinfo=LEGAL_TZ))
    summary = lambda: cf.http("GET", "/v1/courts/-/supervision:summarize", user=COURT_SYSTEM).json()  # noqa: E731
    eventually(lambda: summary().get("caseTotals", {}).get("overdue") == "4", timeout=60, what="four overdue cases")
    c = console(PROVINCE_TMO)
    c.sign_in("/supervision/cases?asOf=2026-03-02")
    page = c.page
    page.get_by_role("heading", name="案件信息").wait_for()
    c.settled()
    assert "截至 2026年3月2日" in page.locator("main").inner_text()
    assert card(page, "超期").locator(".cf-card-value").inner_text() == "2"
    card(page, "超期").click()
    page.get_by_role("heading", name=re.compile("明细：超期")).wait_for()
    c.settled()
    assert "统计日 2026年3月2日" in page.locator("main").inner_text()
    rows = page.locator(".el-table__body tr.el-table__row")
    assert rows.count() == 2   # that day's two overdue cases, not today's four
    listed = page.locator("main").inner_text()
    assert {k for k, case in filed.items() if case.case_number in listed} == {"old-440101", "old-440102"}
    c.check("drill-cases-as-of")
    page.get_by_role("radio", name="节点").check(force=True)
    page.get_by_role("columnheader", name="超期天数").first.wait_for()
    c.settled()
    assert page.locator(".el-table__body tr.el-table__row").count() == 2
    c.check("drill-nodes-as-of")
    c.open("/supervision/cases")
    page.get_by_role("heading", name="案件信息").wait_for()
    c.settled()
    assert card(page, "超期").locator(".cf-card-value").inner_text() == "4"
