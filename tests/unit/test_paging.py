"""AIP-158 paging with opaque tokens and the AIP-160 filter subset."""
from __future__ import annotations

import base64
import json

import pytest

from services.common.errors import InvalidArgument
from services.common.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page_request, parse_filter, split_page

PARENT = "courts/440101"
FILTER = 'stage = "ADJUDICATION"'


def violated_fields(err: InvalidArgument) -> list[str]:
    return [v.field for v in err.violations]


# -- page size ---------------------------------------------------------------------------------------

def test_default_page_size_is_50():
    assert DEFAULT_PAGE_SIZE == 50
    assert page_request(0, "").size == 50


def test_negative_page_size_means_default():
    assert page_request(-5, "").size == 50


@pytest.mark.parametrize("asked, got", [(1, 1), (7, 7), (999, 999), (1000, 1000), (1001, 1000), (10**9, 1000)])
def test_page_size_is_honoured_up_to_the_cap(asked, got):
    assert MAX_PAGE_SIZE == 1000
    assert page_request(asked, "").size == got


def test_first_page_starts_at_the_beginning():
    assert page_request(10, "", filter_text=FILTER, parent=PARENT).after is None


# -- tokens ------------------------------------------------------------------------------------------

def test_token_round_trips():
    first = page_request(10, "", filter_text=FILTER, parent=PARENT)
    token = first.token_for("case-0042")
    nxt = page_request(10, token, filter_text=FILTER, parent=PARENT)
    assert nxt.after == "case-0042"
    assert nxt.size == 10


def test_token_round_trips_a_typed_key():
    token = page_request(10, "", parent=PARENT).token_for(1234)
    assert page_request(10, token, parent=PARENT, key_type=int).after == 1234


def test_page_size_may_change_between_pages():
    token = page_request(10, "", filter_text=FILTER, parent=PARENT).token_for("k")
    assert page_request(20, token, filter_text=FILTER, parent=PARENT).size == 20


def test_token_is_opaque_url_safe_text():
    token = page_request(10, "", parent=PARENT).token_for("courts/440101/cases/案件?&=")
    assert all(c.isalnum() or c in "-_=" for c in token)


@pytest.mark.parametrize("other", [dict(filter_text='stage = "FILING"', parent=PARENT),
                                   dict(filter_text=FILTER, parent="courts/440102"),
                                   dict(filter_text="", parent=PARENT)])
def test_token_from_another_query_is_refused(other):
    token = page_request(10, "", filter_text=FILTER, parent=PARENT).token_for("k")
    with pytest.raises(InvalidArgument) as info:
        page_request(10, token, **other)
    assert violated_fields(info.value) == ["page_token"]
    assert info.value.reason == "INVALID_ARGUMENT"


def test_parent_and_filter_cannot_be_traded_for_each_other():
    token = page_request(10, "", filter_text="ab", parent="").token_for("k")
    with pytest.raises(InvalidArgument):
        page_request(10, token, filter_text="b", parent="a")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize("token", [
    "garbage!!", "a", b64(b"not json"), b64(b"[]"), b64(b'"text"'), b64(b"{}"),
    b64(json.dumps({"f": "whatever"}).encode()),
])
def test_garbage_token_is_invalid_argument(token):
    with pytest.raises(InvalidArgument) as info:
        page_request(10, token, filter_text=FILTER, parent=PARENT)
    assert violated_fields(info.value) == ["page_token"]


def test_token_whose_key_does_not_parse_is_invalid_argument():
    token = page_request(10, "", parent=PARENT).token_for("not-a-number")
    with pytest.raises(InvalidArgument) as info:
        page_request(10, token, parent=PARENT, key_type=int)
    assert violated_fields(info.value) == ["page_token"]


# -- split_page --------------------------------------------------------------------------------------

def test_split_page_without_more_rows_has_no_token():
    page = page_request(3, "", parent=PARENT)
    assert split_page([1, 2, 3], page, key_of=str) == ([1, 2, 3], "")
    assert split_page([1], page, key_of=str) == ([1], "")
    assert split_page([], page, key_of=str) == ([], "")


def test_split_page_with_an_extra_row_drops_it_and_points_after_the_last_shown():
    page = page_request(3, "", parent=PARENT)
    rows, token = split_page([10, 20, 30, 40], page, key_of=lambda r: r)
    assert rows == [10, 20, 30]
    assert token
    assert page_request(3, token, parent=PARENT, key_type=int).after == 30


# -- filters -----------------------------------------------------------------------------------------

ALLOWED = {"a": str, "b": str, "stage": str, "count": int}


def test_empty_filter_is_no_condition():
    assert parse_filter("", ALLOWED) == {}
    assert parse_filter("   ", ALLOWED) == {}


def test_quoted_and_bare_values_joined_by_and():
    assert parse_filter('a = "x" AND b = Y', ALLOWED) == {"a": "x", "b": "Y"}


def test_spacing_is_free():
    assert parse_filter('  a="x y"   AND   count=3 ', ALLOWED) == {"a": "x y", "count": 3}


def test_escaped_quote_inside_a_value():
    assert parse_filter(r'a = "say \"hi\""', ALLOWED) == {"a": 'say "hi"'}


def test_bare_value_with_dots_and_dashes():
    assert parse_filter("b = courtflow.case.v1-x_2", ALLOWED) == {"b": "courtflow.case.v1-x_2"}


def test_value_is_converted_by_the_field_type():
    assert parse_filter("count = 12", ALLOWED) == {"count": 12}


def test_unknown_field_is_refused_naming_filter():
    with pytest.raises(InvalidArgument) as info:
        parse_filter('a = "x" AND secret = "y"', ALLOWED)
    assert violated_fields(info.value) == ["filter"]
    description = info.value.violations[0].description
    assert "secret" in description
    assert all(name in description for name in ALLOWED)     # tells the user which fields can be used


@pytest.mark.parametrize("text", [
    'a == "x"', "a = ", '= "x"', 'a = "x" OR b = "y"', 'a = "x" and b = "y"', 'a = "x" AND', 'a = x y',
    'a != "x"', 'A = "x"', 'a = "unterminated', 'a = "x" AND AND b = "y"', "a:x",
])
def test_malformed_terms_are_refused_naming_filter(text):
    with pytest.raises(InvalidArgument) as info:
        parse_filter(text, ALLOWED)
    assert violated_fields(info.value) == ["filter"]


def test_value_the_field_type_rejects_is_refused_naming_filter():
    with pytest.raises(InvalidArgument) as info:
        parse_filter("count = many", ALLOWED)
    assert violated_fields(info.value) == ["filter"]


def test_value_converter_raising_key_error_is_refused():
    with pytest.raises(InvalidArgument):
        parse_filter("stage = NOPE", {"stage": lambda v: {"FILING": 3}[v]})


def test_quoted_value_may_contain_and():
    assert parse_filter('a = "张三 AND 李四"', ALLOWED) == {"a": "张三 AND 李四"}
