"""The shipped node catalogue covers what the requirements ask for (R3 stages, R4 groups, S1–S10)
and carries the trial and execution time limits of DOMAIN §2 with the right periods."""
from __future__ import annotations

import pytest

from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure
from courtflow.node.v1.node_pb2 import Stage

from services.node.catalog import NodeRule, load
from services.node.periods import Period, Unit

CATALOG = load()
# The monitored nodes; a setting (NodeRule.setting: the minimum between hearings) opens none.
RULES = tuple(r for r in CATALOG.rules if not r.setting)

# Categories that hold a case's overall time limit (审理期限、执行期限 and their equivalents).
TIME_LIMIT_CATEGORIES = {"审限管理", "执行期限", "司法确认审查", "调解期限"}
# Where overdue may lock a case: time limits, review limits and the hard controls.
LOCK_CATEGORIES = TIME_LIMIT_CATEGORIES | {"执行异议", "执行复议", "申诉", "交付执行", "执行款管理"}


def _ct(name: str) -> int:
    return CaseType.Value(f"CASE_TYPE_{name}")


def _pr(name: str) -> int:
    return Procedure.Value(f"PROCEDURE_{name}")


ALL_PROCEDURES = [v for v in Procedure.values() if v != Procedure.PROCEDURE_UNSPECIFIED]

# DOMAIN §2: (row, case type, procedure or None for "every procedure", period).
DOMAIN_TIME_LIMITS = [
    ("民事一审普通程序", "CIVIL", "FIRST_INSTANCE_ORDINARY", "6m"),
    ("民事简易程序", "CIVIL", "SIMPLIFIED", "3m"),
    ("小额诉讼", "CIVIL", "SMALL_CLAIMS", "2m"),
    ("民事二审·不服判决", "CIVIL", "SECOND_INSTANCE", "3m"),
    ("民事二审·不服裁定", "CIVIL", "SECOND_INSTANCE", "30d"),
    ("民事特别程序", "CIVIL", "SPECIAL", "30d"),
    ("刑事一审公诉", "CRIMINAL", "FIRST_INSTANCE_ORDINARY", "2m"),
    ("刑事速裁", "CRIMINAL", "FAST_TRACK", "10d"),
    ("刑事二审", "CRIMINAL", "SECOND_INSTANCE", "2m"),
    ("行政一审", "ADMINISTRATIVE", "FIRST_INSTANCE_ORDINARY", "6m"),
    ("行政简易程序", "ADMINISTRATIVE", "SIMPLIFIED", "45d"),
    ("行政二审", "ADMINISTRATIVE", "SECOND_INSTANCE", "3m"),
    ("执行（有财产可供执行）", "EXECUTION", "EXECUTION", "6m"),
    ("非诉执行", "EXECUTION", "EXECUTION", "3m"),
    ("司法确认", "CIVIL", "SPECIAL", "15d"),
    ("诉前调解", "CIVIL", None, "30d"),
]

# R4 (seed groups and their items), the "also under control" matters, and S1–S10.
R4_KEYWORDS = [
    # 排期管理
    "排期管理", "立案文书送达", "受理通知书", "举证通知书", "执行通知书", "地址确认书", "诉讼风险提示",
    "信访风险评估", "庭前准备", "合议庭成员通知书", "开庭公告", "数字化法庭预定", "开庭监控",
    "庭审录音录像", "光盘刻录",
    # 分案管理
    "分案管理", "诉前调解", "立案审批", "分案指数", "繁简分流", "获取变更主办人", "变更主办人",
    # 审限管理 (7)
    "审限管理", "任务提醒", "审限预警", "审限延长", "中止", "扣除", "恢复", "裁判文书制作期限", "送达期限",
    "卷宗移送时限", "裁判文书上网",
    # 结案管理 (6)
    "结案管理", "信息录入检查", "送达检查", "电子卷宗核对检查", "结案扎口审批", "归档检查", "档案借阅",
    # 质量管理
    "质量管理", "申诉", "信访", "案件评查",
    # also under control
    "评估拍卖", "执行异议", "复议", "破产", "涉诉信访",
    # S1–S10
    "立案监督", "上诉移送", "上诉立案", "开庭排期", "审判委员会", "生效登记", "交付执行", "移送执行",
]


def _text(rule: NodeRule) -> str:
    return " ".join((rule.display_name, rule.category, rule.process))


def _covers(rule: NodeRule, case_type: int, procedure: int | None) -> bool:
    if procedure is None:
        return all(rule.applies(case_type, p) for p in ALL_PROCEDURES)
    return rule.applies(case_type, procedure)


def test_catalogue_size():
    assert CATALOG.version == "2026.5"
    assert len(RULES) >= 122


def test_exactly_25_processes():
    processes = {r.process for r in RULES}
    assert len(processes) == 25, sorted(processes)


def test_process_names_are_chinese():
    for process in {r.process for r in RULES}:
        assert all("\u4e00" <= ch <= "\u9fff" or ch in "（）·、" for ch in process), process


