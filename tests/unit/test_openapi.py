"""The OpenAPI document of the HTTP-JSON API (gateway/edge/openapi.py), generated from the protos'
descriptors and http rules: valid OpenAPI 3.0, one operation per rule, path parameters per
resource-name segment with the field's pattern, proto3 JSON types, constraints from buf.validate."""
from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from gateway.edge.descriptors import register_descriptors, service_names
from gateway.edge.http_server import api_document
from gateway.edge.openapi import json_schema_pattern

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
    operations = ops(doc)
    assert len(operations) == len(table.routes)
    assert sorted(op["x-courtflow-grpc-method"] for op in operations.values()) == sorted(
        r.grpc_method for r in table.routes)
    assert len({op["operationId"] for op in operations.values()}) == len(operations)


def test_every_reference_resolves(api):
    _, doc = api
    text = str(doc)
    for ref in set(re.findall(r"'\$ref': '#/components/(\w+)/([\w.]+)'", text)):
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
        "$ref": "#/components/schemas/courtflow.node.v1.NodeRule"}
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
    assert "USAGE_GROUPING_UNSPECIFIED" not in group_by["schema"]["enum"]   # buf.validate not_in: [0]
    start = {p["name"]: p["schema"] for p in usage["parameters"]}["startTime"]
    assert start == {"type": "string", "format": "date-time"}
    hearing = doc["paths"]["/v1/courts/{court}/cases/{case}:validateHearing"]["post"]
    body = hearing["requestBody"]["content"]["application/json"]["schema"]
    assert "parent" not in body["properties"] and body["required"] == ["hearingDate"]
    stream = doc["paths"]["/v1/users/{user}/messages:stream"]["get"]
    assert list(stream["responses"]["200"]["content"]) == ["application/x-ndjson"]
    assert doc["paths"]["/v1/auth:login"]["post"]["security"] == []
    assert "security" not in doc["paths"]["/v1/caller"]["get"] and doc["security"] == [{"bearerAuth": []}]
    assert doc["paths"]["/v1/caller"]["get"]["responses"]["default"] == {"$ref": "#/components/responses/Error"}


def test_schemas_follow_the_proto3_json_mapping(api):
    _, doc = api
    schemas = doc["components"]["schemas"]
    case = schemas["courtflow.case.v1.Case"]
    assert _undescribed(case["properties"]["createTime"]) == {"type": "string", "format": "date-time",
                                                               "readOnly": True}
    assert case["properties"]["state"]["readOnly"] is True and "allOf" in case["properties"]["state"]
    assert case["properties"]["filingDate"]["allOf"] == [{"$ref": "#/components/schemas/google.type.Date"}]
    assert case["properties"]["parties"]["minItems"] == 1
    assert {"caseNumber", "caseType", "handler"} <= set(case["required"]) and "name" not in case["required"]
    assert schemas["courtflow.audit.v1.AuditRecord"]["properties"]["sequence"]["type"] == "string"   # int64
    assert _undescribed(schemas["courtflow.audit.v1.ExportAuditRecordsResponse"]["properties"]["content"]) == {
        "type": "string", "format": "byte"}
    login = doc["paths"]["/v1/auth:login"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert login["properties"]["password"]["writeOnly"] is True
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
    case_type = schemas["courtflow.case.v1.CaseType"]
    labels = dict(zip(case_type["enum"], case_type["x-enum-descriptions"]))
    assert labels["CASE_TYPE_CIVIL"] == "民事" and labels["CASE_TYPE_CRIMINAL"] == "刑事"
    stage = schemas["courtflow.node.v1.Stage"]
    assert dict(zip(stage["enum"], stage["x-enum-descriptions"]))["STAGE_FILING"] == "立案登记"
    # A path parameter says which part of which name it is, and what that name is.
    get_case = next(op for op in operations if op["operationId"] == "CaseService_GetCase")
    assert all("one segment of name" in p["description"] for p in get_case["parameters"] if p["in"] == "path")
