"""`nameParts` (gateway/edge/name_parts.py): every resource in an HTTP-JSON answer carries the path
values of its name, keyed by the path parameters its operations take, so that a portal never
splits a name by hand; a resource sent back whole with them is accepted; the OpenAPI document
declares them, read-only, one schema per kind of name."""
from __future__ import annotations

import json

import pytest
from courtflow.alert.v1 import alert_pb2, alert_service_pb2
from courtflow.case.v1 import case_pb2, case_service_pb2
from courtflow.node.v1 import node_pb2, node_service_pb2
from google.api import resource_pb2
from google.protobuf import descriptor_pb2, descriptor_pool

from gateway.edge import name_parts
from gateway.edge.descriptors import register_descriptors, service_names
from gateway.edge.http_server import api_document
from gateway.edge.json_names import path_parameters
from gateway.edge.transcode import decode_request, decode_response
from services.common.errors import InvalidArgument
from services.common.names import RESOURCE_NAMES

CASE = "0b7e7a4e-3c1f-4f55-9d0e-6f4b1d2c3a4b"
APP = "5f0e9a1b-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
CASE_NAME = f"courts/440101/cases/{CASE}"


@pytest.fixture(scope="module")
def api():
    return api_document(service_names(register_descriptors()))


def route(table, grpc_method: str):
    return next(r for r in table.routes if r.grpc_method.endswith("/" + grpc_method))


def test_a_case_answer_has_the_path_values_of_its_name(api):
    table, _ = api
    reply = case_service_pb2.GetCaseResponse(case=case_pb2.Case(name=CASE_NAME, cause="民间借贷纠纷"))
    case = decode_response(route(table, "GetCase"), reply.SerializeToString())["case"]
    assert case["nameParts"] == {"court": "440101", "case": CASE}
    assert list(case)[:2] == ["name", "nameParts"]   # where a reader looks for it


def test_every_resource_of_a_list_and_of_a_nested_answer_has_them_and_references_have_none(api):
    table, _ = api
    nodes = node_service_pb2.ListNodesResponse(nodes=[
        node_pb2.Node(name=f"{CASE_NAME}/nodes/trial_limit"),
        node_pb2.Node(name=f"{CASE_NAME}/nodes/serve_hearing_summons-2")])
    page = decode_response(route(table, "ListNodes"), nodes.SerializeToString())
    assert [n["nameParts"] for n in page["nodes"]] == [
        {"court": "440101", "case": CASE, "node": "trial_limit"},
        {"court": "440101", "case": CASE, "node": "serve_hearing_summons-2"}]
    approved = node_service_pb2.ApproveApplicationResponse(
        application=node_pb2.Application(name=f"{CASE_NAME}/nodes/trial_limit/applications/{APP}"),
        node=node_pb2.Node(name=f"{CASE_NAME}/nodes/trial_limit"))
    both = decode_response(route(table, "ApproveApplication"), approved.SerializeToString())
    assert both["application"]["nameParts"] == {"court": "440101", "case": CASE, "node": "trial_limit",
                                                "application": APP}
    assert both["node"]["nameParts"]["node"] == "trial_limit"
    inbox = alert_service_pb2.StreamMessagesResponse(message=alert_pb2.Message(
        name=f"users/judge.440101.civil1.1/messages/{APP}", case=CASE_NAME, node=f"{CASE_NAME}/nodes/trial_limit"))
    line = decode_response(route(table, "StreamMessages"), inbox.SerializeToString())
    assert line["message"]["nameParts"] == {"user": "judge.440101.civil1.1", "message": APP}
    # A field naming another resource is that resource's name only: no parts of its own.
    assert line["message"]["case"] == CASE_NAME and line["message"]["node"] == f"{CASE_NAME}/nodes/trial_limit"
    assert [k for k in line["message"] if k.endswith("Parts")] == ["nameParts"]


def test_a_resource_without_a_usable_name_is_answered_without_parts(api):
    table, _ = api
    for name in ("", "courts/440101/nodes/x"):
        reply = case_service_pb2.GetCaseResponse(case=case_pb2.Case(name=name, cause="x"))
        case = decode_response(route(table, "GetCase"), reply.SerializeToString())["case"]
        assert "nameParts" not in case and case["cause"] == "x"


