"""数据一致性核查 in the console (StatsService.VerifyIntegrity): a court's trial management office
runs it from the supervision menu, sees every check consistent, then — after a node of one of its
cases was moved away in the database (storage is the subject here, as in tests/e2e/test_verify.py)
— sees the case named with what is missing; a judge has no such entry in the menu."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, text

from services.common.clock import LEGAL_TZ
from support import JUDGE

from e2e.conftest import file_case
from .conftest import consoles, table_rows

pytestmark = pytest.mark.timeout(600)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
OFFICE = "trial_management.440101"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("console-integrity", clock=START)


@pytest.fixture(scope="module")
def filed(cf):
    return file_case(cf, "console-integrity", 1, filed=date(2026, 3, 2))


@pytest.fixture
def console(cf, filed, browser, shots):
    yield from consoles(browser, cf, shots)


def test_the_office_runs_the_check_and_sees_a_damaged_case_named(console, cf, filed):
    c = console(OFFICE)
    c.sign_in()
    c.page.get_by_role("navigation", name="主菜单").get_by_role("link", name="数据一致性核查").click()
    c.page.get_by_role("heading", name="数据一致性核查", level=1).wait_for()
    c.page.get_by_role("button", name="开始核查").click()
    c.page.get_by_text("核查通过").wait_for()
    rows = table_rows(c.page)
    assert rows.count() == 5   # a court's checks: the chain and the plumbing are the province's
    assert all("一致" in rows.nth(i).inner_text() for i in range(5))
    c.check("integrity-clean")

    case_id, stranger = uuid.UUID(filed.name.split("/")[3]), uuid.uuid4()
    engine = create_engine(cf.database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE nodes.nodes SET case_id = :s WHERE case_id = :c AND node_type = 'trial_time_limit'"),
                     {"s": stranger, "c": case_id})
    try:
        c.page.get_by_role("button", name="重新核查").click()
        c.page.get_by_text("发现不一致").wait_for()
        problem = c.page.locator("tr", has=c.page.get_by_text(filed.name, exact=True))
        assert "缺少目录在立案时开启的节点：审理期限（trial_time_limit）" in problem.inner_text()
        assert c.page.get_by_text("不一致 2 处").count() == 1   # 案件与节点: the case, and the node's stranger
        c.check("integrity-damaged")
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE nodes.nodes SET case_id = :c WHERE case_id = :s"), {"s": stranger, "c": case_id})
        engine.dispose()


def test_a_judge_has_no_integrity_check_in_the_menu(console):
    c = console(JUDGE)
    c.sign_in()
    menu = c.page.get_by_role("navigation", name="主菜单")
    menu.get_by_role("link", name="我的节点").wait_for()
    assert menu.get_by_role("link", name="数据一致性核查").count() == 0
