"""HTTP-JSON for court portals (issue 4, items 3 and 6): the gateway serves the gRPC API as JSON over
HTTP from the protos' google.api.http rules, with the same authentication, permission table,
limits, forwarding and audit as gRPC, errors as AIP-193 bodies, a server stream as
newline-delimited JSON, and an OpenAPI document generated from the same rules."""
from __future__ import annotations

import http.client
import json
import re
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import validate

from services.common.clock import LEGAL_TZ
from support import AUDITOR, COURT, COURT_SYSTEM, JUDGE, PRESIDENT, eventually

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
CASE = {
    "caseNumber": "（2026）示0101民初9801号", "caseType": "CASE_TYPE_CIVIL",
    "procedure": "PROCEDURE_FIRST_INSTANCE_ORDINARY", "cause": "民间借贷纠纷",
    "parties": [{"role": "PARTY_ROLE_PLAINTIFF", "displayName": "甲"}, {"role": "PARTY_ROLE_DEFENDANT", "displayName": "乙"}],
    "department": f"courts/{COURT}/departments/{COURT}-civil1", "handler": f"users/{JUDGE}",
    "filingDate": {"year": 2026, "month": 3, "day": 2}, "custody": False,
}


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("http", clock=START)


@pytest.fixture(scope="module")
def case(cf) -> dict:
    """A case filed by the court system over HTTP (the case body, request_id a query parameter)."""
    created = cf.http("POST", f"/v1/courts/{COURT}/cases", user=COURT_SYSTEM, body=CASE,
                      query=[("requestId", "http-json-1")])
    assert created.status == 200, created.body
    return created.json()["case"]


def test_a_judge_follows_a_case_and_its_reminders_over_http(cf, case):
    got = cf.http("GET", f"/v1/{case['name']}", user=JUDGE)
    assert got.status == 200 and got.headers["content-type"].startswith("application/json")
    assert got.headers["x-courtflow-trace-id"]
    body = got.json()["case"]
    assert body["caseNumber"] == CASE["caseNumber"] and body["state"] == "CASE_STATE_FILED"
    assert body["parties"][0] == {"role": "PARTY_ROLE_PLAINTIFF", "displayName": "甲"}
    assert body["filingDate"] == {"year": 2026, "month": 3, "day": 2} and body["locked"] is False

    nodes = eventually(lambda: cf.http("GET", f"/v1/{case['name']}/nodes", user=JUDGE).json()["nodes"],
                       what="the case's nodes over HTTP")
    trial = next(n for n in nodes if n["name"] == f"{case['name']}/nodes/trial_time_limit")
    assert trial["dueDate"] == {"year": 2026, "month": 9, "day": 2} and trial["state"] == "NODE_STATE_RUNNING"
    # Query parameters: a filter and a page size (snake_case is accepted too).
    one = cf.http("GET", f"/v1/{case['name']}/nodes", user=JUDGE,
                  query=[("page_size", "1"), ("filter", 'node_type = "trial_time_limit"')]).json()
    assert [n["name"] for n in one["nodes"]] == [trial["name"]]

    cf.set_clock(datetime(2026, 8, 19, 9, tzinfo=LEGAL_TZ))   # the 15-day warning fires

    def unread_of_case():
        reply = cf.http("GET", "/v1/users/me/messages", user=JUDGE, query=[("filter", "read = false")]).json()
        return [(reply, m) for m in reply["messages"]
                if m["node"] == trial["name"] and m["kind"] == "REMINDER_KIND_WARNING"]
    ((unread, message), *_) = eventually(unread_of_case, what="the trial limit's warning")
    assert message["read"] is False and message["case"] == case["name"] and unread["unreadCount"] >= 1

    # The live feed over HTTP: newline-delimited JSON, the unread messages first.
    stream = cf.http("GET", "/v1/users/me/messages:stream", user=JUDGE, timeout=2)
    assert stream.status == 200 and stream.headers["content-type"].startswith("application/x-ndjson")
    assert message["name"] in [line["result"]["message"]["name"] for line in stream.lines]

    marked = cf.http("POST", f"/v1/{message['name']}:markRead", user=JUDGE)
    assert marked.status == 200, marked.body
    assert marked.json()["message"]["read"] is True
    assert isinstance(marked.json()["unreadCount"], int)   # other reminders may arrive meanwhile
    after = cf.http("GET", f"/v1/users/{JUDGE}/messages", user=JUDGE, query=[("filter", "read = false")]).json()
    assert message["name"] not in [m["name"] for m in after["messages"]]