@pytest.mark.parametrize("key", ["nameParts", "name_parts"])
def test_a_resource_sent_back_whole_with_its_parts_is_accepted(api, key):
    """A portal reads a case, changes a field and sends the case back as it came: the read-only
    parts (in either name form) are ignored, not refused as an unknown field."""
    table, _ = api
    update = route(table, "UpdateCase")
    read = decode_response(route(table, "GetCase"), case_service_pb2.GetCaseResponse(
        case=case_pb2.Case(name=CASE_NAME, cause="民间借贷纠纷", etag="e1")).SerializeToString())["case"]
    sent = {**read, "cause": "金融借款合同纠纷"}
    sent[key] = sent.pop("nameParts")
    request = decode_request(update, {("case", "name"): CASE_NAME}, [("updateMask", "cause")],
                             json.dumps(sent, ensure_ascii=False).encode())
    assert request.case.name == CASE_NAME and request.case.cause == "金融借款合同纠纷"
    assert list(request.update_mask.paths) == ["cause"]
    # Where no resource is, it is an unknown field as before.
    with pytest.raises(InvalidArgument):
        decode_request(update, {("case", "name"): CASE_NAME}, [("updateMask", "cause")],
                       json.dumps({"cause": "x", "parties": [{"nameParts": {}}]}).encode())


def test_the_keys_are_the_path_parameters_of_the_operations_on_that_kind_of_name(api):
    """For every route, each path variable over a kind of name (`{name=courts/*/cases/*}`, or a
    list's `{parent=courts/*/cases/*}`) takes exactly the parameters its parts are keyed by."""
    table, _ = api
    by_shape = {tuple("*" if w.startswith("{") else w for w in pattern.split("/")): cls
                for pattern, cls in RESOURCE_NAMES.items()}
    checked = set()
    for r in table.routes:
        params = path_parameters(r)
        for var in r.template.variables:
            cls = by_shape.get(r.template.segments[var.start:var.end])
            if cls is None:
                continue
            assert [p.name for p in params if p.field_path == var.field_path] == name_parts.keys(cls), r.template.text
            checked.add(cls.__name__)
    assert {"CaseName", "NodeName", "ApplicationName", "NodeRuleName", "StageViewName", "DepartmentName",
            "UserName", "MessageName", "CourtName"} <= checked


def test_every_resource_the_api_answers_has_a_kind_of_name(api):
    table, doc = api
    pool = descriptor_pool.Default()
    schemas = doc["components"]["schemas"]
    resources = [m for m in _answered(table) if name_parts.name_class(pool.FindMessageTypeByName(m))]
    assert {"courtflow.case.v1.Case", "courtflow.node.v1.Node", "courtflow.node.v1.Application",
            "courtflow.alert.v1.Message", "courtflow.gateway.v1.User",
            "courtflow.stats.v1.SupervisedCase"} <= set(resources)
    for full in resources:
        message = pool.FindMessageTypeByName(full)
        cls = name_parts.name_class(message)
        prop = schemas[full.rsplit(".", 1)[1]]["properties"]["nameParts"]
        assert prop["readOnly"] is True and prop["allOf"] == [{"$ref": f"#/components/schemas/{cls.__name__}Parts"}]
        parts = schemas[f"{cls.__name__}Parts"]
        assert parts["required"] == list(parts["properties"]) == name_parts.keys(cls)
        assert all(p["type"] == "string" for p in parts["properties"].values())
    assert schemas["CaseNameParts"]["required"] == ["court", "case"]
    assert schemas["NodeRuleNameParts"]["required"] == ["court", "nodeRule"]
    assert "调用本资源的方法" in schemas["Case"]["properties"]["nameParts"]["description"]


def test_a_resource_pattern_without_a_kind_of_name_stops_the_document():
    """A new resource gets its class in services/common/names.py, or the gateway does not start."""
    fd = descriptor_pb2.FileDescriptorProto(name="name_parts_test/shelf.proto", package="name_parts.test",
                                            syntax="proto3", dependency=["google/api/resource.proto"])
    shelf = fd.message_type.add(name="Shelf")
    shelf.field.add(name="name", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
                    label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL, json_name="name")
    shelf.options.Extensions[resource_pb2.resource].MergeFrom(
        resource_pb2.ResourceDescriptor(type="example/Shelf", pattern=["shelves/{shelf}"]))
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(fd.name)
    except KeyError:
        pool.Add(fd)
    with pytest.raises(ValueError, match="name_parts.test.Shelf.*names.py"):
        name_parts.name_class(pool.FindMessageTypeByName("name_parts.test.Shelf"))


def _answered(table) -> set[str]:
    """Every message type an answer can hold."""
    seen: set[str] = set()

    def walk(message):
        if message.full_name in seen:
            return
        seen.add(message.full_name)
        for f in message.fields:
            if f.message_type is not None:
                walk(f.message_type)
    for r in table.routes:
        walk(r.method.output_type)
    return seen
