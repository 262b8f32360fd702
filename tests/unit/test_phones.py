"""Mobile numbers shown to others (SMS delivery answers, provider logs): one rule for both."""
from __future__ import annotations

from hypothesis import given, strategies as st

from services.alert.phones import mask


def test_a_mobile_number_shows_its_first_three_and_last_four_digits():
    assert mask("13812345678") == "138****5678"
    assert mask("+8613812345678") == "+86****5678"   # a prefix is not read: still seven shown at most


def test_a_shorter_number_shows_no_digit_and_none_shows_nothing():
    assert mask("1234567") == "****"        # seven digits: 3 + 4 would have been all of them
    assert mask("1381234567") == "****"     # ten
    assert mask("12") == "****"
    assert mask("") == "" and mask(None) == ""


@given(st.text(alphabet="0123456789+", max_size=20))
def test_never_more_than_seven_digits_and_never_most_of_the_number(mobile):
    shown = sum(ch.isdigit() for ch in mask(mobile))
    assert shown <= 7
    assert shown == 0 or len(mobile) - shown >= 4
