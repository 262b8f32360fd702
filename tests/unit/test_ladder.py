"""The escalation ladder (DOMAIN §5): when each rung fires and who each level tells."""
from __future__ import annotations

from datetime import date, datetime

from courtflow.common.v1.caller_pb2 import Role

from services.alert.recipients import Directory, Person, approver_seats, ladder_roles, parent_court
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


# -- who holds the roles: the directory as the alert service holds it in memory ----------------

COURT, CIVIL = "440101", "courts/440101/departments/440101-civil1"
CRIMINAL = "courts/440101/departments/440101-criminal1"


def person(user: str, role: Role, *, court: str = COURT, department: str = "", active: bool = True,
           absent: bool = False, deputy: str = "") -> Person:
    return Person(user=f"users/{user}", display_name=user, mobile="", court=court, department=department,
                  role=int(role), active=active, absent=absent, deputy=f"users/{deputy}" if deputy else "")


PEOPLE = [
    person("judge.1", Role.ROLE_JUDGE, department=CIVIL),
    person("head.civil", Role.ROLE_DIVISION_HEAD, department=CIVIL),
    person("head.criminal", Role.ROLE_DIVISION_HEAD, department=CRIMINAL),
    person("head.retired", Role.ROLE_DIVISION_HEAD, department=CIVIL, active=False),
    person("vp.b", Role.ROLE_VICE_PRESIDENT), person("vp.a", Role.ROLE_VICE_PRESIDENT),
    person("president", Role.ROLE_PRESIDENT),
    person("tmo.440101", Role.ROLE_TRIAL_MANAGEMENT),
    person("tmo.4401", Role.ROLE_TRIAL_MANAGEMENT, court="4401"),
]


def test_each_role_is_held_where_the_node_is_and_only_by_active_people():
    d = Directory(PEOPLE, {})
    at = dict(court=COURT, department=CIVIL)
    assert d.holders("division_head", **at) == ["users/head.civil"]
    assert d.holders("vice_president", **at) == ["users/vp.a", "users/vp.b"]
    assert d.holders("president", **at) == ["users/president"]
    assert d.holders("trial_management", **at) == ["users/tmo.440101"]
    assert d.holders("higher_trial_management", **at) == ["users/tmo.4401"]
    assert d.holders("higher_trial_management", court="44", department="") == []
    assert d.holders("no_such_role", **at) == []


def test_the_vice_president_in_charge_of_the_department_is_the_one_told():
    d = Directory(PEOPLE, {CIVIL: "users/vp.b", CRIMINAL: ""})
    assert d.holders("vice_president", court=COURT, department=CIVIL) == ["users/vp.b"]
    assert d.holders("vice_president", court=COURT, department=CRIMINAL) == ["users/vp.a", "users/vp.b"]


def test_an_absent_persons_reminders_go_to_their_deputy_at_most_three_hops_away():
    chain = [person("a", Role.ROLE_JUDGE, absent=True, deputy="b"), person("b", Role.ROLE_JUDGE, absent=True, deputy="c"),
             person("c", Role.ROLE_JUDGE, absent=True, deputy="d"), person("d", Role.ROLE_JUDGE, absent=True, deputy="e"),
             person("loop", Role.ROLE_JUDGE, absent=True, deputy="loop"), person("here", Role.ROLE_JUDGE, deputy="a")]
    d = Directory(chain, {})
    assert d.stand_in("users/c") == "users/e"        # d is away too: their deputy
    assert d.stand_in("users/a") == "users/d"        # three hops, then it stops
    assert d.stand_in("users/loop") == "users/loop"
    assert d.stand_in("users/here") == "users/here"  # present: reads their own
    assert d.stand_in("users/unknown") == "users/unknown"


def test_recipients_are_distinct_the_responsible_first():
    d = Directory(PEOPLE + [person("judge.away", Role.ROLE_JUDGE, department=CIVIL, absent=True,
                                   deputy="head.civil")], {})
    told = d.resolve(responsible=["users/judge.away"], roles=ladder_roles(1, ["division_head", "trial_management"]),
                     court=COURT, department=CIVIL)
    assert told == ["users/head.civil", "users/tmo.440101"]   # the deputy is the division head: told once
    assert d.display_name("users/judge.1") == "judge.1"
    assert d.display_name("users/nobody") == "nobody"
