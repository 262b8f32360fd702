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
