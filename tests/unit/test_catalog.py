"""The node catalogue: the shipped data loads, and bad data is refused with an error that names
the file, the entry and the field (DOMAIN §6: every rule keeps its legal basis)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure
from courtflow.node.v1.node_pb2 import Stage

from services.common import roles
from services.node import catalog
from services.node.catalog import CatalogError, load
from services.node.periods import Period

CASE_FILED = (CaseEventType.CASE_EVENT_TYPE_FILED, "")
HEARING_SCHEDULED = (CaseEventType.CASE_EVENT_TYPE_HEARING_SCHEDULED, "")


def entry(code: str = "answer_period", **overrides) -> dict:
    e = {"code": code, "display_name": "答辩期", "stage": "PRE_TRIAL", "category": "答辩", "process": "排期管理",
         "applies_to": [{"case_type": "CIVIL", "procedure": "FIRST_INSTANCE_ORDINARY"}],
         "opened_by": {"event": "FILED"}, "anchor": "event_date", "period": "15d", "warning_rungs": [3],
         "overdue_action": "warn", "responsible_role": "handler", "supervisors": ["division_head"],
         "legal_basis": "《中华人民共和国民事诉讼法》第一百二十八条"}
    e.update(overrides)
    return e


def write(tmp_path: Path, nodes: list, version="t1") -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"version": version, "nodes": nodes}, allow_unicode=True), encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message, message
    return message


# -- the shipped catalogue -----------------------------------------------------------------------------

SHIPPED = load()


def test_shipped_catalog_has_a_version_and_rules():
    assert SHIPPED.version.strip()
    assert SHIPPED.rules


def test_shipped_codes_are_unique():
    codes = [r.code for r in SHIPPED.rules]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("rule", SHIPPED.rules, ids=lambda r: r.code)
def test_shipped_rule_is_well_formed(rule):
    assert rule.legal_basis.strip()
    assert rule.stage in Stage.values() and rule.stage != Stage.STAGE_UNSPECIFIED
    assert list(rule.warning_rungs) == sorted(rule.warning_rungs, reverse=True)
    assert all(r > 0 for r in rule.warning_rungs)
    # Each pair names real values, or ANY (which the loader keeps as 0) for "every".
    assert rule.applies_to and all(ct in CaseType.values() and p in Procedure.values()
                                   for ct, p in rule.applies_to)
    assert isinstance(rule.period, Period)
    assert rule.anchor in catalog.ANCHORS and rule.responsible_role in roles.CATALOG_ROLES


def test_shipped_trial_time_limit_matches_the_civil_procedure_law():
    rule = next(r for r in SHIPPED.rules if r.code == "trial_time_limit")
    assert str(rule.period) == "6m"           # DOMAIN §2: civil first instance, ordinary: 6 months
    assert rule.stage == Stage.STAGE_ADJUDICATION
    assert rule.warning_rungs == (15, 7, 3)


# -- a valid custom catalogue --------------------------------------------------------------------------

def test_custom_catalog_loads_and_sorts_rungs_descending(tmp_path):
    cat = load(write(tmp_path, [entry(warning_rungs=[3, 14, 7])], version=2027.1))
    assert cat.version == "2027.1"
    (rule,) = cat.rules
    assert rule.warning_rungs == (14, 7, 3)
    assert rule.stage == Stage.STAGE_PRE_TRIAL
    assert rule.period == Period.parse("15d")
    assert rule.applies_to == frozenset({(CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY)})
    assert rule.supervisors == ("division_head",)


def test_warning_rungs_are_optional(tmp_path):
    entry_without = entry()
    del entry_without["warning_rungs"]
    (rule,) = load(write(tmp_path, [entry_without])).rules
    assert rule.warning_rungs == ()


# -- refused catalogues: the message names file, entry and field -------------------------------------------

@pytest.mark.parametrize("field", ["code", "display_name", "stage", "period", "anchor", "applies_to", "opened_by",
                                   "overdue_action", "responsible_role", "legal_basis"])
def test_missing_key(tmp_path, field):
    bad = entry("second")
    del bad[field]
    message = refused(write(tmp_path, [entry("first"), bad]))
    assert "nodes[1]" in message
    assert f"'{field}'" in message
    if field != "code":
        assert "second" in message


def test_bad_period(tmp_path):
    message = refused(write(tmp_path, [entry("p", period="6x")]))
    assert "nodes[0]" in message and "(p)" in message and "period" in message and "6x" in message


@pytest.mark.parametrize("period", ["0d", "d", "6", "-3d", "6 m"])
def test_other_bad_periods(tmp_path, period):
    assert "period" in refused(write(tmp_path, [entry("p", period=period)]))


def test_bad_stage(tmp_path):
    message = refused(write(tmp_path, [entry("s", stage="LUNCH")]))
    assert "nodes[0]" in message and "(s)" in message and "stage" in message and "LUNCH" in message


def test_unspecified_stage_is_refused(tmp_path):
    message = refused(write(tmp_path, [entry("s", stage="UNSPECIFIED")]))
    assert "stage" in message


def test_bad_anchor(tmp_path):
    message = refused(write(tmp_path, [entry("a", anchor="hearing_date")]))
    assert "nodes[0]" in message and "(a)" in message and "anchor" in message and "hearing_date" in message


@pytest.mark.parametrize("field, value", [("overdue_action", "explode"), ("responsible_role", "janitor")])
def test_bad_action_or_role(tmp_path, field, value):
    message = refused(write(tmp_path, [entry("x", **{field: value})]))
    assert "nodes[0]" in message and field in message and value in message


@pytest.mark.parametrize("supervisors", [["divison_head"], ["division_head", "handler"], "division_head"])
def test_bad_supervisors(tmp_path, supervisors):
    # A misspelt supervisor would never be reminded; the handler is the responsible role, not a supervisor.
    message = refused(write(tmp_path, [entry("s", supervisors=supervisors)]))
    assert "nodes[0]" in message and "(s)" in message and "supervisors" in message and "division_head" in message


@pytest.mark.parametrize("key, value", [("case_type", "MARITIME"), ("procedure", "DUEL")])
def test_bad_applies_to_enum(tmp_path, key, value):
    applies = {"case_type": "CIVIL", "procedure": "FIRST_INSTANCE_ORDINARY", key: value}
    message = refused(write(tmp_path, [entry("e", applies_to=[applies])]))
    assert "nodes[0]" in message and "(e)" in message and key in message and value in message


@pytest.mark.parametrize("rungs", [[7, 0], [-3], [15, 7, -1]])
def test_non_positive_rung(tmp_path, rungs):
    message = refused(write(tmp_path, [entry("first"), entry("r", warning_rungs=rungs)]))
    assert "nodes[1]" in message and "(r)" in message and "warning_rungs" in message


def test_non_numeric_rung(tmp_path):
    path = write(tmp_path, [entry("r", warning_rungs=["three"])])
    with pytest.raises(CatalogError) as info:
        load(path)
    assert str(path) in str(info.value) and "warning_rungs" in str(info.value)


def test_applies_to_item_missing_procedure(tmp_path):
    path = write(tmp_path, [entry("e", applies_to=[{"case_type": "CIVIL"}])])
    with pytest.raises(CatalogError) as info:
        load(path)
    assert str(path) in str(info.value) and "procedure" in str(info.value)


def test_duplicate_code(tmp_path):
    message = refused(write(tmp_path, [entry("dup"), entry("other"), entry("dup")]))
    assert "nodes[2]" in message and "(dup)" in message and "duplicate code" in message


def test_not_yaml(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text('version: "1"\nnodes: [ {code: x\n  - : ]\n', encoding="utf-8")
    message = refused(path)
    assert "not valid YAML" in message


@pytest.mark.parametrize("text", ['version: "1"\n', "nodes: []\n", "- just\n- a list\n", "plain text\n"])
def test_missing_version_or_nodes(tmp_path, text):
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    message = refused(path)
    assert "version" in message and "nodes" in message


@pytest.mark.parametrize("nodes", [None, [5]])
def test_nodes_that_are_not_a_list_of_mappings(tmp_path, nodes):
    refused(write(tmp_path, nodes))


# -- which rules an event opens ------------------------------------------------------------------------

def test_opened_by_filters_the_shipped_catalog():
    civil_first = dict(case_type=CaseType.CASE_TYPE_CIVIL, procedure=Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY)
    codes = {r.code for r in SHIPPED.opened_by(CASE_FILED, **civil_first)}
    assert {"trial_time_limit", "serve_complaint_copy"} <= codes
    assert SHIPPED.opened_by((CaseEventType.CASE_EVENT_TYPE_ARCHIVED, ""), **civil_first) == []


def test_opened_by_filters_by_event_case_type_and_procedure(tmp_path):
    cat = load(write(tmp_path, [
        entry("civil_ordinary"),
        entry("civil_simplified", applies_to=[{"case_type": "CIVIL", "procedure": "SIMPLIFIED"}]),
        entry("both", applies_to=[{"case_type": "CIVIL", "procedure": "SIMPLIFIED"},
                                  {"case_type": "ADMINISTRATIVE", "procedure": "FIRST_INSTANCE_ORDINARY"}]),
        entry("on_hearing", opened_by={"event": "HEARING_SCHEDULED"}),
        entry("any_civil", applies_to=[{"case_type": "CIVIL", "procedure": "ANY"}],
              opened_by={"event": "DOCUMENT_SERVED", "document": "judgment"}),
    ]))

    def codes(event, case_type, procedure):
        return [r.code for r in cat.opened_by(event, case_type=case_type, procedure=procedure)]

    civil, admin = CaseType.CASE_TYPE_CIVIL, CaseType.CASE_TYPE_ADMINISTRATIVE
    ordinary, simplified = Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, Procedure.PROCEDURE_SIMPLIFIED
    assert codes(CASE_FILED, civil, ordinary) == ["civil_ordinary"]
    assert codes(CASE_FILED, civil, simplified) == ["civil_simplified", "both"]
    assert codes(CASE_FILED, admin, ordinary) == ["both"]
    assert codes(CASE_FILED, admin, simplified) == []          # the pair must match, not each half
    assert codes(HEARING_SCHEDULED, civil, ordinary) == ["on_hearing"]
    assert codes(HEARING_SCHEDULED, civil, simplified) == []
    served = CaseEventType.CASE_EVENT_TYPE_DOCUMENT_SERVED
    assert codes((served, "judgment"), civil, simplified) == ["any_civil"]   # ANY procedure
    assert codes((served, "judgment"), admin, ordinary) == []
    assert codes((served, "complaint_copy"), civil, ordinary) == []         # another document



def test_check_at_closing_is_a_flag(tmp_path):
    (rule,) = load(write(tmp_path, [entry("c", check_at_closing=True)])).rules
    assert rule.check_at_closing
    assert "check_at_closing" in refused(write(tmp_path, [entry("c", check_at_closing="yes")]))


def test_the_shipped_committee_submission_is_checked_at_closing():
    assert {r.code for r in load().rules if r.check_at_closing} == {"committee_submission"}


def test_repeats_is_a_flag_and_hearing_nodes_repeat(tmp_path):
    (rule,) = load(write(tmp_path, [entry("r", repeats=True)])).rules
    assert rule.repeats and not load().rule("trial_time_limit").repeats
    assert load().rule("serve_hearing_summons").repeats
    assert "repeats" in refused(write(tmp_path, [entry("r", repeats=1)]))


def test_a_warning_as_early_as_the_period_is_long_is_refused(tmp_path):
    # It would fire the moment the node opens (issue 19, item 11).
    with pytest.raises(CatalogError, match="fewer days than the period 15d"):
        load(write(tmp_path, [entry(warning_rungs=[15, 3])]))
    with pytest.raises(CatalogError, match="period: 「9999y」：期间不能超过 5 年"):
        load(write(tmp_path, [entry(period="9999y")]))


# -- issue 15, item 4: whether a last day rolls is a property of the rule ------------------------------

def _opened(code: str, anchor: str, custody: bool = False):
    """The deadline a node of `code` opens with (deadlines.for_rule, as the node service counts it)."""
    from datetime import date

    from services.node.calendar import HolidayCalendar
    from services.node.deadlines import for_rule

    return for_rule(SHIPPED.rule(code), anchor=date.fromisoformat(anchor), calendar=HolidayCalendar.builtin(),
                    held=custody)


@pytest.mark.parametrize("code, anchor, due", [
    # 民诉法解释第四百八十五条: a freeze or seizure must be renewed before it lapses; its last day
    # does not roll. Frozen 2025-10-01: lapses 2026-10-01, National Day — due that day, not 10-08.
    ("funds_freeze_renewal", "2025-10-01", "2026-10-01"),
    # Real estate seized 2023-02-15: three years end 2026-02-15, Spring Festival — not 02-24.
    ("real_estate_seizure_renewal", "2023-02-15", "2026-02-15"),
    # A period a party or the court acts within still rolls: serving a judgment from 2026-09-21
    # (10 days → National Day 2026-10-01) is due 2026-10-08.
    ("serve_judgment_civil", "2026-09-21", "2026-10-08"),
])
def test_renewals_are_due_on_the_lapse_day_civil_interpretation_485(code, anchor, due):
    from datetime import date

    deadline = _opened(code, anchor)
    assert deadline.due == date.fromisoformat(due)
    assert ("本期间按规则不适用节假日顺延" in deadline.explanation) is (not SHIPPED.rule(code).rollover)


def test_rollover_is_a_flag_and_only_measures_that_lapse_disable_it(tmp_path):
    assert load(write(tmp_path, [entry(rollover=False)])).rules[0].rollover is False
    assert load(write(tmp_path, [entry()])).rules[0].rollover is True
    assert "rollover must be true or false" in refused(write(tmp_path, [entry(rollover="no")]))
    assert {r.code for r in SHIPPED.rules if not r.rollover} == {"funds_freeze_renewal", "real_estate_seizure_renewal"}


def test_a_detained_defendants_other_periods_roll_criminal_procedure_law_105():
    """刑事诉讼法第一百零五条's exception covers the custody terms only: in a custody case the trial
    limit keeps its day, every other period — serving the judgment, the appeal steps — rolls."""
    from datetime import date

    assert _opened("trial_time_limit_criminal_simplified", "2026-09-11", custody=True).due == date(2026, 10, 1)
    assert _opened("serve_judgment_criminal", "2026-09-26", custody=True).due == date(2026, 10, 8)
    assert all(not r.custody_term for r in SHIPPED.rules if "appeal" in r.code or r.code.startswith("effective_"))


def test_the_urgent_preservation_rulings_count_hours_civil_procedure_law_104():
    rule = SHIPPED.rule("pre_litigation_preservation_ruling")
    assert str(rule.period) == "48h"
    from datetime import date

    # Applied for on 2025-09-29: 48 hours from that day's last hour end at 24:00 on 10-01, a holiday.
    assert _opened("pre_litigation_preservation_ruling", "2025-09-29").due == date(2025, 10, 1)


# -- issue 15, item 10: no appeal nodes on final decisions ---------------------------------------------

APPEALED = (CaseEventType.CASE_EVENT_TYPE_APPEALED, "")


@pytest.mark.parametrize("case_type, procedure, appealable", [
    (CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, True),
    (CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_SIMPLIFIED, True),
    (CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_SMALL_CLAIMS, False),      # 民事诉讼法第一百六十五条
    (CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_SPECIAL, False),           # 第一百八十五条
    (CaseType.CASE_TYPE_CIVIL, Procedure.PROCEDURE_SECOND_INSTANCE, False),   # 第一百八十二条
    (CaseType.CASE_TYPE_ADMINISTRATIVE, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, True),
    (CaseType.CASE_TYPE_ADMINISTRATIVE, Procedure.PROCEDURE_SECOND_INSTANCE, False),
    (CaseType.CASE_TYPE_CRIMINAL, Procedure.PROCEDURE_FAST_TRACK, True),       # 速裁 judgments are appealable
    (CaseType.CASE_TYPE_CRIMINAL, Procedure.PROCEDURE_SECOND_INSTANCE, False),  # 刑事诉讼法第二百四十四条
    (CaseType.CASE_TYPE_EXECUTION, Procedure.PROCEDURE_EXECUTION_OBJECTION, False),  # 复议 or 异议之诉
])
def test_appeal_nodes_open_only_where_an_appeal_lies_civil_procedure_law_165_182_185(case_type, procedure,
                                                                                     appealable):
    opened = SHIPPED.opened_by(APPEALED, case_type=case_type, procedure=procedure)
    assert bool(opened) is appealable, [r.code for r in opened]


# -- issue 15, items 6–8: counted from the end of other periods ----------------------------------------

@pytest.mark.parametrize("code, served, anchor, due", [
    # 民事诉讼法第一百七十一条、民诉法解释第二百四十四条: 15 days from this party's service, rolled,
    # then 5 days to register. Served 2026-02-01: 02-16 is Spring Festival → 02-24; + 5 = 03-01, a
    # Sunday → 03-02. A single 20-day period said 02-21 → 02-24: the last day of the appeal itself.
    ("effective_registration_civil_judgment", "2026-02-01", "2026-02-24", "2026-03-02"),
    # 行政诉讼法第八十五条: a ruling, 10 days. Served 2025-09-21: 10-01 → 10-09; + 5 = 10-14.
    ("effective_registration_administrative_ruling", "2025-09-21", "2025-10-09", "2025-10-14"),
    # 刑事诉讼法第二百三十条: a ruling, 5 days from receipt. Served 2026-02-10: 02-15 → 02-24; + 5.
    ("effective_registration_criminal_ruling", "2026-02-10", "2026-02-24", "2026-03-02"),
    # A criminal judgment, 10 days: 2024-09-21 → 10-01 (National Day 2024, rest to 10-07) → 10-08; + 5.
    ("effective_registration_criminal_judgment", "2024-09-21", "2024-10-08", "2024-10-14"),
])
def test_effectiveness_counts_from_the_rolled_end_of_the_appeal_period_civil_procedure_law_171(code, served,
                                                                                               anchor, due):
    from datetime import date

    from services.node.calendar import HolidayCalendar
    from services.node.deadlines import for_rule, opening_anchor

    rule, calendar = SHIPPED.rule(code), HolidayCalendar.builtin()
    start = opening_anchor(rule, event_date=date.fromisoformat(served), filing_date=None, calendar=calendar, anchors={})
    assert start == date.fromisoformat(anchor)
    assert for_rule(rule, anchor=start, calendar=calendar, held=True).due == date.fromisoformat(due)


@pytest.mark.parametrize("code, nodes, appealed, anchor", [
    # 法释〔2000〕29号第十五条: forwarded 3 days after the last appeal or protest period expires.
    ("appeal_transfer_criminal", {"effective_registration_criminal_judgment": "2026-07-13"}, "2026-07-02", "2026-07-13"),
    ("serve_appeal_copy_criminal", {"effective_registration_criminal_ruling": "2026-07-06"}, "2026-07-02", "2026-07-06"),
    # 诉讼费用交纳办法第二十二条: the 7 days to pay run from the notice sent as the appeal period ends.
    ("appeal_fee_payment", {"effective_registration_civil_judgment": "2026-05-06"}, "2026-04-28", "2026-05-06"),
    # An appeal recorded before any service: counted from the appeal, as before.
    ("appeal_fee_payment", {}, "2026-04-28", "2026-04-28"),
])
def test_appeal_steps_count_from_the_end_of_the_appeal_period_fashi_2000_29_art_15(code, nodes, appealed, anchor):
    from datetime import date

    from services.node.calendar import HolidayCalendar
    from services.node.deadlines import opening_anchor

    held = {c: date.fromisoformat(d) for c, d in nodes.items()}
    assert opening_anchor(SHIPPED.rule(code), event_date=date.fromisoformat(appealed), filing_date=None,
                          calendar=HolidayCalendar.builtin(), anchors=held) == date.fromisoformat(anchor)


@pytest.mark.parametrize("overrides, message", [
    ({"anchor": "period_end"}, "anchor period_end needs anchor_period"),
    ({"anchor": "period_end", "anchor_period": "15x"}, "anchor period_end needs anchor_period"),
    ({"anchor_period": "15d"}, "anchor_period belongs to anchor period_end"),
    ({"anchor": "node_anchor"}, "anchor node_anchor needs anchor_nodes"),
    ({"anchor": "node_anchor", "anchor_nodes": ["no_such_node"]}, "anchor_nodes 'no_such_node'"),
    ({"anchor_nodes": ["answer_period"]}, "anchor_nodes belongs to anchor node_anchor"),
])
def test_anchors_on_other_periods_are_checked(tmp_path, overrides, message):
    assert message in refused(write(tmp_path, [entry(code="x", **overrides)]))


def test_the_execution_notice_counts_from_receipt_of_the_application_civil_interpretation_480():
    """民诉法解释第四百八十条: within ten days of receiving the application, not of filing it."""
    from datetime import date

    from services.node.calendar import HolidayCalendar
    from services.node.deadlines import for_rule, opening_anchor

    rule, calendar = SHIPPED.rule("serve_execution_notice"), HolidayCalendar.builtin()
    # Received Fri 2026-09-18, filed Fri 09-25: 09-18 + 10 = Mon 09-28, not 10-05 → 10-08.
    start = opening_anchor(rule, event_date=date(2026, 9, 25), filing_date=date(2026, 9, 25), calendar=calendar,
                           anchors={"filing_review_execution": date(2026, 9, 18)})
    assert for_rule(rule, anchor=start, calendar=calendar, held=False).due == date(2026, 9, 28)
    # Handed over for execution (no application received): from the filing.
    assert opening_anchor(rule, event_date=date(2026, 9, 25), filing_date=date(2026, 9, 25), calendar=calendar,
                          anchors={}) == date(2026, 9, 25)


def test_a_creditors_petition_is_decided_ten_days_after_the_objection_period_bankruptcy_law_10():
    """企业破产法第十条: the debtor objects within 7 days of the notice; the court decides within 10
    days after that period ends. Notified 2025-09-26: 10-03 is National Day → 10-09; + 10 = Sun
    10-19 → Mon 10-20. The 15-day review of a debtor's own petition gives way to it."""
    from datetime import date

    from services.node.calendar import HolidayCalendar
    from services.node.deadlines import for_rule, opening_anchor

    rule, calendar = SHIPPED.rule("bankruptcy_acceptance_review_creditor"), HolidayCalendar.builtin()
    start = opening_anchor(rule, event_date=date(2025, 9, 26), filing_date=None, calendar=calendar, anchors={})
    assert (start, for_rule(rule, anchor=start, calendar=calendar, held=False).due) == (date(2025, 10, 9),
                                                                                       date(2025, 10, 20))
    notice = (CaseEventType.CASE_EVENT_TYPE_DOCUMENT_SERVED, "bankruptcy_application_notice")
    assert rule.opens_on(notice) and SHIPPED.rule("bankruptcy_acceptance_review").completed_by_event(notice)