def test_errors_have_the_status_of_their_code_and_name_the_problem(cf, case):
    no_token = cf.http("GET", f"/v1/{case['name']}")
    assert no_token.status == 401 and no_token.error["status"] == "UNAUTHENTICATED"
    assert no_token.reason() == "TOKEN_MISSING" and no_token.headers["www-authenticate"].startswith("Bearer")
    assert "未登录" in no_token.error["message"] and no_token.error["code"] == 401

    other_court = cf.http("GET", f"/v1/{case['name']}", user="president.440102")
    assert other_court.status == 403 and other_court.error["status"] == "PERMISSION_DENIED"
    assert CASE["caseNumber"] not in other_court.body.decode()

    missing = cf.http("GET", f"/v1/courts/{COURT}/cases/{uuid.uuid4()}", user=PRESIDENT)
    assert missing.status == 404 and missing.error["status"] == "NOT_FOUND" and "不存在" in missing.error["message"]

    # A bad field is named as the client sent it (issue 20 item 3): the path parameter, not the
    # request's internal `name`; the body's JSON names, not the proto paths; the query parameter.
    bad_name = cf.http("GET", f"/v1/courts/{COURT}/cases/not-a-case-id", user=JUDGE)
    assert bad_name.status == 400 and bad_name.error["status"] == "INVALID_ARGUMENT"
    assert [f for f, _ in bad_name.violations()] == ["case"] and "case: " in bad_name.error["message"]

    bad_page = cf.http("GET", f"/v1/courts/{COURT}/cases", user=JUDGE, query=[("pageSize", "many")])
    assert bad_page.status == 400 and bad_page.violations() == [("pageSize", "须为整数")]
    bad_case = cf.http("POST", f"/v1/courts/{COURT}/cases", user=COURT_SYSTEM, query=[("requestId", "http-bad")],
                       body={**CASE, "caseNumber": "x", "parties": [], "cause": ""})
    assert bad_case.status == 400
    assert {"caseNumber", "parties", "cause"} <= {f for f, _ in bad_case.violations()}
    assert "case.case_number" not in bad_case.error["message"] and "caseNumber: " in bad_case.error["message"]
    bad_party = cf.http("POST", f"/v1/courts/{COURT}/cases", user=COURT_SYSTEM, query=[("requestId", "http-bad-3")],
                        body={**CASE, "parties": [CASE["parties"][0], {**CASE["parties"][1], "displayName": ""}]})
    assert [f for f, _ in bad_party.violations()] == ["parties[1].displayName"]   # which party, in JSON names
    # Every rule's words are Chinese: a range, a pattern, a required field, a wrong type, an enum.
    too_many = cf.http("GET", f"/v1/courts/{COURT}/cases", user=JUDGE, query=[("pageSize", "5000")])
    wrong_type = cf.http("POST", f"/v1/courts/{COURT}/cases", user=COURT_SYSTEM, query=[("requestId", "http-bad-2")],
                         body={**CASE, "custody": "yes", "caseType": "CASE_TYPE_MARITIME"})
    no_date = cf.http("POST", f"/v1/{case['name']}:validateHearing", user=JUDGE, body={})
    for bad in (bad_name, bad_page, bad_case, bad_party, too_many, wrong_type, no_date):
        assert bad.status == 400 and bad.violations(), bad.body
        for field, words in bad.violations():
            assert not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", words), (field, words)
        assert not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", bad.error["message"]), bad.error["message"]
    assert [f for f, _ in too_many.violations()] == ["pageSize"] and "1000" in too_many.violations()[0][1]
    assert [f for f, _ in no_date.violations()] == ["hearingDate"]

    not_json = cf.http("POST", f"/v1/courts/{COURT}/cases", user=COURT_SYSTEM, raw=b'{"caseNumber": ',
                       query=[("requestId", "http-bad-json")])
    assert not_json.status == 400 and not_json.violations()[0][0] == "body"
    assert "不是有效的 JSON" in not_json.error["message"]
    unknown_field = cf.http("POST", f"/v1/{case['name']}:validateHearing", user=JUDGE,
                            body={"hearingDate": {"year": 2026, "month": 9, "day": 1}, "courtroom": "1"})
    assert unknown_field.status == 400 and "courtroom" in unknown_field.error["message"]
    unknown_param = cf.http("GET", "/v1/users/me/messages", user=JUDGE, query=[("colour", "red")])
    assert unknown_param.status == 400 and unknown_param.violations()[0][0] == "colour"

    nowhere = cf.http("GET", "/v1/nowhere", user=JUDGE)
    assert nowhere.status == 404 and nowhere.reason() == "ROUTE_NOT_FOUND"
    wrong_method = cf.http("DELETE", "/v1/caller", user=JUDGE)
    assert wrong_method.status == 405 and wrong_method.headers["allow"] == "GET"


