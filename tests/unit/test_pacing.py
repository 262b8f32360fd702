"""SMS pacing: quiet hours in the court's time zone, one SMS per interval, digests that fit."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.alert.pacing import Pacing, QuietHours, digest
from services.alert.templates import SMS_MAX_CHARS
from services.common.clock import LEGAL_TZ

NIGHT = QuietHours.parse("22:00-08:00")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=LEGAL_TZ)


@pytest.mark.parametrize("when, quiet", [(at(27, 21, 59), False), (at(27, 22), True), (at(28, 0, 30), True),
                                         (at(28, 7, 59), True), (at(28, 8), False), (at(28, 12), False)])
def test_the_night_window_wraps_midnight(when, quiet):
    assert NIGHT.contains(when) is quiet


def test_the_window_is_the_courts_local_time_not_utc():
    assert NIGHT.contains(datetime.fromisoformat("2026-11-27T14:30:00+00:00"))      # 22:30 in Shanghai
    assert not NIGHT.contains(datetime.fromisoformat("2026-11-27T01:00:00+00:00"))  # 09:00 in Shanghai


def test_what_falls_in_the_night_goes_at_eight_the_next_morning():
    assert NIGHT.next_allowed(at(27, 23, 15)) == at(28, 8)
    assert NIGHT.next_allowed(at(28, 3)) == at(28, 8)
    assert NIGHT.next_allowed(at(28, 9)) == at(28, 9)


def test_no_window_and_bad_windows():
    assert not QuietHours.parse("off").contains(at(28, 3))
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        QuietHours.parse("22-8")


def test_one_sms_per_interval_and_never_at_night():
    pacing = Pacing(quiet=NIGHT, min_interval=timedelta(minutes=10))
    assert pacing.earliest(at(27, 9), None) == at(27, 9)
    assert pacing.earliest(at(27, 9, 3), at(27, 9)) == at(27, 9, 10)
    assert pacing.earliest(at(27, 21, 55), at(27, 21, 50)) == at(28, 8)


def test_a_digest_lists_the_reminders_and_fits_the_sms_limit():
    items = [("OVERDUE", {"case_number": f"（2026）示0101民初{i}号", "node": "送达起诉状副本", "days": "3"})
             for i in range(1, 4)]
    text, params = digest("张法官", items)
    assert text.startswith("【法院审判管理】张法官：您有3条审判节点提醒") and text.count("已超期3天") == 3
    assert params["count"] == "3"
    many = items * 20
    text, params = digest("张法官", many)
    assert len(text) <= SMS_MAX_CHARS and "等60条" in text and text.endswith("详见系统站内消息。")
