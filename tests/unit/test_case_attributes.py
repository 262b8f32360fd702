"""Issue 15, items 16 and 17: case attributes select the time limit that opens on filing.
- 刑事诉讼法第二百一十二条第二款: a private prosecution (自诉) is decided within six months when the
  defendant is not detained; a detained defendant's case has the public prosecution limit (第二百零八条).
- 民事诉讼法涉外编: a foreign-related civil case is not bound by the limits of 第一百五十二条 (first
  instance) and 第一百八十三条 (second instance): no limit node, so no lock either.
Real calendar: 2026-05-16 and 2026-09-19 are a Saturday."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import yaml

from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure

from services.case.changes import CHANGEABLE, CaseChange, check_change, describe_change
from services.case.domain import NewCase, Party, check_new_case
from services.common.errors import InvalidArgument
from services.node.calendar import HolidayCalendar
from services.node.catalog import CatalogError, load
from services.node.deadlines import for_rule

CAL = HolidayCalendar.builtin()
SHIPPED = load()
FILED = (CaseEventType.CASE_EVENT_TYPE_FILED, "")
LIMITS = {"审限管理"}
CIVIL, CRIMINAL = CaseType.CASE_TYPE_CIVIL, CaseType.CASE_TYPE_CRIMINAL
ORDINARY, SECOND = Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, Procedure.PROCEDURE_SECOND_INSTANCE


def limit_on_filing(case_type: int, procedure: int, attributes: dict, filed: date) -> tuple[str, date] | None:
    """The time limit filing opens for such a case, and its due date (as the node service opens it)."""
    rules = [r for r in SHIPPED.opened_by(FILED, case_type=case_type, procedure=procedure, attributes=attributes)
             if r.category in LIMITS]
    assert len(rules) <= 1, [r.code for r in rules]
    if not rules:
        return None
    rule = rules[0]
    held = attributes.get("custody", False) and rule.custody_term
    return rule.code, for_rule(rule, anchor=filed, calendar=CAL, held=held).due


@pytest.mark.parametrize("case_type, procedure, attributes, expected", [
    # 刑诉法 212 ¶2: not detained → six months: 2026-03-16 → 09-16, a Wednesday.
    (CRIMINAL, ORDINARY, {"private_prosecution": True}, ("trial_time_limit_criminal_private_prosecution", "2026-09-16")),
    # Detained → 208: two months, a custody term that does not roll: 05-16 (a Saturday) stays.
    (CRIMINAL, ORDINARY, {"private_prosecution": True, "custody": True},
     ("trial_time_limit_criminal_first_instance", "2026-05-16")),
    (CRIMINAL, ORDINARY, {"custody": True}, ("trial_time_limit_criminal_first_instance", "2026-05-16")),
    # Public prosecution, not detained: two months, rolled (05-16 Saturday → 05-18).
    (CRIMINAL, ORDINARY, {}, ("trial_time_limit_criminal_first_instance", "2026-05-18")),
    # 民诉法 152 / 183 and the foreign-related part: no limit for a foreign-related civil case.
    (CIVIL, ORDINARY, {"foreign_related": True}, None),
    (CIVIL, SECOND, {"foreign_related": True}, None),
    (CIVIL, ORDINARY, {}, ("trial_time_limit", "2026-09-16")),
    (CIVIL, SECOND, {}, ("trial_time_limit_civil_second_instance", "2026-06-16")),
])
def test_the_limit_follows_the_case_attributes_criminal_212_civil_152_183(case_type, procedure, attributes, expected):
    found = limit_on_filing(case_type, procedure, attributes, date(2026, 3, 16))
    assert found == (None if expected is None else (expected[0], date.fromisoformat(expected[1])))


def test_rules_select_on_attributes_only_when_given():
    """Without attributes (a catalogue question about a type and procedure) the rule's type alone
    counts; with them, an attribute not given is false."""
    rule = SHIPPED.rule("trial_time_limit_criminal_private_prosecution")
    assert rule.applies(CRIMINAL, ORDINARY) and not rule.applies(CRIMINAL, ORDINARY, {})
    assert not SHIPPED.rule("trial_time_limit").applies(CIVIL, ORDINARY, {"foreign_related": True})


@pytest.mark.parametrize("condition, words", [
    ({"when": {"nationality": True}}, "when must map case attributes"),
    ({"unless": {"foreign_related": "yes"}}, "unless must map case attributes"),
    ({"when": ["foreign_related"]}, "when must map case attributes"),
])
def test_a_bad_condition_is_refused_naming_the_field(tmp_path, condition, words):
    entry = {"code": "limit", "display_name": "审理期限", "stage": "ADJUDICATION", "category": "审限管理",
             "process": "审限管理", "applies_to": [{"case_type": "CIVIL", "procedure": "ANY"}],
             "opened_by": {"event": "FILED"}, "anchor": "event_date", "period": "6m", "warning_rungs": [15],
             "overdue_action": "warn", "responsible_role": "handler", "supervisors": [],
             "legal_basis": "民事诉讼法第一百五十二条", **condition}
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"version": "t", "nodes": [entry]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match=words):
        load(path)


def _new(**overrides) -> NewCase:
    values = dict(court="440101", case_number="（2026）示0101民初1号", case_type=CIVIL, procedure=ORDINARY,
                  cause="买卖合同纠纷", parties=(Party(1, "张三"),), department="courts/440101/departments/440101-civil1",
                  handler="users/judge", filing_date=date(2026, 3, 16), receive_date=None, custody=False,
                  request_id="r1")
    values.update(overrides)
    return NewCase(**values)


def test_only_a_criminal_case_is_a_private_prosecution_criminal_procedure_law_210():
    check_new_case(_new(case_type=CRIMINAL, private_prosecution=True), today=date(2026, 3, 16))
    check_new_case(_new(foreign_related=True), today=date(2026, 3, 16))
    with pytest.raises(InvalidArgument) as refused:
        check_new_case(_new(private_prosecution=True), today=date(2026, 3, 16))
    assert refused.value.violations[0].field == "case.private_prosecution"
    assert "只有刑事案件" in refused.value.violations[0].description


def test_update_case_corrects_the_attributes_and_the_audit_says_them_in_chinese():
    assert {"foreign_related", "private_prosecution"} <= set(CHANGEABLE)
    row = SimpleNamespace(state=1, court="440101", department="courts/440101/departments/440101-civil1",
                          case_number="（2026）示0101民初1号", filing_date=date(2026, 3, 16), receive_date=date(2026, 3, 16),
                          case_type=CIVIL, foreign_related=False, private_prosecution=False)
    change = CaseChange(court="440101", case_id=None, values={"foreign_related": True}, reason=6,
                        effective_date=None, request_id="c1", etag="")
    assert check_change(row, change, today=date(2026, 3, 20)) == {"foreign_related": True}
    assert describe_change({"foreign_related": False}, {"foreign_related": True}, reason=6,
                           effective="2026-03-20").startswith("涉外：非涉外 → 涉外；原因：更正")
    with pytest.raises(InvalidArgument) as refused:
        check_change(row, CaseChange(court="440101", case_id=None, values={"private_prosecution": True}, reason=6,
                                     effective_date=None, request_id="c2", etag=""), today=date(2026, 3, 20))
    assert refused.value.violations[0].field == "case.private_prosecution"