# -- settings: a court's value a check reads, not a node ----------------------------------------------

def setting(**more) -> dict:
    e = {"code": "hearing_minimum_interval", "display_name": "同案两次开庭最短间隔", "setting": True,
         "stage": "PRE_TRIAL", "category": "开庭排期", "process": "开庭排期监督", "period": "1d",
         "legal_basis": "（法院管理规定）同一案件两次开庭之间的最短间隔"}
    e.update(more)
    return e


def test_a_setting_opens_no_node(tmp_path):
    """The minimum between two hearings is court policy (法释〔2018〕9号 sets only a maximum): the shipped
    catalogue has it as a setting of one day (none), which no event opens."""
    (rule,) = load(write(tmp_path, [setting()])).rules
    assert rule.setting and rule.period == Period.parse("1d")
    assert not rule.opens_on(HEARING_SCHEDULED) and not rule.opens_on((0, ""))
    shipped = SHIPPED.rule("hearing_minimum_interval")
    assert shipped.setting and str(shipped.period) == "1d" and not shipped.statutory
    assert all(not r.setting for r in SHIPPED.opened_by(HEARING_SCHEDULED, case_type=CaseType.CASE_TYPE_CIVIL,
                                                        procedure=Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY))


def test_a_setting_gives_its_stage_no_category_to_show(tmp_path):
    """A stage view (P2) chooses which categories of nodes a stage shows: a setting opens no node, so
    its category is no choice there (else a stage could be left showing nothing but it)."""
    from services.node.court_rules import categories_by_stage
    views = categories_by_stage(load(write(tmp_path, [setting(category="开庭间隔设置")])))
    assert views[Stage.STAGE_PRE_TRIAL] == []


@pytest.mark.parametrize("field, value", [("opened_by", {"event": "HEARING_SCHEDULED"}), ("warning_rungs", [1]),
                                          ("overdue_action", "lock")])
def test_a_setting_has_no_node_fields(tmp_path, field, value):
    assert f"a setting opens no node and has no {field}" in refused(write(tmp_path, [setting(**{field: value})]))
