"""The escalation ladder (DOMAIN §5): when each rung fires and who each level tells."""
from __future__ import annotations

from datetime import date, datetime

from services.alert.recipients import approver_seats, ladder_roles, parent_court
from services.common.clock import LEGAL_TZ
from services.node import deadlines

DUE = date(2026, 3, 9)


def test_escalation_rungs_fire_at_the_start_of_their_overdue_day():
    schedule = dict(deadlines.escalation_schedule(DUE, (91, 31)))
    assert schedule == {-31: datetime(2026, 4, 9, tzinfo=LEGAL_TZ), -91: datetime(2026, 6, 8, tzinfo=LEGAL_TZ)}
    assert deadlines.days_overdue(DUE, schedule[-31]) == 31


def test_levels_count_the_rungs_below_so_older_timers_keep_a_level():
    assert deadlines.escalation_level(-31, (31, 91)) == 2
    assert deadlines.escalation_level(-91, (31, 91)) == 3
    assert deadlines.escalation_level(-60, (31, 91)) == 3   # armed under a 30,60 setting


def test_a_later_escalation_supersedes_an_earlier_one_due_with_it():
    late = datetime(2026, 6, 20, tzinfo=LEGAL_TZ)
    assert deadlines.decide(rung=-31, due=DUE, rungs=[3], completed=False, now=late,
                            escalation_days=(31, 91)) is deadlines.Firing.SKIP
    assert deadlines.decide(rung=-91, due=DUE, rungs=[3], completed=False, now=late,
                            escalation_days=(31, 91)) is deadlines.Firing.ESCALATE
    assert deadlines.decide(rung=-91, due=DUE, rungs=[3], completed=True, now=late,
                            escalation_days=(31, 91)) is deadlines.Firing.SKIP


def test_warnings_tell_nobody_but_the_responsible():
    assert ladder_roles(0, ["division_head", "trial_management"]) == []


def test_the_ladder_adds_leaders_by_level_and_the_nodes_other_supervisors_from_day_one():
    supervisors = ["division_head", "vice_president", "trial_management"]
    assert ladder_roles(1, supervisors) == ["division_head", "trial_management"]
    assert ladder_roles(2, supervisors) == ["division_head", "vice_president", "trial_management"]
    assert ladder_roles(3, []) == ["division_head", "vice_president", "president", "higher_trial_management"]


def test_approvals_go_to_the_seat_the_rules_name():
    assert approver_seats("division_head", "440101") == (("division_head",), "440101")
    assert approver_seats("president", "440101") == (("president",), "440101")
    assert approver_seats("higher_court", "440101") == (("president", "vice_president"), "4401")
    assert approver_seats("high_court", "440101") == (("president", "vice_president"), "44")
    assert approver_seats("supreme_court", "4401") == (("president", "vice_president"), "44")
    assert parent_court("44") is None
