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
