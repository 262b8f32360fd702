"""Issue 15, item 9: hearing notices are due on the earlier of scheduling + 3 days and 3 days before
the hearing (民事诉讼法第一百三十九条, 刑事诉讼法第一百八十七条); the indictment copy at the latest
10 days before the hearing (刑事诉讼法第一百八十七条第一款); criminal simplified and fast-track
procedure are exempt (刑事诉讼法第二百一十九、二百二十四条). Real calendars: National Day 2026 and
the Spring Festival 2026 (02-15 to 02-23)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import yaml

from courtflow.case.v1.case_pb2 import CaseType, Procedure

from services.node.calendar import HolidayCalendar
from services.node.catalog import CatalogError, load
from services.node.deadlines import derive, for_rule

CAL = HolidayCalendar.builtin()
SHIPPED = load()
CIVIL, CRIMINAL = CaseType.CASE_TYPE_CIVIL, CaseType.CASE_TYPE_CRIMINAL
ORDINARY, SIMPLIFIED = Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, Procedure.PROCEDURE_SIMPLIFIED
FAST_TRACK = Procedure.PROCEDURE_FAST_TRACK


def _due(code: str, case_type: int, procedure: int, scheduled: str, hearing: str):
    """As the node service opens it (service.open_nodes): the rule's due_before day unless exempt."""
    rule = SHIPPED.rule(code)
    before = rule.due_before
    latest = (before.latest({"hearing_date": date.fromisoformat(hearing)})
              if before.applies(case_type, procedure) else None)
    return for_rule(rule, anchor=date.fromisoformat(scheduled), calendar=CAL, held=False, latest=latest), latest


@pytest.mark.parametrize("code, case_type, procedure, scheduled, hearing, due", [
    # 民诉法 139: scheduled 2026-09-28, hearing 10-09. Scheduling + 3 = 10-01 rolls past National Day
    # to 10-08, which leaves one day's notice; three days before the hearing (10-06) is earlier.
    ("serve_hearing_summons", CIVIL, ORDINARY, "2026-09-28", "2026-10-09", "2026-10-06"),
    ("hearing_announcement", CIVIL, ORDINARY, "2026-09-28", "2026-10-09", "2026-10-06"),
    # A hearing a month away: scheduling + 3 (rolled to 10-08) is the earlier.
    ("serve_hearing_summons", CIVIL, ORDINARY, "2026-09-28", "2026-10-30", "2026-10-08"),
    # 刑诉法 187: scheduled 2026-02-12, hearing 02-26; + 3 = 02-15 rolls over the Spring Festival to
    # 02-24, but the summons must be served by 02-23 and the indictment copy by 02-16 (10 days).
    ("serve_hearing_summons", CRIMINAL, ORDINARY, "2026-02-12", "2026-02-26", "2026-02-23"),
    ("serve_indictment_copy", CRIMINAL, ORDINARY, "2026-02-12", "2026-02-26", "2026-02-16"),
    # 刑诉法 219 / 224: simplified and fast-track procedure are not bound by the service periods —
    # only the court's own 3 days from scheduling remain.
    ("serve_hearing_summons", CRIMINAL, FAST_TRACK, "2026-02-12", "2026-02-26", "2026-02-24"),
    ("hearing_announcement", CRIMINAL, SIMPLIFIED, "2026-03-02", "2026-03-04", "2026-03-05"),
])
def test_hearing_notices_are_due_on_the_earlier_date_civil_139_criminal_187(code, case_type, procedure,
                                                                           scheduled, hearing, due):
    deadline, latest = _due(code, case_type, procedure, scheduled, hearing)
    assert deadline.due == date.fromisoformat(due)
    if latest is not None and latest < deadline.unrolled_due:
        assert f"届满日为 {latest}，不因节假日顺延" in deadline.explanation[-1]


def test_the_indictment_copy_node_opens_in_criminal_ordinary_first_instance_only_criminal_219_224():
    rule = SHIPPED.rule("serve_indictment_copy")
    assert rule.applies(CRIMINAL, ORDINARY)
    assert not rule.applies(CRIMINAL, SIMPLIFIED) and not rule.applies(CRIMINAL, FAST_TRACK)
    assert not rule.applies(CIVIL, ORDINARY)


def test_re_deriving_a_node_keeps_its_latest_day_civil_139():
    """A change of the clock (a calendar import, an approved change) re-derives from the stored
    inputs: the day before the hearing must survive it."""
    deadline, latest = _due("serve_hearing_summons", CIVIL, ORDINARY, "2026-09-28", "2026-10-09")
    node = SimpleNamespace(anchor_date=date(2026, 9, 28), period="3d", custody=False, rollover=True,
                           legal_basis="", extensions=[], exclusions=[], suspended_since=None, latest_due=latest)
    assert derive(node, CAL).due == deadline.due == date(2026, 10, 6)


@pytest.mark.parametrize("form, words", [
    ({"anchor": "judgment_date", "period": "3d"}, "due_before needs anchor"),
    ({"anchor": "hearing_date", "period": "1m"}, "due_before.period counts days"),
    ({"anchor": "hearing_date", "period": "3x"}, "due_before.period"),
    ({"anchor": "hearing_date", "period": "3d", "exempt": "CRIMINAL"}, "due_before.exempt"),
])
def test_a_bad_due_before_is_refused_naming_the_field(tmp_path, form, words):
    entry = {"code": "summons", "display_name": "传票", "stage": "PRE_TRIAL", "category": "排期", "process": "排期",
             "applies_to": [{"case_type": "CIVIL", "procedure": "ANY"}], "opened_by": {"event": "HEARING_SCHEDULED"},
             "anchor": "event_date", "period": "3d", "warning_rungs": [1], "overdue_action": "warn",
             "responsible_role": "clerk", "supervisors": [], "legal_basis": "民事诉讼法第一百三十九条",
             "due_before": form}
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"version": "t", "nodes": [entry]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match=words):
        load(path)
