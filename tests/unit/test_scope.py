"""Scope rules (R2): who sees which court, department and case; permission is checked before existence."""
from __future__ import annotations

import pytest

from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel

from services.common.errors import PermissionDenied
from services.common.scope import can_see, covers_court, require_court, sees_whole_court

L = ScopeLevel
CIVIL1 = "courts/440101/departments/440101-civil1"
CIVIL2 = "courts/440101/departments/440101-civil2"
ME = "users/judge.440101.civil1.1"
OTHER = "users/judge.440101.civil1.2"


def caller(scope: int, prefix: str, *, court: str = "440101", department: str = CIVIL1, user: str = ME) -> Caller:
    return Caller(user=user, role=Role.ROLE_JUDGE, court=court, department=department, scope=scope,
                  scope_prefix=prefix)


OWN = caller(L.SCOPE_LEVEL_OWN, "440101")
DEPARTMENT = caller(L.SCOPE_LEVEL_DEPARTMENT, "440101", user="users/head.440101.civil1")
COURT = caller(L.SCOPE_LEVEL_COURT, "440101", department="")
REGION = caller(L.SCOPE_LEVEL_REGION, "4401", court="4401", department="")
PROVINCE = caller(L.SCOPE_LEVEL_PROVINCE, "44", court="44", department="")
NOBODY = caller(L.SCOPE_LEVEL_UNSPECIFIED, "44", court="44")


def sees(c: Caller, court: str = "440101", department: str = CIVIL1, owner: str = ME) -> bool:
    return can_see(c, court=court, department=department, owner=owner)


# -- own ---------------------------------------------------------------------------------------------

def test_own_scope_sees_only_own_cases_in_own_court():
    assert sees(OWN)
    assert not sees(OWN, owner=OTHER)
    assert not sees(OWN, department=CIVIL2, owner=OTHER)
    assert sees(OWN, department=CIVIL2)                # own case, even when filed to another department
    assert not sees(OWN, court="440102")               # same user name, other court


def test_own_scope_covers_only_its_court():
    assert covers_court(OWN, "440101")
    assert not covers_court(OWN, "440102") and not covers_court(OWN, "4401") and not covers_court(OWN, "4401011")


# -- department -------------------------------------------------------------------------------------

def test_department_scope_sees_the_department():
    assert sees(DEPARTMENT, owner=OTHER)
    assert sees(DEPARTMENT, owner=ME)
    assert not sees(DEPARTMENT, department=CIVIL2, owner=OTHER)
    assert not sees(DEPARTMENT, department=CIVIL2, owner=DEPARTMENT.user)  # not by ownership
    assert not sees(DEPARTMENT, court="440102")


def test_department_scope_covers_its_court_but_not_the_whole_court():
    assert covers_court(DEPARTMENT, "440101") and not covers_court(DEPARTMENT, "440102")
    assert not sees_whole_court(DEPARTMENT, "440101")


# -- court --------------------------------------------------------------------------------------------

def test_court_scope_sees_everything_in_the_court_only():
    assert sees(COURT, department=CIVIL2, owner=OTHER)
    assert not sees(COURT, court="440102", department="courts/440102/departments/440102-civil1")
    assert not sees(COURT, court="4401")


def test_court_scope_sees_the_whole_court():
    assert sees_whole_court(COURT, "440101") and not sees_whole_court(COURT, "440102")


# -- region ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("court, expected", [("4401", True), ("440101", True), ("440115", True),
                                             ("440201", False), ("4402", False), ("44", False), ("450101", False)])
def test_region_scope_is_a_court_id_prefix(court, expected):
    assert covers_court(REGION, court) is expected
    assert sees(REGION, court=court, department=f"courts/{court}/departments/x", owner=OTHER) is expected
    assert sees_whole_court(REGION, court) is expected


# -- province -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("court, expected", [("44", True), ("4401", True), ("440201", True), ("4420", True),
                                             ("45", False), ("450101", False), ("4", False)])
def test_province_scope_is_the_province_prefix(court, expected):
    assert covers_court(PROVINCE, court) is expected
    assert sees(PROVINCE, court=court, department="", owner=OTHER) is expected


# -- no scope -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("court", ["44", "4401", "440101"])
def test_unspecified_scope_sees_nothing(court):
    assert not covers_court(NOBODY, court)
    assert not sees(NOBODY, court=court, owner=NOBODY.user)
    assert not sees_whole_court(NOBODY, court)


@pytest.mark.parametrize("level", [L.SCOPE_LEVEL_OWN, L.SCOPE_LEVEL_DEPARTMENT, L.SCOPE_LEVEL_COURT,
                                   L.SCOPE_LEVEL_REGION, L.SCOPE_LEVEL_PROVINCE])
def test_empty_prefix_sees_nothing(level):
    c = caller(level, "")
    assert not covers_court(c, "440101")
    assert not sees(c)
    with pytest.raises(PermissionDenied):
        require_court(c, "440101")


# -- require_court: permission before existence ---------------------------------------------------------

@pytest.mark.parametrize("c, court", [(OWN, "440102"), (DEPARTMENT, "440102"), (COURT, "440102"),
                                      (REGION, "440201"), (REGION, "44"), (PROVINCE, "450101"), (NOBODY, "440101")])
def test_require_court_denies_a_court_outside_the_scope(c, court):
    with pytest.raises(PermissionDenied) as info:
        require_court(c, court)
    assert info.value.reason == "OUT_OF_SCOPE"


@pytest.mark.parametrize("c, court", [(OWN, "440101"), (DEPARTMENT, "440101"), (COURT, "440101"),
                                      (REGION, "440101"), (REGION, "4401"), (PROVINCE, "440201")])
def test_require_court_allows_a_court_in_scope(c, court):
    assert require_court(c, court) is None


@pytest.mark.parametrize("c", [OWN, DEPARTMENT, COURT, REGION, PROVINCE, NOBODY])
def test_require_court_allows_the_wildcard(c):
    """'-' means every court in reach; rows are limited by the query condition instead."""
    assert require_court(c, "-") is None


# -- a case's team (issue 18, item 2) ---------------------------------------------------------------

CLERK = caller(L.SCOPE_LEVEL_OWN, "440101", user="users/clerk.440101.civil1.1")


def test_own_scope_sees_the_cases_whose_team_it_is_on():
    team = ["users/assistant.440101.civil1.1", CLERK.user, "users/judge.440101.civil1.3"]
    assert can_see(CLERK, court="440101", department=CIVIL1, owner=OTHER, team=team)
    assert not can_see(CLERK, court="440101", department=CIVIL1, owner=OTHER, team=team[:1])
    assert not can_see(CLERK, court="440102", department=CIVIL1, owner=OTHER, team=team)   # same name, other court
    assert can_see(OWN, court="440101", department=CIVIL1, owner=OTHER, team=[ME])         # a panel member
    # No user (a court system's own scope is the province, never this): an empty name is no one's team.
    assert not can_see(caller(L.SCOPE_LEVEL_OWN, "440101", user=""), court="440101", department=CIVIL1,
                       owner=OTHER, team=[""])


def test_the_team_does_not_widen_a_division_heads_department():
    assert not can_see(DEPARTMENT, court="440101", department=CIVIL2, owner=OTHER, team=[DEPARTMENT.user])
