"""The administrators' pages in a real browser (issue 14): a court's administrator imports an HR
file whose bad rows are all listed (and nothing imported) until they are fixed, then finds the new
judge in the org directory and marks them absent with a deputy; the province's administrator sees
the holiday calendars and imports a year, a mistake in it refused with the API's words; the
court's trial management office shortens a node rule (lengthening it is refused), re-evaluates the
running nodes and sees how many due dates moved, sees the court's setting (which opens no node)
apart from the node rules and sets its value, and chooses a stage's categories (none at all is
refused). Every page passes axe-core and the CSP and is saved as a screenshot.
"""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import yaml

from services.common.clock import LEGAL_TZ
from services.node import catalog
from support import COURT_SYSTEM, SLICE_CATALOG, eventually

from e2e.conftest import changed_catalog, file_case
from .conftest import consoles, table_rows

pytestmark = pytest.mark.timeout(600)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)   # a Monday
ADMIN = "admin.440101"
REGION_ADMIN = "admin.4401"
PROVINCE_ADMIN = "admin"
TM = "trial_management.440101"
SERVE = "courts/440101/nodeRules/serve_complaint_copy"

HEADER = "username,display_name,role,court,department,mobile,active,absent,deputy"
GOOD = "judge.440101.civil1.77,测试法官,judge,440101,440101-civil1,13800000077,true,false,"
BAD = [
    "clerk.440101.civil1.77,测试书记员,secretary,440101,440101-nowhere,13800000078,true,false,",
    "judge.440101.civil1.78,,judge,440101,440101-civil1,13800000079,true,false,",
]


