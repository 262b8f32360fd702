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
    ("trial_time_limit", 5, "440101", Level.HIGHER_COURT),           # the open-ended last step repeats
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
