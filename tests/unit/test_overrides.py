"""Per-court rules (R4): overrides nest by court, each field resolving on its own."""
from __future__ import annotations

from datetime import datetime, timezone

from services.node import catalog
from services.node.overrides import Override, court_chain, effective
from services.node.periods import Period, Unit

RULE = catalog.load().rule("serve_complaint_copy")
T = datetime(2026, 3, 1, tzinfo=timezone.utc)


def override(court: str, **fields) -> Override:
    values = dict(period=None, warning_rungs=None, overdue_action=None)
    values.update(fields)
    return Override(court=court, code=RULE.code, update_user="users/tm", update_time=T, **values)


def test_court_chain_runs_from_the_court_up_to_the_high_court():
    assert court_chain("440101") == ["440101", "4401", "44"]
    assert court_chain("44") == ["44"]


def test_without_overrides_the_catalogue_holds():
    e = effective(RULE, "440101", [])
    assert e.rule == RULE and not e.overridden


def test_each_field_comes_from_the_most_specific_court_that_sets_it():
    found = [override("44", period=Period(10, Unit.DAYS), overdue_action="lock"),
             override("4401", period=Period(7, Unit.DAYS)),
             override("440101", warning_rungs=(1, 3))]
    e = effective(RULE, "440101", found)
    assert (e.rule.period, e.rule.warning_rungs, e.rule.overdue_action) == (Period(7, Unit.DAYS), (3, 1), "lock")
    assert e.override.court == "440101" and e.default == RULE


def test_overrides_of_other_courts_and_rules_do_not_apply():
    found = [override("440102", period=Period(9, Unit.DAYS)), override("4402", period=Period(8, Unit.DAYS)),
             Override(court="440101", code="trial_time_limit", period=Period(3, Unit.MONTHS), warning_rungs=None,
                      overdue_action=None, update_user="users/tm", update_time=T)]
    assert effective(RULE, "440101", found).rule == RULE


def test_an_empty_rung_list_turns_warnings_off_rather_than_inheriting():
    e = effective(RULE, "440101", [override("4401", warning_rungs=(5,)), override("440101", warning_rungs=())])
    assert e.rule.warning_rungs == ()