@pytest.fixture(scope="module")
def cf(start_system, tmp_path_factory):
    # The tests' slice of the catalogue and the shipped catalogue's setting (hearing_minimum_interval),
    # which the 节点规则 page lists apart from the node rules.
    path = changed_catalog(SLICE_CATALOG, {}, version="test-console-admin-1",
                           to=tmp_path_factory.mktemp("console-admin-catalogue") / "catalog.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    shipped = yaml.safe_load(catalog.DEFAULT_PATH.read_text(encoding="utf-8"))
    data["nodes"] += [n for n in shipped["nodes"] if n.get("setting")]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return start_system("console-admin", clock=START, catalog=path)


@pytest.fixture(scope="module")
def filed(cf):
    """A case filed today in 440101: its complaint copy is due in five days (03-07, a Saturday → 03-09)."""
    made = file_case(cf, "console-admin", 1, filed=date(2026, 3, 2))
    node = cf.http("GET", f"/v1/{made.name}/nodes/serve_complaint_copy", user=COURT_SYSTEM).json()["node"]
    assert node["dueDate"] == {"year": 2026, "month": 3, "day": 9}
    return made


@pytest.fixture
def console(cf, filed, browser, shots):
    yield from consoles(browser, cf, shots)




def choose(page, form, label: str, option: str) -> None:
    """Picks an option of an Element Plus select (its value is drawn over its input) and waits
    until the list has faded out, so that the next click lands on the form."""
    form.get_by_label(label).click(force=True)
    item = page.get_by_role("option", name=option, exact=True)
    item.click()
    item.wait_for(state="hidden")


def test_an_administrator_imports_hr_rows_then_edits_the_new_person(console, cf):
    c = console(ADMIN)
    c.refusals.add(400)   # the bad file, on purpose
    c.sign_in()
    page = c.page
    assert page.url.endswith("/console/admin/org")   # an administrator's home
    page.get_by_role("heading", name="组织机构").wait_for()
    c.settled()
    assert "民事审判第一庭" in page.locator("main").inner_text()
    c.check("org")

    c.open("/admin/import")
    page.get_by_role("heading", name="人事导入").wait_for()
    page.get_by_label("文件内容").fill("\n".join([HEADER, GOOD, *BAD]) + "\n")
    page.get_by_role("button", name="校验").click()
    problems = page.get_by_role("heading", name=re.compile(r"文件有 \d+ 处问题，未导入任何内容"))
    problems.wait_for()
    table = page.locator(".cf-import-problems")
    text = table.inner_text()
    # Every bad row at once, each with its line and field: line 3 twice (role, department), line 4 once.
    assert text.count("第3行") >= 2 and "第4行" in text, text
    assert "role" in text and "department" in text and "display_name" in text, text
    c.check("import-problems")
    # Nothing was imported.
    users = lambda: [u["name"] for u in cf.http("GET", "/v1/courts/440101/users", user=ADMIN,  # noqa: E731
                                                 query=[("pageSize", "1000")]).json()["users"]]
    assert "users/judge.440101.civil1.77" not in users()

    page.get_by_label("文件内容").fill(f"{HEADER}\n{GOOD}\n")
    page.get_by_role("button", name="校验").click()
    page.get_by_text(re.compile("校验通过，尚未导入：导入后将新增部门 0 个.*新增人员 1 人")).wait_for()
    assert "users/judge.440101.civil1.77" not in users()
    page.get_by_role("button", name="导入").click()
    page.get_by_text(re.compile("已导入：.*新增人员 1 人")).wait_for()
    assert "users/judge.440101.civil1.77" in users()
    c.check("import-done")

    c.open("/admin/org")
    c.settled()
    page.get_by_label("查找人员").fill("测试法官")
    assert table_rows(page).filter(has_text="judge.440101.civil1.77").count() == 1
    page.get_by_role("button", name="编辑 测试法官").click()
    dialog = page.get_by_role("region", name="编辑人员：测试法官")
    dialog.get_by_label("姓名").wait_for()
    dialog.get_by_role("switch", name=re.compile("不在岗")).focus()   # by keyboard, as the switch is a hidden input
    page.keyboard.press("Space")
    dialog.get_by_label("代理人").click()
    deputy = page.get_by_role("option", name=re.compile(r"（法官）")).first
    deputy.click()
    deputy.wait_for(state="hidden")   # the list has faded out (axe would read the text through it)
    page.mouse.move(0, 0)
    c.check("org-edit-user")
    dialog.get_by_role("button", name="保存").click()
    page.get_by_text("已保存人员：测试法官（judge.440101.civil1.77）").wait_for()
    c.settled()
    row = table_rows(page).filter(has_text="judge.440101.civil1.77")
    assert "不在岗" in row.inner_text()
    saved = cf.http("GET", "/v1/users/judge.440101.civil1.77", user=ADMIN).json()["user"]
    assert saved["absent"] and saved["deputy"].startswith("users/judge.440101.")
    c.check("org-saved")

    # A clerk added by hand, and the civil division given its vice-president in charge.
    page.get_by_role("button", name="新增人员").click()
    form = page.get_by_role("region", name="新增人员")
    form.get_by_label("用户名").fill("clerk.440101.civil1.77")
    form.get_by_label("姓名").fill("测试书记员")
    choose(page, form, "角色", "书记员")
    choose(page, form, "部门", "民事审判第一庭")
    form.get_by_role("button", name="新增").click()
    page.get_by_text("已新增人员：测试书记员（clerk.440101.civil1.77）").wait_for()
    assert cf.http("GET", "/v1/users/clerk.440101.civil1.77", user=ADMIN).json()["user"]["department"] \
        == "courts/440101/departments/440101-civil1"
    page.get_by_role("button", name="编辑 民事审判第一庭").click()
    form = page.get_by_role("region", name="编辑部门：民事审判第一庭")
    form.get_by_label("分管院领导").click(force=True)
    vice = page.get_by_role("option").filter(has_text=re.compile(".")).first
    vice.click()
    vice.wait_for(state="hidden")
    form.get_by_role("button", name="保存").click()
    page.get_by_text("已保存部门：民事审判第一庭").wait_for()
    c.settled()
    departments = cf.http("GET", "/v1/courts/440101/departments", user=ADMIN).json()["departments"]
    civil = next(d for d in departments if d["name"] == "courts/440101/departments/440101-civil1")
    assert civil["vicePresident"].startswith("users/")
    row = table_rows(page).filter(has_text="440101-civil1")
    assert "未指定" not in row.inner_text()
    c.check("org-department-saved")


def test_a_region_administrator_creates_a_court_then_a_department_each_kind_in_words(console, cf):
    c = console(REGION_ADMIN)
    c.refusals.add(400)   # the bad court code, on purpose
    c.sign_in()
    page = c.page
    page.get_by_role("heading", name="组织机构").wait_for()
    c.settled()
    # Department kinds in Chinese, as labels.py words them, not the directory's English codes.
    kinds = {tail: table_rows(page).filter(has_text=f"4401-{tail}").locator("td").nth(2).inner_text().strip()
             for tail in ("civil1", "trial_management", "filing")}
    assert kinds == {"civil1": "民事审判", "trial_management": "审判管理", "filing": "立案"}

    page.get_by_role("button", name="新增法院").click()
    form = page.get_by_role("region", name="新增法院")
    assert "基层人民法院" in form.inner_text()   # the level below the intermediate court
    form.get_by_label("法院编号").fill("4402")
    form.get_by_label("法院名称").fill("东江市高新区人民法院")
    form.get_by_role("button", name="新增").click()
    form.get_by_text(re.compile("法院编号应为上级法院编号 4401 加两位数字")).first.wait_for()
    c.check("org-new-court-refused")
    form.get_by_label("法院编号").fill("440198")
    form.get_by_role("button", name="新增").click()
    page.get_by_text(re.compile(r"已新增法院：东江市高新区人民法院（440198）")).wait_for()
    listed = cf.http("GET", "/v1/courts", user=REGION_ADMIN, query=[("pageSize", "1000")]).json()["courts"]
    court = next(x for x in listed if x["name"] == "courts/440198")
    assert (court["level"], court["parent"]) == ("COURT_LEVEL_BASIC", "courts/4401")

    c.open("/admin/org?court=440198")
    page.get_by_text("本院还没有部门").wait_for()
    c.settled()
    page.get_by_role("button", name="新增部门").click()
    form = page.get_by_role("region", name="新增部门")
    form.get_by_label("部门编号").fill("criminal")
    form.get_by_label("部门名称").fill("刑事审判庭")
    choose(page, form, "类型", "刑事审判")
    c.check("org-new-department")
    form.get_by_role("button", name="新增").click()
    page.get_by_text("已新增部门：刑事审判庭（440198-criminal）").wait_for()
    c.settled()
    row = table_rows(page).filter(has_text="440198-criminal")
    assert "刑事审判" in row.inner_text() and "criminal\t" not in row.inner_text()
    made = cf.http("GET", "/v1/courts/440198/departments", user=REGION_ADMIN).json()["departments"]
    assert [(d["name"], d["kind"]) for d in made] == [("courts/440198/departments/440198-criminal", "criminal")]
    c.check("org-department-created")


def test_the_province_administrator_imports_a_holiday_year(console, cf):
    c = console(PROVINCE_ADMIN)
    c.refusals.add(400)   # the mistaken year, on purpose
    c.sign_in("/admin/calendars")
    page = c.page
    page.get_by_role("heading", name="节假日安排").wait_for()
    c.settled()
    assert table_rows(page).filter(has_text="2026年").count() == 1
    c.check("calendars")
    page.get_by_label("年度", exact=True).fill("2027")
    page.get_by_label("依据", exact=True).fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_label("法定节假日", exact=True).fill("2027-01-01\n2027-02-08、2027-02-09")
    # A date read wrong, then the same day as both a holiday and a make-up working day.
    page.get_by_label("调休上班日", exact=True).fill("2027-02-30")
    page.get_by_role("button", name="导入").click()
    page.get_by_text("调休上班日：2027-02-30 不是日期（应为 2027-02-07）").wait_for()
    page.get_by_label("调休上班日", exact=True).fill("2027-02-08")
    page.get_by_role("button", name="导入").click()
    alert = page.get_by_role("alert").filter(has_text="同时列为节假日和调休工作日")
    alert.wait_for()
    assert "追踪编号" in alert.inner_text()
    c.check("calendars-refused")
    page.get_by_label("调休上班日", exact=True).fill("2027-02-06")
    page.get_by_role("button", name="导入").click()
    page.get_by_text(re.compile("已导入 2027 年节假日安排：3 个法定节假日、1 个调休上班日")).wait_for()
    c.settled()
    assert table_rows(page).filter(has_text="2027年").filter(has_text="国务院办公厅关于2027年").count() == 1
    c.check("calendars-imported")


def test_the_trial_management_office_shortens_a_rule_reevaluates_and_chooses_stage_views(console, cf, filed):
    c = console(TM)
    c.refusals.add(400)   # a lengthened period and an empty stage, on purpose
    c.sign_in("/admin/rules?stage=PRE_TRIAL")
    page = c.page
    page.get_by_role("heading", name="节点规则").wait_for()
    c.settled()
    row = table_rows(page).filter(has_text="送达起诉状副本")
    assert "5日" in row.inner_text() and "目录默认" in row.inner_text()
    # A court's setting opens no node: the API marks it, and the page lists it apart, not as a node.
    rules = cf.http("GET", "/v1/courts/440101/nodeRules", user=TM, query=[("pageSize", "1000")]).json()["nodeRules"]
    assert {r["nameParts"]["nodeRule"] for r in rules if r.get("setting")} == {"hearing_minimum_interval"}
    settings = page.locator("section.cf-panel", has=page.get_by_role("heading", name="法院设置（1 项）"))
    assert "同案两次开庭最短间隔（本院设置）" in settings.inner_text() and "1日" in settings.inner_text()
    node_rules = page.locator("section.cf-page > .el-table tr.el-table__row")
    assert node_rules.filter(has_text="送达起诉状副本").count() == 1
    assert node_rules.filter(has_text="同案两次开庭最短间隔").count() == 0
    c.check("rules")
    # Its value alone is edited (a setting has no warnings or overdue action to send).
    page.get_by_role("button", name="调整 同案两次开庭最短间隔（本院设置）").click()
    dialog = page.get_by_role("region", name="调整设置：同案两次开庭最短间隔（本院设置）")
    dialog.get_by_label("取值（日）").fill("7")
    dialog.get_by_role("button", name="保存").click()
    page.get_by_text("已调整「同案两次开庭最短间隔（本院设置）」：7日。此后的校验即按此设置。").wait_for()
    c.settled()
    assert "7日" in settings.inner_text() and "目录：1日" in settings.inner_text()
    page.get_by_role("button", name="调整 送达起诉状副本").click()
    dialog = page.get_by_role("region", name="调整规则：送达起诉状副本")
    # A statutory period may be shortened, never lengthened: the API says so and nothing changes.
    dialog.get_by_label("期限（数量）").fill("10")
    dialog.get_by_role("button", name="保存").click()
    refusal = dialog.get_by_role("alert")
    refusal.wait_for()
    assert "追踪编号" in refusal.inner_text()
    c.check("rules-refused")
    dialog.get_by_label("期限（数量）").fill("3")
    dialog.get_by_role("button", name="保存").click()
    page.get_by_text(re.compile("已调整「送达起诉状副本」：期限 3日")).wait_for()
    c.settled()
    row = table_rows(page).filter(has_text="送达起诉状副本")
    assert "3日" in row.inner_text() and "目录：5日" in row.inner_text() and "东江市青山区人民法院" in row.inner_text()

    page.get_by_role("button", name="重新评估 送达起诉状副本").click()
    page.get_by_role("region", name="重新评估：送达起诉状副本").get_by_role("button", name="确认重新评估").click()
    page.get_by_text(re.compile(r"已重新评估「送达起诉状副本」：1 个运行中节点采用现行规则，其中 1 个到期日改变")).wait_for()
    node = cf.http("GET", f"/v1/{filed.name}/nodes/serve_complaint_copy", user=COURT_SYSTEM).json()["node"]
    assert node["dueDate"] == {"year": 2026, "month": 3, "day": 5}   # 03-02 + 3 days, a Thursday
    c.check("rules-reevaluated")

    c.open("/admin/stages")
    page.get_by_role("heading", name="阶段视图").wait_for()
    c.settled()
    panel = page.locator("section.cf-panel", has=page.get_by_role("heading", name="庭前准备"))
    category = panel.get_by_role("checkbox", name="立案文书送达")
    assert category.is_checked()
    c.check("stage-views")
    box = panel.locator("label.el-checkbox", has_text="立案文书送达")
    box.click()   # unchecked: a stage that shows nothing would hide its overdue nodes
    assert not category.is_checked()
    panel.get_by_role("button", name="保存庭前准备").click()
    refused = panel.get_by_role("alert")
    refused.wait_for()
    assert "至少显示一个" in refused.inner_text()
    box.click()
    assert category.is_checked()
    panel.get_by_role("button", name="保存庭前准备").click()
    page.get_by_text("已保存「庭前准备」显示的节点类别：立案文书送达").wait_for()
    c.settled()
    panel = page.locator("section.cf-panel", has=page.get_by_role("heading", name="庭前准备"))
    assert "由东江市青山区人民法院选定" in panel.inner_text()
    eventually(lambda: cf.http("GET", "/v1/courts/440101/stageViews", user=TM).json()["stageViews"], what="views")
    c.check("stage-views-saved")