def test_all_seven_stages_present():
    stages = {r.stage for r in RULES}
    expected = {v for v in Stage.values() if v != Stage.STAGE_UNSPECIFIED}
    assert len(expected) == 7
    assert stages == expected


@pytest.mark.parametrize("keyword", R4_KEYWORDS)
def test_r4_group_keyword_is_covered(keyword):
    assert any(keyword in _text(r) for r in RULES), f"no node mentions {keyword}"


@pytest.mark.parametrize("row, case_type, procedure, period", DOMAIN_TIME_LIMITS,
                         ids=[row[0] for row in DOMAIN_TIME_LIMITS])
def test_domain_time_limit_is_in_the_catalogue(row, case_type, procedure, period):
    ct = _ct(case_type)
    pr = None if procedure is None else _pr(procedure)
    matches = [r for r in RULES if r.category in TIME_LIMIT_CATEGORIES and _covers(r, ct, pr)
               and r.period == Period.parse(period)]
    assert matches, f"{row}: no time-limit rule of {period} for ({case_type}, {procedure or 'ANY'})"
    for rule in matches:
        assert rule.warning_rungs, f"{rule.code}: a time limit needs warnings"


def test_each_time_limit_pair_has_one_default_limit_opened_by_filing():
    """Where one pair has two limits, only the general one opens on filing; the special one opens on
    the event that marks the kind of case and closes the general one."""
    filed = CaseEventType.CASE_EVENT_TYPE_FILED
    for _, case_type, procedure, _ in DOMAIN_TIME_LIMITS:
        if procedure is None:
            continue
        ct, pr = _ct(case_type), _pr(procedure)
        # ... for a case of any custody and prosecution (catalog.ATTRIBUTES; a foreign-related civil
        # case has none, test_case_attributes)
        for attributes in ({}, {"custody": True}, {"private_prosecution": True},
                           {"private_prosecution": True, "custody": True}):
            on_filing = [r.code for r in RULES if r.category in TIME_LIMIT_CATEGORIES
                         and r.applies(ct, pr, attributes) and r.opened_by == (filed, "")]
            assert len(on_filing) == 1, (case_type, procedure, attributes, on_filing)


def test_special_limits_supersede_the_general_one():
    filed = CaseEventType.CASE_EVENT_TYPE_FILED
    special = [r for r in RULES if r.category in TIME_LIMIT_CATEGORIES and r.opened_by[0] != filed]
    superseding = 0
    for rule in special:
        general = [r for r in RULES if r.category in TIME_LIMIT_CATEGORIES and r.opened_by[0] == filed
                   and any(r.applies(ct, p) for ct, p in rule.applies_to)]
        superseding += bool(general)
        for g in general:
            assert g.completed_by_event(rule.opened_by), f"{rule.code} opens while {g.code} keeps running"
    assert superseding >= 6   # 二审裁定上诉、司法确认、非诉执行、民事/行政/刑事程序转换


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_complete(rule):
    assert rule.legal_basis.strip()
    assert "《" in rule.legal_basis or "（法院管理规定）" in rule.legal_basis
    assert isinstance(rule.period, Period) and Period.parse(str(rule.period)) == rule.period
    assert rule.display_name.strip() and rule.category.strip() and rule.process.strip()
    assert rule.completed_by, "a node must be completable"
    assert rule.opened_by not in rule.completed_by
    assert rule.supervisors
    assert rule.code.isascii() and rule.code == rule.code.lower() and len(rule.code) <= 63


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_warning_rungs_fit_the_period(rule):
    shortest = {Unit.DAYS: rule.period.amount, Unit.WORKING_DAYS: rule.period.amount,
                Unit.MONTHS: 28 * rule.period.amount, Unit.YEARS: 365 * rule.period.amount,
                Unit.HOURS: rule.period.amount // 24}[rule.period.unit]
    assert all(rung < shortest for rung in rule.warning_rungs)


def test_lock_only_on_time_limits_and_hard_controls():
    locking = [r for r in RULES if r.overdue_action == "lock"]
    assert locking
    assert all(r.category in LOCK_CATEGORIES for r in locking), [r.code for r in locking
                                                                  if r.category not in LOCK_CATEGORIES]


def test_codes_unique():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))


def test_filing_stage_nodes_cover_every_case_type():
    """S1: a statutory filing-review period for each case type."""
    received = {CaseEventType.CASE_EVENT_TYPE_COMPLAINT_RECEIVED, CaseEventType.CASE_EVENT_TYPE_PRIVATE_PROSECUTION_RECEIVED}
    for case_type in [v for v in CaseType.values() if v != CaseType.CASE_TYPE_UNSPECIFIED]:
        assert any(r.stage == Stage.STAGE_FILING and r.opened_by[0] in received and _covers(r, case_type, None)
                   for r in RULES), CaseType.Name(case_type)
