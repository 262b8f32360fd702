"""The Alibaba Cloud RPC signature (HMAC-SHA1, version 1.0) against the vendor's published examples,
and the percent-encoding it rests on. The fake provider's independent verifier is held to the
same examples, so the integration tests cannot pass on a mistake both sides share. Also the
reading of QuerySendDetails answers, which decides whether a later try sends again."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakes.sms_provider import _encode as fake_encode
from fakes.sms_provider import expected_signature
from services.alert.sms import OutgoingSms, SmsError
from services.alert.sms_http import (QUERY_MAX_PAGES, QUERY_PAGE_SIZE, AliyunSmsProvider, canonical_query,
                                     percent_encode, send_details, signature, string_to_sign, taken)
from services.common.clock import ManualClock

# The SendSms example of Alibaba Cloud's SMS signature documentation (testId / testSecret).
SMS_EXAMPLE = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
    "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
}
SMS_EXAMPLE_QUERY = (
    "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou"
    "&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8"
    "&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0"
    "&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D"
    "&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25")
SMS_EXAMPLE_SIGNATURE = "zJDF+Lrzhj/ThnlvIToysFRq6t4="

# The DescribeRegions example of the RPC signature documentation (testid / testsecret); its
# request spells the timestamp parameter `TimeStamp`, which changes the sort order.
ECS_EXAMPLE = {
    "TimeStamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "Version": "2014-05-26", "SignatureVersion": "1.0",
}
ECS_EXAMPLE_SIGNATURE = "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_sms_example_canonical_query_and_string_to_sign():
    assert canonical_query(SMS_EXAMPLE) == SMS_EXAMPLE_QUERY
    assert string_to_sign("GET", SMS_EXAMPLE) == "GET&%2F&" + percent_encode(SMS_EXAMPLE_QUERY)
    assert string_to_sign("GET", SMS_EXAMPLE).startswith(
        "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26")


def test_sms_example_signature():
    assert signature("GET", SMS_EXAMPLE, "testSecret") == SMS_EXAMPLE_SIGNATURE


def test_rpc_example_signature():
    assert signature("GET", ECS_EXAMPLE, "testsecret") == ECS_EXAMPLE_SIGNATURE


def test_signature_leaves_out_signature_and_depends_on_method_and_secret():
    signed = dict(SMS_EXAMPLE, Signature="anything")
    assert signature("GET", signed, "testSecret") == SMS_EXAMPLE_SIGNATURE
    assert signature("POST", SMS_EXAMPLE, "testSecret") != SMS_EXAMPLE_SIGNATURE
    assert signature("GET", SMS_EXAMPLE, "testsecret") != SMS_EXAMPLE_SIGNATURE


def test_fake_provider_verifies_with_the_documented_algorithm():
    assert expected_signature("GET", SMS_EXAMPLE, "testSecret")[0] == SMS_EXAMPLE_SIGNATURE
    assert expected_signature("GET", ECS_EXAMPLE, "testsecret")[0] == ECS_EXAMPLE_SIGNATURE


def test_percent_encoding_rules():
    assert percent_encode("AZaz09-_.~") == "AZaz09-_.~"  # unreserved: as they are, ~ included
    assert percent_encode(" ") == "%20"  # not +
    assert percent_encode("*") == "%2A"
    assert percent_encode("+") == "%2B"
    assert percent_encode("/") == "%2F"
    assert percent_encode("=&:\"{}") == "%3D%26%3A%22%7B%7D"
    assert percent_encode("阿") == "%E9%98%BF"  # UTF-8 bytes, upper-case hex
    assert percent_encode("（2026）") == "%EF%BC%882026%EF%BC%89"


@given(st.text())
def test_percent_encoding_round_trips_and_matches_the_fake(value):
    encoded = percent_encode(value)
    assert unquote(encoded, errors="strict") == value
    assert encoded == fake_encode(value)


# --- QuerySendDetails answers --------------------------------------------------------------------

def record(out_id: str, status) -> dict:
    """One SmsSendDetailDTO as the Dysmsapi SDK models it (field names from its generated models)."""
    return {"PhoneNum": "13800138000", "SendStatus": status, "ErrCode": "DELIVERED", "TemplateCode": "SMS_1001",
            "Content": "【示例人民法院】审限预警", "SendDate": "2026-03-02 10:00:00",
            "ReceiveDate": "2026-03-02 10:00:03", "OutId": out_id}


def answer(records: list[dict], total=None) -> dict:
    reply = {"RequestId": "819BE656-D2E0-4858-8B21-B2E477085AAF", "Code": "OK", "Message": "OK",
             "SmsSendDetailDTOs": {"SmsSendDetailDTO": records}}
    return reply if total is None else {**reply, "TotalCount": total}


def test_send_details_reads_records_and_total_as_string_or_number():
    assert send_details(answer([record("a", 3)], total="1")) == ([record("a", 3)], 1)
    assert send_details(answer([record("a", 3)], total=1)) == ([record("a", 3)], 1)
    assert send_details(answer([])) == ([], None)
    assert send_details({"Code": "OK", "TotalCount": 0}) == ([], 0)
    lone = {"Code": "OK", "SmsSendDetailDTOs": {"SmsSendDetailDTO": record("a", 3)}}
    assert send_details(lone) == ([record("a", 3)], None)


@pytest.mark.parametrize("reply", [
    {"Code": "OK", "SmsSendDetailDTOs": []},
    {"Code": "OK", "SmsSendDetailDTOs": {"SmsSendDetailDTO": ["a"]}},
    {"Code": "OK", "SmsSendDetailDTOs": {"SmsSendDetailDTO": []}, "TotalCount": "many"},
])
def test_send_details_refuses_other_shapes(reply):
    with pytest.raises(ValueError):
        send_details(reply)


def test_taken_is_any_record_of_the_out_id_the_carrier_did_not_fail():
    assert taken([record("other", 3)], "a") is None
    assert taken([record("a", 2)], "a") is None  # failed at the carrier: send again
    assert taken([record("a", 2), record("a", 3)], "a") == record("a", 3)
    assert taken([record("a", 1)], "a") == record("a", 1)  # waiting for its receipt
    assert taken([record("a", "3")], "a") == record("a", "3")
    assert taken([record("a", None)], "a") == record("a", None)  # unreadable: assume taken


class Replies(AliyunSmsProvider):
    """The provider answering from a list instead of the network; records what it asked."""

    def __init__(self, replies: list[dict], now: datetime = datetime(2026, 3, 2, 2, tzinfo=timezone.utc)) -> None:
        super().__init__(access_key_id="testId", access_key_secret="testSecret", sign_name="法院",
                         templates={"WARNING": "SMS_1001"}, endpoint="http://127.0.0.1:9/", clock=ManualClock(now))
        self.replies, self.asked = list(replies), []

    def _post(self, body: bytes) -> tuple[int, bytes]:
        self.asked.append(dict(parse_qsl(body.decode())))
        return 200, json.dumps(self.replies.pop(0)).encode()


SMS = OutgoingSms(out_id="a", mobile="8613800138000", text="审限预警", template="WARNING", attempt=2)


def test_lookup_asks_today_then_yesterday_in_china_time_and_sends_when_not_found():
    # 16:30 UTC on 1 March is 00:30 on 2 March in China: the first try may have been on 1 March.
    provider = Replies([answer([], total=0), answer([record("other", 3)], total=1), {"Code": "OK", "BizId": "1^2"}],
                       now=datetime(2026, 3, 1, 16, 30, tzinfo=timezone.utc))
    provider.send(SMS)
    today, yesterday, sent = provider.asked
    assert [today["Action"], yesterday["Action"], sent["Action"]] == ["QuerySendDetails"] * 2 + ["SendSms"]
    assert (today["SendDate"], yesterday["SendDate"]) == ("20260302", "20260301")
    assert today["PhoneNumber"] == "13800138000" and sent["PhoneNumbers"] == "8613800138000"
    assert (today["PageSize"], today["CurrentPage"]) == (str(QUERY_PAGE_SIZE), "1")
    assert today["Signature"] == signature("POST", today, "testSecret")


def test_lookup_that_finds_the_out_id_sends_nothing():
    provider = Replies([answer([record("other", 3), record("a", 1)], total=2)])
    provider.send(SMS)
    assert [a["Action"] for a in provider.asked] == ["QuerySendDetails"]


def test_lookup_that_returns_fewer_records_than_it_counts_sends_nothing():
    provider = Replies([answer([], total=2)])
    with pytest.raises(SmsError) as unsure:
        provider.send(SMS)
    assert not unsure.value.permanent and "无法确认上次发送结果" in str(unsure.value)
    assert [a["Action"] for a in provider.asked] == ["QuerySendDetails"]


def test_lookup_gives_up_after_its_page_bound():
    full = answer([record(f"o{i}", 3) for i in range(QUERY_PAGE_SIZE)])  # no TotalCount: pages until short
    provider = Replies([full] * QUERY_MAX_PAGES)
    with pytest.raises(SmsError) as unsure:
        provider.send(SMS)
    assert not unsure.value.permanent and f"超过 {QUERY_MAX_PAGES} 页" in str(unsure.value)
    assert len(provider.asked) == QUERY_MAX_PAGES and {a["Action"] for a in provider.asked} == {"QuerySendDetails"}
