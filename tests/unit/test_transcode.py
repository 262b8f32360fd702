"""HTTP-JSON transcoding (gateway/edge/transcode.py): path templates, routes, binding path variables,
query parameters and bodies to request fields, the inverse encoding, and error bodies."""
from __future__ import annotations

import base64
import json
import math
import re
from datetime import datetime, timezone

import pytest
from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.field_mask_pb2 import FieldMask
from google.rpc import code_pb2, error_details_pb2, status_pb2
from hypothesis import given, settings, strategies as st

from gateway.edge.descriptors import register_descriptors
from gateway.edge.http_routes import MethodNotAllowed, NoRoute, PathTemplate, RouteTable, routes_of
from gateway.edge.http_errors import HTTP_STATUS, error_of
from gateway.edge.http_requests import encode_request
from gateway.edge.transcode import decode_request, decode_response
from services.common.errors import InvalidArgument

F = descriptor_pb2.FieldDescriptorProto


def _test_file() -> descriptor_pb2.FileDescriptorProto:
    """transcode.test.Things: one message with every kind of field, and three HTTP rules."""
    fd = descriptor_pb2.FileDescriptorProto(
        name="transcode_test/things.proto", package="transcode.test", syntax="proto3",
        dependency=["google/api/annotations.proto", "google/protobuf/timestamp.proto", "google/type/date.proto",
                    "google/protobuf/field_mask.proto"])
    fd.enum_type.add(name="Colour").value.extend([descriptor_pb2.EnumValueDescriptorProto(name=n, number=i)
                                                   for i, n in enumerate(["COLOUR_UNSPECIFIED", "COLOUR_RED"])])
    inner = fd.message_type.add(name="Inner")
    inner.field.add(name="name", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="name")
    inner.field.add(name="numbers", number=2, type=F.TYPE_INT32, label=F.LABEL_REPEATED, json_name="numbers")
    inner.field.add(name="flag", number=3, type=F.TYPE_BOOL, label=F.LABEL_OPTIONAL, json_name="flag")
    req = fd.message_type.add(name="Request")
    for number, (name, type_, label, type_name) in enumerate([
            ("parent", F.TYPE_STRING, F.LABEL_OPTIONAL, ""),
            ("inner_thing", F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".transcode.test.Inner"),
            ("tags", F.TYPE_STRING, F.LABEL_REPEATED, ""),
            ("colour", F.TYPE_ENUM, F.LABEL_OPTIONAL, ".transcode.test.Colour"),
            ("big", F.TYPE_INT64, F.LABEL_OPTIONAL, ""),
            ("on", F.TYPE_BOOL, F.LABEL_OPTIONAL, ""),
            ("at_time", F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".google.protobuf.Timestamp"),
            ("day", F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".google.type.Date"),
            ("mask", F.TYPE_MESSAGE, F.LABEL_OPTIONAL, ".google.protobuf.FieldMask"),
            ("blob", F.TYPE_BYTES, F.LABEL_OPTIONAL, ""),
            ("ratio", F.TYPE_DOUBLE, F.LABEL_OPTIONAL, ""),
            ("labels", F.TYPE_MESSAGE, F.LABEL_REPEATED, ".transcode.test.Request.LabelsEntry")], start=1):
        json_name = "".join(p if i == 0 else p.title() for i, p in enumerate(name.split("_")))
        req.field.add(name=name, number=number, type=type_, label=label, json_name=json_name,
                      **({"type_name": type_name} if type_name else {}))
    entry = req.nested_type.add(name="LabelsEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="key")
    entry.field.add(name="value", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL, json_name="value")
    service = fd.service.add(name="Things")
    for name, rule in [("List", {"get": "/v1/{parent=shelves/*}/things"}),
                       ("Update", {"patch": "/v1/{inner_thing.name=shelves/*/things/*}", "body": "inner_thing"}),
                       ("Act", {"post": "/v1/{parent=shelves/*}:act", "body": "*"}),
                       ("Get", {"get": "/v1/{parent=shelves/*}"})]:
        method = service.method.add(name=name, input_type=".transcode.test.Request",
                                    output_type=".transcode.test.Request")
        method.options.Extensions[annotations_pb2.http].MergeFrom(http_pb2.HttpRule(**rule))
    return fd


register_descriptors()   # every service the gateway serves, in the default pool
POOL = descriptor_pool.Default()
try:
    POOL.FindFileByName("transcode_test/things.proto")
except KeyError:
    POOL.Add(_test_file())
THINGS = POOL.FindServiceByName("transcode.test.Things")
Request = message_factory.GetMessageClass(POOL.FindMessageTypeByName("transcode.test.Request"))
TABLE = RouteTable([THINGS])


def find(method: str, path: str):
    return TABLE.find(method, path)


def decode(method: str, path: str, query=(), body: bytes = b""):
    route, values = find(method, path)
    return decode_request(route, values, query, body)


# -- templates and routes --------------------------------------------------------------------

def test_a_template_has_literals_variables_and_a_verb():
    t = PathTemplate.parse("/v1/{name=courts/*/cases/*}:markRead")
    assert t.segments == ("v1", "courts", "*", "cases", "*") and t.verb == "markRead"
    assert [(v.field_path, v.start, v.end) for v in t.variables] == [(("name",), 1, 5)]
    t = PathTemplate.parse("/v1/{node_rule.name=courts/*/nodeRules/*}")
    assert t.variables[0].field_path == ("node_rule", "name") and t.verb is None
    assert PathTemplate.parse("/v1/{parent}/things").segments == ("v1", "*", "things")
    assert PathTemplate.parse("/v1/files/{path=**}").match(["v1", "files", "a", "b"], None) == {("path",): "a/b"}
    for bad in ("v1/x", "/v1//x", "/v1/{name=**}/x", "/v1/{name"):
        with pytest.raises(ValueError):
            PathTemplate.parse(bad)


def test_matching_is_by_segment_and_verb():
    t = PathTemplate.parse("/v1/{name=courts/*/cases/*}")
    assert t.match(["v1", "courts", "440101", "cases", "x"], None) == {("name",): "courts/440101/cases/x"}
    assert t.match(["v1", "courts", "440101", "cases"], None) is None
    assert t.match(["v1", "courts", "", "cases", "x"], None) is None
    assert t.match(["v1", "courts", "440101", "cases", "x"], "close") is None
    assert t.match(["v1", "judges", "440101", "cases", "x"], None) is None


def test_expanding_a_template_percent_encodes_each_segment():
    t = PathTemplate.parse("/v1/{name=users/*/messages/*}:markRead")
    assert t.expand({("name",): "users/a b/messages/x:1"}) == "/v1/users/a%20b/messages/x%3A1:markRead"


def test_the_route_table_finds_the_rpc_and_tells_404_from_405():
    table = RouteTable(POOL.FindServiceByName(n) for n in
                       ("courtflow.case.v1.CaseService", "courtflow.alert.v1.AlertService"))
    route, values = table.find("GET", "/v1/courts/440101/cases/abc")
    assert route.grpc_method == "/courtflow.case.v1.CaseService/GetCase"
    assert values == {("name",): "courts/440101/cases/abc"}
    route, values = table.find("POST", "/v1/users/me/messages/m1:markRead")
    assert route.grpc_method == "/courtflow.alert.v1.AlertService/MarkMessageRead"
    route, _ = table.find("GET", "/v1/users/me/messages:stream")
    assert route.server_streaming
    # A colon that is no known verb belongs to the segment; percent-encoding is undone per segment.
    _, values = table.find("GET", "/v1/courts/440101/cases/a:b")
    assert values == {("name",): "courts/440101/cases/a:b"}
    _, values = table.find("GET", "/v1/courts/440101/cases/a%2Fb%20c")
    assert values == {("name",): "courts/440101/cases/a/b c"}
    with pytest.raises(NoRoute):
        table.find("GET", "/v1/courts/440101/judges")
    with pytest.raises(MethodNotAllowed) as wrong:
        table.find("DELETE", "/v1/courts/440101/cases")
    assert wrong.value.allowed == ("GET", "POST")


def test_every_rpc_the_gateway_serves_has_an_http_rule():
    services = [s for f in register_descriptors() for s in f.services_by_name.values()]
    assert len(services) >= 7
    missing = [f"{s.full_name}.{m.name}" for s in services for m in s.methods if not routes_of(m)]
    assert missing == []
    table = RouteTable(services)
    assert len({r.grpc_method for r in table.routes}) == sum(len(s.methods) for s in services)


# -- requests --------------------------------------------------------------------------------

def test_query_parameters_fill_fields_by_either_name():
    msg = decode("GET", "/v1/shelves/s1/things", [
        ("innerThing.name", "n"), ("inner_thing.numbers", "1"), ("innerThing.numbers", "2"), ("tags", "a"),
        ("tags", "b"), ("colour", "COLOUR_RED"), ("big", "9007199254740993"), ("on", "true"),
        ("atTime", "2026-03-02T02:00:00Z"), ("day", "2026-08-25"), ("mask", "innerThing.name,tags"),
        ("blob", base64.urlsafe_b64encode(b"\x00\xff").decode()), ("ratio", "0.5")])
    assert msg.parent == "shelves/s1" and msg.inner_thing.name == "n" and list(msg.inner_thing.numbers) == [1, 2]
    assert list(msg.tags) == ["a", "b"] and msg.colour == 1 and msg.big == 9007199254740993 and msg.on
    assert msg.at_time.ToDatetime(tzinfo=timezone.utc) == datetime(2026, 3, 2, 2, tzinfo=timezone.utc)
    assert (msg.day.year, msg.day.month, msg.day.day) == (2026, 8, 25)
    assert list(msg.mask.paths) == ["inner_thing.name", "tags"] and msg.blob == b"\x00\xff" and msg.ratio == 0.5
    assert decode("GET", "/v1/shelves/s1/things", [("colour", "1")]).colour == 1
    # A field mask's paths in snake_case too, like every other name (refused in English before).
    snake = decode("GET", "/v1/shelves/s1/things", [("mask", "inner_thing.name,tags")])
    assert list(snake.mask.paths) == ["inner_thing.name", "tags"]
    in_body = decode("POST", "/v1/shelves/s1:act", body=json.dumps({"mask": "inner_thing.numbers"}).encode())
    assert list(in_body.mask.paths) == ["inner_thing.numbers"]


@pytest.mark.parametrize(("query", "field"), [
    ([("colour_", "x")], "colour_"),            # unknown
    ([("on", "yes")], "on"),                    # not a boolean
    ([("big", "12x")], "big"),                  # not a number
    ([("day", "25.8.2026")], "day"),            # not YYYY-MM-DD
    ([("colour", "COLOUR_BLUE")], "colour"),    # no such enum value
    ([("innerThing", "x")], "innerThing"),      # a message, not a value
    ([("labels", "x")], "labels"),              # a map
    ([("big", "1"), ("big", "2")], "big"),      # repeated, but not a repeated field
    ([("parent", "shelves/other")], None),      # bound by the path: the path wins (below)
])
def test_bad_query_parameters_name_the_parameter(query, field):
    if field is None:
        assert decode("GET", "/v1/shelves/s1/things", query).parent == "shelves/s1"
        return
    with pytest.raises(InvalidArgument) as bad:
        decode("GET", "/v1/shelves/s1/things", query)
    assert bad.value.violations[0].field.split(".")[0] in (field, "big", "colour", "on")


def test_a_body_field_and_the_path_bind_together():
    msg = decode("PATCH", "/v1/shelves/s1/things/t1", [("tags", "x"), ("mask", "flag")],
                 json.dumps({"numbers": [3], "flag": True, "name": "ignored"}).encode())
    assert msg.inner_thing.name == "shelves/s1/things/t1" and list(msg.inner_thing.numbers) == [3]
    assert msg.inner_thing.flag and list(msg.tags) == ["x"]
    with pytest.raises(InvalidArgument) as bad:
        decode("PATCH", "/v1/shelves/s1/things/t1", [("innerThing.flag", "true")], b"{}")
    assert "请求体" in bad.value.message


def test_a_whole_body_takes_both_name_forms_and_no_query():
    msg = decode("POST", "/v1/shelves/s1:act", body=json.dumps(
        {"inner_thing": {"name": "a"}, "tags": ["t"], "atTime": "2026-03-02T10:00:00+08:00", "parent": "x",
         "labels": {"k": "v"}}).encode())
    assert msg.parent == "shelves/s1" and msg.inner_thing.name == "a" and dict(msg.labels) == {"k": "v"}
    assert decode("POST", "/v1/shelves/s1:act").parent == "shelves/s1"   # no body at all: {}
    with pytest.raises(InvalidArgument):
        decode("POST", "/v1/shelves/s1:act", [("tags", "t")], b"{}")


@pytest.mark.parametrize(("method", "path", "body", "field", "text"), [
    ("POST", "/v1/shelves/s1:act", b'{"tags": [', "body", "不是有效的 JSON"),
    ("POST", "/v1/shelves/s1:act", b"\xff\xfe", "body", "UTF-8"),
    ("POST", "/v1/shelves/s1:act", b"[1, 2]", "body", "JSON 对象"),
    ("POST", "/v1/shelves/s1:act", b'{"colour": "COLOUR_BLUE"}', "colour", "须为 Colour 的取值之一"),
    ("POST", "/v1/shelves/s1:act", b'{"innerThing": {"numbers": ["x"]}}', "inner_thing.numbers", "各项须为整数"),
    ("POST", "/v1/shelves/s1:act", b'{"innerThing": {"numbers": 3}}', "inner_thing.numbers", "须为数组"),
    ("POST", "/v1/shelves/s1:act", b'{"innerThing": "x"}', "inner_thing", "须为 JSON 对象"),
    ("POST", "/v1/shelves/s1:act", b'{"big": "99999999999999999999"}', "big", "超出范围"),
    ("POST", "/v1/shelves/s1:act", b'{"on": "yes"}', "on", "true 或 false"),
    ("POST", "/v1/shelves/s1:act", b'{"atTime": "tuesday"}', "at_time", "RFC 3339"),
    ("POST", "/v1/shelves/s1:act", b'{"day": "2026-08-25"}', "day", "须为日期"),
    ("POST", "/v1/shelves/s1:act", b'{"tags": [1]}', "tags", "各项须为字符串"),
    ("POST", "/v1/shelves/s1:act", b'{"shape": 1}', "shape", "没有这个字段"),
    ("POST", "/v1/shelves/s1:act", b'{"innerThing": {"shape": 1}}', "inner_thing.shape", "没有这个字段"),
    ("GET", "/v1/shelves/s1/things", b'{"tags": []}', "body", "不接受请求体"),
])
def test_a_bad_body_is_invalid_argument_naming_the_field(method, path, body, field, text):
    """In Chinese, whatever json_format said in English (issue 20 item 3)."""
    with pytest.raises(InvalidArgument) as bad:
        decode(method, path, body=body)
    assert bad.value.violations[0].field == field and text in bad.value.message
    assert not re.search(r"[A-Za-z]+ [a-z]+ [a-z]+", bad.value.message), bad.value.message


# -- the inverse, and answers ------------------------------------------------------------------

segment = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"), min_size=1, max_size=12)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def requests(draw):
    msg = Request(parent=f"shelves/{draw(segment)}", tags=draw(st.lists(texts, max_size=3)),
                  colour=draw(st.sampled_from([0, 1])), big=draw(st.integers(-2**63, 2**63 - 1)),
                  on=draw(st.booleans()), blob=draw(st.binary(max_size=8)),
                  ratio=draw(st.floats(allow_nan=False, width=64)))
    numbers = draw(st.lists(st.integers(-2**31, 2**31 - 1), max_size=3))
    if numbers:
        msg.inner_thing.numbers.extend(numbers)
    if draw(st.booleans()):   # an empty message field has no query form: set it only with content
        msg.inner_thing.flag = True
    if draw(st.booleans()):
        msg.day.year, msg.day.month, msg.day.day = 2026, draw(st.integers(1, 12)), draw(st.integers(1, 28))
    if draw(st.booleans()):
        msg.at_time.FromSeconds(draw(st.integers(0, 4_000_000_000)))
    if draw(st.booleans()):
        msg.mask.CopyFrom(FieldMask(paths=draw(st.lists(st.sampled_from(["tags", "inner_thing.name"]), max_size=2))))
    return msg


@settings(max_examples=150, deadline=None)
@given(msg=requests(), which=st.sampled_from(["List", "Act", "Get"]))
def test_encoding_a_request_and_decoding_it_give_it_back(msg, which):
    route = next(r for r in TABLE.routes if r.method.name == which)
    verb, path, query, body = encode_request(route, msg)
    found, values = TABLE.find(verb, path)
    assert found is route
    assert decode_request(found, values, query, body or b"") == msg


def test_encoding_puts_the_body_field_in_the_body_and_the_rest_in_the_query():
    route = next(r for r in TABLE.routes if r.method.name == "Update")
    msg = Request(tags=["a"], mask=FieldMask(paths=["inner_thing.flag"]))
    msg.inner_thing.name, msg.inner_thing.flag = "shelves/s/things/t", True
    assert encode_request(route, msg) == (
        "PATCH", "/v1/shelves/s/things/t", [("tags", "a"), ("mask", "innerThing.flag")], b'{"flag": true}')
    assert math.isnan(decode("GET", "/v1/shelves/s/things", [("ratio", "NaN")]).ratio)


def test_answers_are_proto3_json_with_defaults():
    route = next(r for r in TABLE.routes if r.method.name == "Get")
    out = decode_response(route, Request(big=5, day={"year": 2026, "month": 1, "day": 2}).SerializeToString())
    assert out["big"] == "5" and out["tags"] == [] and out["colour"] == "COLOUR_UNSPECIFIED" and out["on"] is False
    assert out["day"] == {"year": 2026, "month": 1, "day": 2} and "atTime" not in out and "innerThing" not in out


def test_errors_are_aip_193_bodies():
    info = error_details_pb2.ErrorInfo(reason="RATE_LIMITED", domain="courtflow.court.gov.cn",
                                       metadata={"retry_after_ms": "1200"})
    bad = error_details_pb2.BadRequest(field_violations=[error_details_pb2.BadRequest.FieldViolation(
        field="name", description="string.pattern: 不匹配")])
    status = status_pb2.Status(code=code_pb2.RESOURCE_EXHAUSTED, message="请求过于频繁")
    status.details.add().Pack(info)
    status.details.add().Pack(bad)
    err = error_of(status)
    assert err.status == 429 and err.reason == "RATE_LIMITED" and err.metadata == {"retry_after_ms": "1200"}
    assert err.body["error"]["status"] == "RESOURCE_EXHAUSTED" and err.body["error"]["code"] == 429
    assert err.body["error"]["message"] == "请求过于频繁"
    assert err.body["error"]["details"][1] == {"@type": "type.googleapis.com/google.rpc.BadRequest",
                                              "fieldViolations": [{"field": "name", "description": "string.pattern: 不匹配"}]}
    assert {code_pb2.Code.Name(c): HTTP_STATUS[c] for c in (code_pb2.INVALID_ARGUMENT, code_pb2.UNAUTHENTICATED,
            code_pb2.PERMISSION_DENIED, code_pb2.NOT_FOUND, code_pb2.ALREADY_EXISTS, code_pb2.ABORTED,
            code_pb2.FAILED_PRECONDITION, code_pb2.UNAVAILABLE, code_pb2.INTERNAL)} == {
        "INVALID_ARGUMENT": 400, "UNAUTHENTICATED": 401, "PERMISSION_DENIED": 403, "NOT_FOUND": 404,
        "ALREADY_EXISTS": 409, "ABORTED": 409, "FAILED_PRECONDITION": 400, "UNAVAILABLE": 503, "INTERNAL": 500}
    assert set(HTTP_STATUS) == set(code_pb2.Code.values())
    unknown = status_pb2.Status(code=code_pb2.INTERNAL, message="x")
    unknown.details.add(type_url="type.googleapis.com/some.Unknown", value=b"")
    assert error_of(unknown).body["error"]["details"] == []
    # Only the two detail types the OpenAPI document declares, known or not to this gateway.
    retry = status_pb2.Status(code=code_pb2.UNAVAILABLE, message="稍后重试")
    retry.details.add().Pack(error_details_pb2.RetryInfo())
    assert error_of(retry).body["error"]["details"] == []


def test_an_error_names_fields_as_the_http_client_sent_them():
    """Issue 20 item 3: the services name fields by their proto paths; the HTTP answer by the
    client's names, in the violations and the message alike."""
    bad = error_details_pb2.BadRequest(field_violations=[
        error_details_pb2.BadRequest.FieldViolation(field="inner_thing.numbers", description="至多 3 项"),
        error_details_pb2.BadRequest.FieldViolation(field="thing", description="必须填写")])
    status = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT,
                               message="参数错误: inner_thing.numbers: 至多 3 项; thing: 必须填写")
    status.details.add().Pack(bad)
    err = error_of(status, {"inner_thing.numbers": "innerThing.numbers", "thing": "thing"}.__getitem__)
    assert [v["field"] for v in err.body["error"]["details"][0]["fieldViolations"]] == ["innerThing.numbers", "thing"]
    assert err.body["error"]["message"] == "参数错误: innerThing.numbers: 至多 3 项; thing: 必须填写"
    # An empty name (a query parameter `=x`) is still there: the document requires field and description.
    nameless = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message="参数错误: : 未知的查询参数")
    nameless.details.add().Pack(error_details_pb2.BadRequest(field_violations=[
        error_details_pb2.BadRequest.FieldViolation(field="", description="未知的查询参数")]))
    assert error_of(nameless).body["error"]["details"][0]["fieldViolations"] == [
        {"field": "", "description": "未知的查询参数"}]
