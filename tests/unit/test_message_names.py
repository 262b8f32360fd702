"""A message's name is read by services/common/names.py, as every name: a malformed one is bad
input naming the field (INVALID_ARGUMENT), not someone else's inbox (PERMISSION_DENIED)."""
from __future__ import annotations

import uuid

import pytest

from courtflow.common.v1.caller_pb2 import Caller
from services.alert.errors import NotOwnInbox
from services.alert.service import message_id
from services.common.errors import InvalidArgument

JUDGE = Caller(user="users/judge.440101.civil1.1", court="440101")
MESSAGE = uuid.UUID("0190a5e0-0000-7000-8000-000000000001")


@pytest.mark.parametrize("parent", ["users/judge.440101.civil1.1", "users/me"])
def test_the_callers_own_message(parent):
    assert message_id(JUDGE, f"{parent}/messages/{MESSAGE}") == ("users/judge.440101.civil1.1", MESSAGE)


def test_anothers_message_is_refused():
    with pytest.raises(NotOwnInbox):
        message_id(JUDGE, f"users/judge.440101.civil1.2/messages/{MESSAGE}")


@pytest.mark.parametrize("name", ["judge.440101.civil1.1", f"users/judge.440101.civil1.1/{MESSAGE}",
                                  f"users/judge.440101.civil1.1/messages/{MESSAGE}/extra",
                                  "users/judge.440101.civil1.1/messages/abc", ""])
def test_a_malformed_name_is_bad_input_naming_the_field(name):
    with pytest.raises(InvalidArgument) as raised:
        message_id(JUDGE, name)
    assert [v.field for v in raised.value.violations] == ["name"]
    assert "消息" in raised.value.message
