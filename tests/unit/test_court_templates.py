"""Courts' own wording of reminders: nesting by court, variables checked when the file loads."""
from __future__ import annotations

from datetime import date

import pytest

from services.alert import templates
from services.alert.court_templates import CourtTemplates, TemplateError

ABOUT = templates.About(case_number="（2026）示0101民初1号", node="审理期限", due=date(2026, 9, 2), handler="张法官",
                        addressee="王庭长", own=False)


def load(tmp_path, text: str) -> CourtTemplates:
    path = tmp_path / "templates.yaml"
    path.write_text(text, encoding="utf-8")
    return CourtTemplates.load(path)


def test_a_court_below_takes_the_nearest_wording_and_others_keep_the_built_in(tmp_path):
    wording = load(tmp_path, """
courts:
  "44":
    OVERDUE: {title: "超期", body: "省：{case_number}{node}超期{days}天"}
  "4401":
    OVERDUE: {title: "{node}超期", body: "{addressee}：{whose}{case_number}“{node}”已于{due_date}届满，超期{days}天。"}
""")
    reminder = templates.overdue(ABOUT, days_overdue=3)
    own = wording.apply("440101", reminder, addressee=ABOUT.addressee, whose=ABOUT.whose)
    assert own.title == "审理期限超期"
    assert own.body == "王庭长：张法官承办的（2026）示0101民初1号“审理期限”已于2026年09月02日届满，超期3天。"
    assert own.sms.startswith(templates.SIGNATURE) and own.sms.endswith("超期3天。")
    assert wording.apply("440201", reminder, addressee="x", whose="y").body == "省：（2026）示0101民初1号审理期限超期3天"
    warning = templates.warning(ABOUT, days_remaining=7)
    assert wording.apply("440101", warning, addressee="x", whose="y") == warning
    assert CourtTemplates.load(None).apply("440101", reminder, addressee="x", whose="y") == reminder


@pytest.mark.parametrize("text, message", [
    ('courts: {"4401": {OVERDUE: {title: "t", body: "{案号}"}}}', "unknown variable"),
    ('courts: {"4401": {OVERDUE: {title: "t", body: "{case_number"}}}', "OVERDUE.body"),
    ('courts: {"4401": {LATE: {title: "t", body: "b"}}}', "unknown kind"),
    ('courts: {"4401": {OVERDUE: {body: "b"}}}', "needs 'title' and 'body'"),
    ('courts: {"广州": {OVERDUE: {title: "t", body: "b"}}}', "court id"),
    ("nothing: here", "needs 'courts'"),
])
def test_a_bad_file_stops_start_up_naming_the_place(tmp_path, text, message):
    with pytest.raises(TemplateError, match=message):
        load(tmp_path, text)


def test_each_reader_is_addressed_in_the_words_of_their_place_on_the_case(tmp_path):
    """A clerk's node reads 「您担任书记员的」 to the clerk, not 「您承办的」; a court's own wording
    with {whose} follows the place too."""
    clerk = templates.About(case_number="（2026）示0101民初1号", node="送达起诉状副本", due=date(2026, 3, 9),
                            handler="李书记员", addressee="李书记员", own=True, role="clerk")
    assert "李书记员：您担任书记员的（2026）示0101民初1号案件" in templates.warning(clerk, days_remaining=2).body
    assistant = templates.About(**{**clerk.__dict__, "role": "assistant", "handler": "赵助理", "addressee": "赵助理"})
    assert "您担任法官助理的" in templates.overdue(assistant, days_overdue=1).body
    head = templates.About(**{**clerk.__dict__, "own": False, "addressee": "王庭长"})
    assert "王庭长：李书记员担任书记员的（2026）示0101民初1号案件" in templates.overdue(head, days_overdue=1).body
    assert "您承办的" in templates.warning(templates.About(**{**clerk.__dict__, "role": "handler"}), days_remaining=2).body
    wording = load(tmp_path, """
courts:
  "4401":
    WARNING: {title: "{node}将届满", body: "{addressee}：{whose}{case_number}“{node}”{due_date}届满。"}
""")
    reminder = templates.warning(clerk, days_remaining=2)
    assert wording.apply("440101", reminder, addressee=clerk.addressee, whose=clerk.whose).body == (
        "李书记员：您担任书记员的（2026）示0101民初1号“送达起诉状副本”2026年03月09日届满。")


def test_a_person_joining_a_case_is_told_in_their_places_words_and_courts_may_word_each_place(tmp_path):
    about = templates.About(case_number="（2026）示0101民初1号", node="送达起诉状副本", due=date(2026, 3, 9),
                            handler="李书记员", addressee="李书记员", own=True, role="clerk")
    nodes = [("送达起诉状副本", "预警中", date(2026, 3, 9))]
    changed = templates.case_assigned(about, place="clerk", previous="陈书记员", nodes=nodes)
    assert changed.template == "CASE_ASSIGNED_CLERK" and changed.title == "新担任书记员案件：（2026）示0101民初1号"
    assert changed.body == ("李书记员：（2026）示0101民初1号案件改由您担任书记员（原为陈书记员），由您办理的未完成节点1个："
                            "“送达起诉状副本”预警中（2026年03月09日届满）。请及时办理。")
    registered = templates.case_assigned(about, place="assistant", previous="", nodes=nodes)
    assert registered.template == "CASE_ASSIGNED_ASSISTANT"
    assert registered.body.startswith("李书记员：（2026）示0101民初1号案件由您担任法官助理，由您办理的未完成节点1个")
    handler = templates.case_assigned(about, place="handler", previous="张法官", nodes=nodes)
    assert handler.template == "CASE_ASSIGNED" and "已由张法官转由您承办，随案转交未完成节点1个" in handler.body
    # A court's wording of the handler's message leaves the clerk's alone, and the clerk's may be its own.
    wording = load(tmp_path, """
courts:
  "4401":
    CASE_ASSIGNED: {title: "新案", body: "{addressee}：{case_number}转由您承办（原{previous}），{count}个节点。"}
    CASE_ASSIGNED_CLERK: {title: "书记员", body: "{addressee}：{case_number}由您担任书记员，{count}个节点待办。"}
""")
    assert wording.apply("440101", handler, addressee="李书记员", whose="").body == (
        "李书记员：（2026）示0101民初1号转由您承办（原张法官），1个节点。")
    assert wording.apply("440101", changed, addressee="李书记员", whose="").body == (
        "李书记员：（2026）示0101民初1号由您担任书记员，1个节点待办。")
    assert wording.apply("440101", registered, addressee="李书记员", whose="") == registered
