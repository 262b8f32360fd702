"""The gateway's per-caller token buckets."""
from __future__ import annotations

import pytest

from gateway.access.limits import RateLimiter


def test_a_burst_then_the_rate():
    limiter = RateLimiter(rate=2, burst=3)
    assert [limiter.allow("users/a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.allow("users/a", 0.0) == pytest.approx(0.5)    # next token in half a second
    assert limiter.allow("users/a", 0.5) == 0.0
    assert limiter.allow("users/a", 0.5) > 0


def test_callers_do_not_share_a_bucket():
    limiter = RateLimiter(rate=1, burst=1)
    assert limiter.allow("users/a", 0.0) == 0.0 and limiter.allow("users/a", 0.0) > 0
    assert limiter.allow("users/b", 0.0) == 0.0


def test_idle_time_refills_no_more_than_the_burst():
    limiter = RateLimiter(rate=10, burst=2)
    limiter.allow("users/a", 0.0)
    assert [limiter.allow("users/a", 100.0) for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.allow("users/a", 100.0) > 0


def test_the_number_of_remembered_callers_is_bounded():
    limiter = RateLimiter(rate=1, burst=1, max_callers=2)
    for user in ("a", "b", "c"):
        limiter.allow(user, 0.0)
    assert limiter.allow("a", 0.0) == 0.0  # forgotten, so it starts with a full bucket


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        RateLimiter(rate=0, burst=1)
