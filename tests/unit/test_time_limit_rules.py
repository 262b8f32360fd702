"""Time-limit change rules (S4, S6, S11): authority levels, the extension steps of DOMAIN §2, the
supervision warnings, and extensions in the period arithmetic."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from courtflow.common.v1.caller_pb2 import Caller, Role
from courtflow.node.v1.node_pb2 import ApplicationKind

from services.node import catalog, time_limits
from services.node.calendar import HolidayCalendar
from services.node.periods import Extension, Exclusion, Period, Unit, compute_deadline
from services.node.time_limits import ClockFacts, Level

K = ApplicationKind
RULES = time_limits.load(catalog.load())
CIVIL_DEPT = "courts/440101/departments/440101-civil1"


def facts(**overrides) -> ClockFacts:
    values = dict(node_type="trial_time_limit", node_court="440101", due_date=date(2026, 9, 2),
                  approved_extensions=0, change_count=0, kind=K.APPLICATION_KIND_EXTENSION, today=date(2026, 8, 1),
                  extension=Period(6, Unit.MONTHS), materials=("审批表",))
    values.update(overrides)
    return ClockFacts(**values)


def warning_codes(f: ClockFacts) -> list[str]:
    return [w.code for w in time_limits.application_warnings(RULES, f)]


def caller(role: int, court: str, department: str = "") -> Caller:
    return Caller(user="users/x", role=role, court=court, department=department)


def test_shipped_rules_load_against_the_shipped_catalogue():
    assert RULES.is_time_limit("trial_time_limit") and not RULES.is_time_limit("serve_complaint_copy")
    assert RULES.extensions["trial_time_limit_civil_ruling_appeal"] == ()


@pytest.mark.parametrize("node_type, approved, court, expected", [
    ("trial_time_limit", 0, "440101", Level.PRESIDENT),              # +6 months: this court's president
    ("trial_time_limit", 1, "440101", Level.HIGHER_COURT),           # more: the higher court
    ("trial_time_limit_criminal_first_instance", 5, "440101", Level.SUPREME_COURT),  # the open-ended last step repeats
    ("trial_time_limit", 2, "440101", Level.SUPREME_COURT),          # the higher court's 3 months, once (法释〔2000〕29号)
    ("trial_time_limit", 1, "44", Level.SUPREME_COURT),              # tried at the high court: the SPC
    ("trial_time_limit_criminal_second_instance", 0, "4401", Level.HIGH_COURT),
    ("trial_time_limit_administrative_first_instance", 0, "44", Level.SUPREME_COURT),
    ("trial_time_limit_civil_simplified", 1, "440101", Level.SUPREME_COURT),  # no step left: nobody may
])
def test_required_approver_follows_the_steps_of_domain_2(node_type, approved, court, expected):
    f = facts(node_type=node_type, approved_extensions=approved, node_court=court, extension=Period(1, Unit.MONTHS))
    assert time_limits.required_level(RULES, f) is expected


def test_other_kinds_take_the_default_approvers():
    for kind in (K.APPLICATION_KIND_SUSPENSION, K.APPLICATION_KIND_DEDUCTION, K.APPLICATION_KIND_UNLOCK):
        assert time_limits.required_level(RULES, facts(kind=kind, extension=None)) is Level.VICE_PRESIDENT


def test_a_clean_first_extension_has_no_warnings():
    assert warning_codes(facts()) == []


@pytest.mark.parametrize("overrides, code", [
    (dict(change_count=1), "SECOND_CHANGE"),
    (dict(materials=()), "MISSING_MATERIAL"),
    (dict(extension=Period(7, Unit.MONTHS)), "EXCEEDS_RULES"),          # the first step allows 6 months
    (dict(node_type="trial_time_limit_civil_ruling_appeal", extension=Period(10, Unit.DAYS)), "EXCEEDS_RULES"),
    (dict(node_type="trial_time_limit_civil_simplified", approved_extensions=1,
          extension=Period(1, Unit.MONTHS)), "EXCEEDS_RULES"),         # once only
    (dict(today=date(2026, 8, 24)), "LATE_APPLICATION"),               # 10 days before 09-02 is 08-23
    (dict(today=date(2026, 9, 3)), "LATE_APPLICATION"),                # after the limit ended
])
def test_each_supervision_warning(overrides, code):
    assert code in warning_codes(facts(**overrides))


def test_lead_time_boundary_is_inclusive():
    assert "LATE_APPLICATION" not in warning_codes(facts(today=date(2026, 8, 23)))


def test_deduction_beyond_the_reasons_maximum():
    base = dict(kind=K.APPLICATION_KIND_DEDUCTION, extension=None, reason_code="new_defender",
                start=date(2026, 3, 10))
    assert "EXCEEDS_RULES" not in warning_codes(facts(**base, end=date(2026, 3, 20)))   # 10 days allowed
    assert "EXCEEDS_RULES" in warning_codes(facts(**base, end=date(2026, 3, 21)))
    month = dict(base, reason_code="adjournment", start=date(2026, 1, 31))
    assert "EXCEEDS_RULES" not in warning_codes(facts(**month, end=date(2026, 2, 28)))  # month-end rule
    assert "EXCEEDS_RULES" in warning_codes(facts(**month, end=date(2026, 3, 1)))


def test_resumption_and_unlock_are_not_second_changes():
    for kind in (K.APPLICATION_KIND_RESUMPTION, K.APPLICATION_KIND_UNLOCK):
        assert "SECOND_CHANGE" not in warning_codes(facts(kind=kind, change_count=3, extension=None))


@pytest.mark.parametrize("who, expected", [
    (caller(Role.ROLE_PRESIDENT, "440101"), Level.PRESIDENT),
    (caller(Role.ROLE_VICE_PRESIDENT, "440101"), Level.VICE_PRESIDENT),
    (caller(Role.ROLE_DIVISION_HEAD, "440101", CIVIL_DEPT), Level.DIVISION_HEAD),
    (caller(Role.ROLE_DIVISION_HEAD, "440101", "courts/440101/departments/440101-criminal"), None),
    (caller(Role.ROLE_PRESIDENT, "4401"), Level.HIGHER_COURT),
    (caller(Role.ROLE_PRESIDENT, "44"), Level.HIGH_COURT),
    (caller(Role.ROLE_PRESIDENT, "440102"), None),        # a neighbouring court
    (caller(Role.ROLE_PRESIDENT, "4402"), None),          # another region's intermediate court
    (caller(Role.ROLE_JUDGE, "440101"), None),
    (caller(Role.ROLE_TRIAL_MANAGEMENT, "440101"), None),
])
def test_approver_level(who, expected):
    assert time_limits.approver_level(who, node_court="440101", node_department=CIVIL_DEPT) == expected


def test_approval_below_the_required_level_is_flagged():
    assert [w.code for w in time_limits.approval_warnings(RULES, facts(), Level.VICE_PRESIDENT)] == ["BEYOND_AUTHORITY"]
    assert time_limits.approval_warnings(RULES, facts(), Level.PRESIDENT) == []
    # A second extension is the higher court's: its president (or the high court's) approves.
    assert time_limits.approval_warnings(RULES, facts(approved_extensions=1), Level.HIGH_COURT) == []


def test_a_higher_courts_president_is_not_this_courts_president():
    """The first extension is for 本院院长: the higher court approving it instead is flagged
    (issue 19, item 7: president.44 approved a 440302 case's first extension without a warning)."""
    found = time_limits.approval_warnings(RULES, facts(), Level.HIGH_COURT)
    assert [w.code for w in found] == ["BEYOND_AUTHORITY"] and "不是本院的审批权限" in found[0].message


def test_rules_naming_an_unknown_node_are_refused(tmp_path: Path):
    bad = tmp_path / "limits.yaml"
    bad.write_text(time_limits.DEFAULT_PATH.read_text(encoding="utf-8").replace(
        "  trial_time_limit:\n", "  trial_time_limt:\n", 1), encoding="utf-8")
    with pytest.raises(time_limits.TimeLimitRulesError, match=r"limits\.trial_time_limt: no node"):
        time_limits.load(catalog.load(), bad)


def test_rules_with_an_unknown_approver_name_the_entry(tmp_path: Path):
    bad = tmp_path / "limits.yaml"
    bad.write_text(time_limits.DEFAULT_PATH.read_text(encoding="utf-8").replace(
        "{max: 6m, approver: president, lead_days: 10}", "{max: 6m, approver: chief, lead_days: 10}", 1),
        encoding="utf-8")
    with pytest.raises(time_limits.TimeLimitRulesError, match=r"trial_time_limit\.extensions\[0\]: approver 'chief'"):
        time_limits.load(catalog.load(), bad)


CAL = HolidayCalendar()


def test_month_extension_counts_from_the_anchor_so_the_month_end_rule_applies_once():
    # 2026-08-31 + 6 months → 2027-02-28; extended by 6 months: 12 months → 2027-08-31 (not 08-28).
    d = compute_deadline(start=date(2026, 8, 31), period=Period(6, Unit.MONTHS), calendar=CAL, rollover=False,
                         extensions=[Extension(Period(6, Unit.MONTHS), "院长批准")])
    assert d.due == date(2027, 8, 31)
    assert any("延长：6个月（院长批准）" in line for line in d.explanation)


def test_day_extension_then_deductions_then_one_roll():
    # 2026-03-02 + 15 days = 03-17; +10 days = 03-27; minus a 2-day span → 03-29, a Sunday → 03-30.
    d = compute_deadline(start=date(2026, 3, 2), period=Period(15, Unit.DAYS), calendar=CAL,
                         extensions=[Extension(Period(10, Unit.DAYS))],
                         exclusions=[Exclusion(date(2026, 3, 5), date(2026, 3, 7))])
    assert (d.unrolled_due, d.due) == (date(2026, 3, 29), date(2026, 3, 30))


def test_extensions_refuse_working_day_periods_and_years():
    with pytest.raises(ValueError):
        compute_deadline(start=date(2026, 3, 2), period=Period(7, Unit.WORKING_DAYS), calendar=CAL,
                         extensions=[Extension(Period(3, Unit.DAYS))])
    with pytest.raises(ValueError):
        Extension(Period(1, Unit.YEARS))


# -- issue 15: caps, lead times and deduction reasons of 法释〔2000〕29号 and the procedure laws ---------

@pytest.mark.parametrize("node_type, approved, extension, exceeds", [
    # 法释〔2000〕29号第二条: civil first instance +6 months, then the higher court +3 months, no more.
    ("trial_time_limit", 1, Period(3, Unit.MONTHS), False),
    ("trial_time_limit", 1, Period(4, Unit.MONTHS), True),
    ("trial_time_limit", 2, Period(1, Unit.MONTHS), True),
    # civil second instance: +3 months by this court's president, once.
    ("trial_time_limit_civil_second_instance", 0, Period(3, Unit.MONTHS), False),
    ("trial_time_limit_civil_second_instance", 0, Period(4, Unit.MONTHS), True),
    ("trial_time_limit_civil_second_instance", 1, Period(1, Unit.MONTHS), True),
    # special procedure: +30 days.
    ("trial_time_limit_civil_special", 0, Period(30, Unit.DAYS), False),
    ("trial_time_limit_civil_special", 0, Period(31, Unit.DAYS), True),
    # 刑事诉讼法第二百二十五条: fast-track 10 days, up to 15.
    ("trial_time_limit_criminal_fast_track", 0, Period(5, Unit.DAYS), False),
    ("trial_time_limit_criminal_fast_track", 0, Period(6, Unit.DAYS), True),
    ("trial_time_limit_criminal_fast_track", 1, Period(1, Unit.DAYS), True),
])
def test_extension_caps_of_the_time_limit_rules_fashi_2000_29_art_2(node_type, approved, extension, exceeds):
    f = facts(node_type=node_type, approved_extensions=approved, extension=extension, today=date(2026, 3, 1),
              due_date=date(2026, 9, 2))
    assert ("EXCEEDS_RULES" in warning_codes(f)) is exceeds


@pytest.mark.parametrize("node_type, today, late", [
    # 执行案件: apply five days before the limit ends (法发〔2006〕35号); due 2026-09-02.
    ("execution_time_limit", date(2026, 8, 28), False),
    ("execution_time_limit", date(2026, 8, 29), True),
    ("execution_time_limit_non_litigation", date(2026, 8, 29), True),
])
def test_execution_extensions_are_applied_for_five_days_ahead(node_type, today, late):
    f = facts(node_type=node_type, extension=Period(3, Unit.MONTHS), today=today, due_date=date(2026, 9, 2))
    assert ("LATE_APPLICATION" in warning_codes(f)) is late


def test_deduction_reasons_of_criminal_procedure_law_235_and_civil_interpretation_243():
    """刑事诉讼法第二百三十五条: the prosecutor's file review is excluded whole, up to one month;
    民诉法解释第二百四十三条: the parties' settlement period is excluded; administrative mediation too."""
    review = RULES.reasons["prosecutor_file_review"]
    assert "超过七日" not in review.label and review.max == Period(1, Unit.MONTHS)
    assert {"settlement", "administrative_mediation"} <= RULES.reasons.keys()
    base = dict(kind=K.APPLICATION_KIND_DEDUCTION, extension=None, reason_code="prosecutor_file_review",
                start=date(2026, 3, 31), materials=("阅卷函",))
    assert "EXCEEDS_RULES" not in warning_codes(facts(**base, end=date(2026, 4, 30)))
    assert "EXCEEDS_RULES" in warning_codes(facts(**base, end=date(2026, 5, 1)))


@pytest.mark.parametrize("node_type, approved, court, approver, extends", [
    # 民事诉讼法第一百五十二条: this court's president extends the first six months.
    ("trial_time_limit", 0, "440101", Level.PRESIDENT, True),
    ("trial_time_limit", 0, "440101", Level.VICE_PRESIDENT, False),
    ("trial_time_limit", 0, "440101", Level.HIGHER_COURT, False),       # not this court's president
    # ... and the higher court the next step: this court's president cannot.
    ("trial_time_limit", 1, "440101", Level.PRESIDENT, False),
    ("trial_time_limit", 1, "440101", Level.HIGHER_COURT, True),
    # 刑事诉讼法第二百四十三条: the high court extends a criminal appeal.
    ("trial_time_limit_criminal_second_instance", 0, "4401", Level.HIGHER_COURT, False),
    ("trial_time_limit_criminal_second_instance", 0, "4401", Level.HIGH_COURT, True),
    # 行政诉讼法第八十一条: the high court, or the SPC for a case the high court tries.
    ("trial_time_limit_administrative_first_instance", 0, "440101", Level.HIGH_COURT, True),
    ("trial_time_limit_administrative_first_instance", 0, "44", Level.HIGH_COURT, False),
    # A limit the law does not let be extended stays, whoever approves.
    ("trial_time_limit_civil_ruling_appeal", 0, "440101", Level.SUPREME_COURT, False),
    ("trial_time_limit_civil_simplified", 1, "440101", Level.SUPREME_COURT, False),
])
def test_an_approval_beyond_authority_does_not_extend_civil_procedure_law_152(node_type, approved, court, approver,
                                                                             extends):
    extension = Period(10, Unit.DAYS) if node_type.endswith("ruling_appeal") else Period(1, Unit.MONTHS)
    f = facts(node_type=node_type, approved_extensions=approved, node_court=court, extension=extension)
    found = time_limits.unextended(RULES, f, approver)
    assert (found is None) is extends
    if found:
        assert found.code == "LIMIT_NOT_EXTENDED" and "届满日不变" in found.message


def test_other_kinds_are_not_judged_as_extensions():
    f = facts(kind=K.APPLICATION_KIND_SUSPENSION, extension=None)
    assert time_limits.unextended(RULES, f, Level.DIVISION_HEAD) is None


def test_supplementary_investigation_restarts_the_limit_criminal_procedure_law_208(tmp_path: Path):
    """刑事诉讼法第二百零八条第三款: counted again, not deducted; the flag is checked on load."""
    assert RULES.reasons["supplementary_investigation"].restarts
    assert not any(r.restarts for code, r in RULES.reasons.items() if code != "supplementary_investigation")
    text = time_limits.DEFAULT_PATH.read_text(encoding="utf-8").replace(
        "max: 1m, restarts: true}", "max: 1m, restarts: sometimes}")
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(time_limits.TimeLimitRulesError, match="restarts must be true or false"):
        time_limits.load(catalog.load(), path)


@pytest.mark.parametrize("node_type, approved, court, late_on, in_time_on", [
    # 法释〔2000〕29号第十二条: civil, ten days before the limit ends, to the president and to the
    # higher court alike (the review's "15 days" has no basis there). The limit ends 2026-09-02.
    ("trial_time_limit", 0, "440101", date(2026, 8, 24), date(2026, 8, 23)),
    ("trial_time_limit", 1, "440101", date(2026, 8, 24), date(2026, 8, 23)),
    # 第十一条: criminal, seven days before, to the high court (here the higher court's step).
    ("trial_time_limit_criminal_first_instance", 1, "440101", date(2026, 8, 27), date(2026, 8, 26)),
    ("trial_time_limit_criminal_second_instance", 0, "4401", date(2026, 8, 27), date(2026, 8, 26)),
])
def test_lead_times_of_fashi_2000_29_art_11_12(node_type, approved, court, late_on, in_time_on):
    base = dict(node_type=node_type, approved_extensions=approved, node_court=court, extension=Period(1, Unit.MONTHS))
    assert "LATE_APPLICATION" in warning_codes(facts(**base, today=late_on))
    assert "LATE_APPLICATION" not in warning_codes(facts(**base, today=in_time_on))
