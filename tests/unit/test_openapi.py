"""The OpenAPI document of the HTTP-JSON API (gateway/edge/openapi.py), generated from the protos'
descriptors and http rules: valid OpenAPI 3.0, one operation per rule, path parameters per
resource-name segment with the field's pattern, proto3 JSON types, constraints from buf.validate."""
from __future__ import annotations

import re

import pytest
from google.protobuf import descriptor_pool
from openapi_spec_validator import validate

from gateway.edge.descriptors import register_descriptors, service_names
from gateway.edge.error_schemas import SCHEMAS
from gateway.edge.http_server import api_document
from gateway.edge.json_schemas import Schemas, component_name
from gateway.edge.validation_schemas import json_schema_pattern

SERVICES = service_names(register_descriptors())


@pytest.fixture(scope="module")
def api():
    return api_document(SERVICES)


def ops(doc):
    return {(path, verb): op for path, item in doc["paths"].items() for verb, op in item.items()}


def test_the_document_is_valid_openapi_and_covers_every_rule(api):
    table, doc = api
    validate(doc)
    assert doc["openapi"] == "3.0.3"
    operations = {**ops(doc), **ops({"paths": doc["x-courtflow-streams"]})}
    assert len(operations) == len(table.routes)
    assert sorted(op["x-courtflow-grpc-method"] for op in operations.values()) == sorted(
        r.grpc_method for r in table.routes)
    assert len({op["operationId"] for op in operations.values()}) == len(operations)


def test_every_reference_resolves(api):
    _, doc = api
    text = str(doc)
    for ref in set(re.findall(r"'\$ref': '#/components/(\w+)/([\w.]+)'", text)) | {
            tuple(target.split("/")[-2:]) for target in re.findall(r"'(#/components/\w+/\w+)'", text)}:
        assert ref[1] in doc["components"][ref[0]], ref