def test_http_calls_are_audited_like_grpc_calls(cf, case):
    denied = cf.http("GET", f"/v1/{case['name']}", user="president.440102", headers={"User-Agent": "portal/1.0"})
    assert denied.status == 403

    def records():
        reply = cf.http("GET", "/v1/auditRecords", user=AUDITOR,
                        query=[("filter", 'actor = "users/president.440102" AND result = DENIED')]).json()
        return [r["operation"] for r in reply["auditRecords"] if r["operation"]["userAgent"] == "portal/1.0"]
    (operation, *_) = eventually(records, what="the denied HTTP call in the audit log")
    assert operation["action"] == "/courtflow.case.v1.CaseService/GetCase" and operation["resource"] == case["name"]
    assert operation["clientAddress"].startswith("ipv4:127.0.0.1:")
    assert operation["traceId"] == denied.headers["x-courtflow-trace-id"]


def test_sign_in_over_http(cf):
    session = cf.http("POST", "/v1/auth:login", body={"username": JUDGE, "password": cf.logins[JUDGE]["password"]})
    assert session.status == 200, session.body
    token = session.json()["accessToken"]
    me = cf.http("GET", "/v1/caller", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["caller"]["user"] == f"users/{JUDGE}" and me.json()["caller"]["role"] == "ROLE_JUDGE"
    # With the system's time, by which a client counts "today" (the test's shared clock, not this machine's).
    answered = datetime.fromisoformat(me.json()["currentTime"].replace("Z", "+00:00"))
    assert abs(answered - cf.now()) < timedelta(seconds=5), (answered, cf.now())
    wrong = cf.http("POST", "/v1/auth:login", body={"username": JUDGE, "password": "wrong-password"})
    assert wrong.status == 401 and wrong.reason() == "INVALID_CREDENTIALS"


def test_the_openapi_document_is_served_without_a_token(cf):
    doc = cf.http("GET", "/openapi.json")
    assert doc.status == 200
    spec = doc.json()
    validate(spec)
    assert spec["paths"]["/v1/courts/{court}/cases/{case}"]["get"]["operationId"] == "CaseService_GetCase"
    assert spec["paths"]["/v1/auth:login"]["post"]["security"] == []


def test_an_open_stream_does_not_hold_up_the_gateways_shutdown(cf):
    url = urlsplit(cf.system.gateway_http)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/v1/users/me/messages:stream",
                 headers={"Authorization": f"Bearer {cf.logins[PRESIDENT]['token']}"})
    stream = conn.getresponse()
    assert stream.status == 200   # open, waiting for messages
    started = time.monotonic()
    try:
        assert cf.system.components["gateway"].terminate() == 0
        assert time.monotonic() - started < 15
        # The gateway ended the stream cleanly, saying why.
        assert json.loads(stream.read().splitlines()[-1])["error"]["status"] == "UNAVAILABLE"
    finally:
        conn.close()
        cf.system.restart("gateway")
    assert cf.http("GET", "/v1/caller", user=PRESIDENT).status == 200