def test_resource_names_become_one_path_parameter_per_segment(api):
    _, doc = api
    get_case = doc["paths"]["/v1/courts/{court}/cases/{case}"]["get"]
    params = {p["name"]: p for p in get_case["parameters"]}
    assert params["court"]["in"] == "path" and params["court"]["schema"]["pattern"] == "^[0-9]{2,12}$"
    assert params["case"]["schema"]["pattern"] == "^[0-9a-f-]{36}$"
    mark = doc["paths"]["/v1/users/{user}/messages/{message}:markRead"]["post"]
    assert [p["name"] for p in mark["parameters"]] == ["user", "message"]
    lists = doc["paths"]["/v1/courts/{court}/cases/{case}/nodes"]["get"]
    assert {p["name"]: p["schema"]["pattern"] for p in lists["parameters"] if p["in"] == "path"} == {
        "court": "^([0-9]{2,12}|-)$", "case": "^([0-9a-f-]{36}|-)$"}
    patch = doc["paths"]["/v1/courts/{court}/nodeRules/{nodeRule}"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/NodeRule"}
    assert [p["name"] for p in patch["parameters"] if p["in"] == "query"] == ["updateMask"]


def test_query_parameters_bodies_and_answers(api):
    _, doc = api
    list_cases = doc["paths"]["/v1/courts/{court}/cases"]["get"]
    query = {p["name"]: p for p in list_cases["parameters"] if p["in"] == "query"}
    assert set(query) == {"pageSize", "pageToken", "filter"}
    assert query["pageSize"]["schema"] == {"type": "integer", "format": "int32", "minimum": 0, "maximum": 1000}
    create = doc["paths"]["/v1/courts/{court}/cases"]["post"]
    assert [p["name"] for p in create["parameters"] if p["in"] == "query"] == ["requestId"]
    assert create["requestBody"]["required"] is True
    usage = doc["paths"]["/v1/auditUsage"]["get"]
    group_by = next(p for p in usage["parameters"] if p["name"] == "groupBy")
    assert group_by["schema"] == {"$ref": "#/components/schemas/UsageGrouping"}   # the named enum
    start = {p["name"]: p["schema"] for p in usage["parameters"]}["startTime"]
    assert start == {"type": "string", "format": "date-time"}
    hearing = doc["paths"]["/v1/courts/{court}/cases/{case}:validateHearing"]["post"]
    assert hearing["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidateHearingRequestBody"}
    body = doc["components"]["schemas"]["ValidateHearingRequestBody"]
    assert "parent" not in body["properties"] and body["required"] == ["hearingDate"]
    assert doc["paths"]["/v1/auth:login"]["post"]["security"] == []
    assert "security" not in doc["paths"]["/v1/caller"]["get"] and doc["security"] == [{"bearerAuth": []}]
    assert doc["paths"]["/v1/caller"]["get"]["responses"]["default"] == {"$ref": "#/components/responses/Error"}


def test_every_operation_declares_its_errors(api):
    """Issue 20 item 3: 400, 401, 403, 404, 409, 429 (with Retry-After) and 503 on every operation,
    each an AIP-193 body whose status is an enum and whose details are ErrorInfo or BadRequest."""
    _, doc = api
    for op in ops(doc).values():
        assert {"400", "401", "403", "404", "409", "429", "503", "default"} <= set(op["responses"]), op["operationId"]
    responses = doc["components"]["responses"]
    assert "Retry-After" in responses["RateLimited"]["headers"] and "Retry-After" in responses["Unavailable"]["headers"]
    schemas = doc["components"]["schemas"]
    status = schemas["Status"]["properties"]
    assert status["status"]["allOf"] == [{"$ref": "#/components/schemas/Code"}]
    assert {"INVALID_ARGUMENT", "PERMISSION_DENIED", "UNAVAILABLE"} <= set(schemas["Code"]["enum"])
    items = status["details"]["items"]
    assert items["discriminator"]["mapping"] == {
        "type.googleapis.com/google.rpc.ErrorInfo": "#/components/schemas/ErrorInfo",
        "type.googleapis.com/google.rpc.BadRequest": "#/components/schemas/BadRequest"}
    assert schemas["BadRequest"]["properties"]["fieldViolations"]["items"] == {
        "$ref": "#/components/schemas/FieldViolation"}


def test_a_stream_is_kept_out_of_the_operations_and_documented_apart(api):
    """Issue 20 item 4: generators cannot read a response that never ends (application/x-ndjson):
    StreamMessages is not among the paths a client is generated from, but described beside them,
    its line a named schema, with an example in the document's description."""
    _, doc = api
    assert not [op["operationId"] for op in ops(doc).values()
                if "application/x-ndjson" in op["responses"]["200"].get("content", {})]
    stream = doc["x-courtflow-streams"]["/v1/users/{user}/messages:stream"]["get"]
    assert stream["operationId"] == "AlertService_StreamMessages"
    assert stream["responses"]["200"]["content"] == {
        "application/x-ndjson": {"schema": {"$ref": "#/components/schemas/StreamMessagesLine"}}}
    line = doc["components"]["schemas"]["StreamMessagesLine"]["properties"]
    assert line["result"]["allOf"] == [{"$ref": "#/components/schemas/StreamMessagesResponse"}]
    assert "messages:stream" in doc["info"]["description"] and '{"result": {"message"' in doc["info"]["description"]


def test_schemas_follow_the_proto3_json_mapping(api):
    _, doc = api
    schemas = doc["components"]["schemas"]
    case = schemas["Case"]
    assert _undescribed(case["properties"]["createTime"]) == {"type": "string", "format": "date-time",
                                                               "readOnly": True}
    assert case["properties"]["state"]["readOnly"] is True
    assert case["properties"]["state"]["anyOf"][0] == {"$ref": "#/components/schemas/CaseState"}
    assert case["properties"]["filingDate"]["allOf"] == [{"$ref": "#/components/schemas/Date"}]
    assert schemas["Date"]["required"] == ["year", "month", "day"]
    assert case["properties"]["parties"]["minItems"] == 1
    assert {"caseNumber", "caseType", "handler"} <= set(case["required"]) and "name" not in case["required"]
    sequence = schemas["AuditRecord"]["properties"]["sequence"]   # int64: a string, and said so
    assert sequence["type"] == "string" and "64 位整数" in sequence["description"]
    assert _undescribed(schemas["ExportAuditRecordsResponse"]["properties"]["content"]) == {
        "type": "string", "format": "byte"}
    login = doc["paths"]["/v1/auth:login"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert login == {"$ref": "#/components/schemas/LoginRequest"}
    assert schemas["LoginRequest"]["properties"]["password"]["writeOnly"] is True
    for schema in schemas.values():
        for prop in schema.get("properties", {}).values():
            if "pattern" in prop:
                re.compile(prop["pattern"])


def test_re2_patterns_become_json_schema_patterns():
    assert json_schema_pattern(r"^（[0-9]{4}）\p{Han}{1,2}号$") == "^（[0-9]{4}）[\u4e00-\u9fff]{1,2}号$"
    assert re.fullmatch(json_schema_pattern(r"^\p{Han}+$"), "民初")
    assert json_schema_pattern("(?P<x") is None


def _undescribed(schema: dict) -> dict:
    return {k: v for k, v in schema.items() if k != "description"}


def test_the_protos_comments_document_the_api(api):
    """Issue 20 item 1: every operation, parameter and property says what it is (from the protos'
    comments, scripts/gen_protos.py → courtflow/docs.json), and every enum value its Chinese label."""
    _, doc = api
    operations = [op for path in doc["paths"].values() for op in path.values()]
    assert [op["operationId"] for op in operations if not op.get("description")] == []
    assert [(op["operationId"], p["name"]) for op in operations for p in op.get("parameters", [])
            if not p.get("description")] == []
    schemas = doc["components"]["schemas"]
    assert [(name, prop) for name, schema in schemas.items() for prop, value in schema.get("properties", {}).items()
            if not value.get("description")] == []
    create = next(op for op in operations if op["operationId"] == "CaseService_CreateCase")
    assert "request_id" in create["description"] or "Idempotent" in create["description"]
    case_type = schemas["CaseType"]
    labels = dict(zip(case_type["enum"], case_type["x-enum-descriptions"]))
    assert labels["CASE_TYPE_CIVIL"] == "民事" and labels["CASE_TYPE_CRIMINAL"] == "刑事"
    stage = schemas["Stage"]
    assert dict(zip(stage["enum"], stage["x-enum-descriptions"]))["STAGE_FILING"] == "立案登记"
    # A path parameter says which part of which name it is, and what that name is.
    get_case = next(op for op in operations if op["operationId"] == "CaseService_GetCase")
    assert all("one segment of name" in p["description"] for p in get_case["parameters"] if p["in"] == "path")


def test_component_names_are_short_unique_and_stable(api):
    """Issue 20 item 5: generators make class names of the components' names, so they are the
    types' own (`Case`, `CaseEventType`), never the package; a name two types would take stops the
    document being made, and every type of CourtFlow's protos (reached or not yet) has its own."""
    _, doc = api
    schemas = doc["components"]["schemas"]
    assert {"Case", "CaseEventType", "CaseType", "Node", "Message", "Date", "Error", "ErrorInfo", "BadRequest"} <= set(
        schemas)
    assert [n for n in schemas if "." in n or n.startswith(("Courtflow", "Google"))] == []
    pool = descriptor_pool.Default()
    types: dict[str, list[str]] = {}
    for name in SERVICES:
        for file in _files(pool.FindServiceByName(name).file):
            nested = [*file.message_types_by_name.values(), *file.enum_types_by_name.values()]
            while nested:
                t = nested.pop()
                if not (t.full_name.startswith("courtflow.") or t.full_name.startswith("google.type.")):
                    continue
                types.setdefault(component_name(t), []).append(t.full_name)
                if hasattr(t, "nested_types"):
                    nested += [*t.nested_types, *t.enum_types]
    collisions = {short: sorted(set(full)) for short, full in types.items() if len(set(full)) > 1}
    assert collisions == {}, "name one of each in gateway/edge/json_schemas.py COMPONENT_NAMES"
    assert [n for n in types if n in SCHEMAS] == []   # the error body's names are taken too
    schemas = Schemas()
    schemas.claim("Case", "courtflow.case.v1.Case")
    with pytest.raises(ValueError, match="Case is both courtflow.case.v1.Case and courtflow.stats.v1.Case"):
        schemas.claim("Case", "courtflow.stats.v1.Case")


def _files(file, seen=None):
    seen = set() if seen is None else seen
    if file.name not in seen:
        seen.add(file.name)
        yield file
        for dep in file.dependencies:
            yield from _files(dep, seen)


def test_enums_are_named_and_open(api):
    """Issue 20 item 5: each enum is one named schema; a field of it also takes any string, so that
    a value added later reaches an old generated client as a string instead of failing the page."""
    _, doc = api
    schemas = doc["components"]["schemas"]
    inline = []

    def walk(where, node):
        if isinstance(node, dict):
            if "enum" in node and where.count("/") > 1 and not where.endswith("/@type"):
                inline.append(where)
            for key, value in node.items():
                walk(f"{where}/{key}", value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(f"{where}/{i}", value)
    walk("", doc["paths"])
    walk("", {name: s.get("properties", {}) for name, s in schemas.items()})
    assert inline == []
    case_type = schemas["Case"]["properties"]["caseType"]
    assert case_type["anyOf"] == [{"$ref": "#/components/schemas/CaseType"}, {
        "type": "string", "description": "本文档之后新增的取值（旧客户端应当容忍）"}]
    assert "CASE_TYPE_UNSPECIFIED" in case_type["description"]   # buf.validate not_in, said
    assert schemas["CaseEvent"]["properties"]["document"]["anyOf"][0] == {
        "$ref": "#/components/schemas/CaseEventDocument"}
    assert "complaint_copy" in schemas["CaseEventDocument"]["enum"]
