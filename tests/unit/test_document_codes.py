"""Document codes (issue 20, item 2): the case API lists them (CaseEvent.document's allowed values,
an enum in the OpenAPI document), the node catalogue uses only those, and anything else is refused
naming the field."""
from pathlib import Path

import pytest
import yaml

from services.node import catalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", [catalog.DEFAULT_PATH, ROOT / "tests" / "data" / "catalog-slice.yaml"])
def test_every_catalogue_document_is_one_the_api_lists(path):
    nodes = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["nodes"]
    used = {c["document"] for n in nodes for c in (n.get("completed_by") or []) + [n.get("opened_by") or {}]
            if c.get("document")}
    assert used and used <= catalog.DOCUMENT_CODES


def test_a_catalogue_naming_an_unknown_document_is_refused(tmp_path):
    text = (ROOT / "tests" / "data" / "catalog-slice.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "catalog.yaml"
    bad.write_text(text.replace("document: complaint_copy", "document: complaint_kopy", 1), encoding="utf-8")
    with pytest.raises(catalog.CatalogError, match="complaint_kopy"):
        catalog.load(bad)


def test_the_openapi_document_lists_the_codes_and_says_when_required():
    from gateway.edge.descriptors import register_descriptors, service_names
    from gateway.edge.http_server import api_document

    _, doc = api_document(service_names(register_descriptors()))
    document = doc["components"]["schemas"]["CaseEvent"]["properties"]["document"]
    codes = doc["components"]["schemas"]["CaseEventDocument"]   # a named list, open to codes added later
    assert document["anyOf"][0] == {"$ref": "#/components/schemas/CaseEventDocument"}
    assert "complaint_copy" in codes["enum"] and "" in codes["enum"]
    assert "required for DOCUMENT_SERVED" in document["description"] and "起诉状副本" in document["description"]


def test_validation_errors_are_worded_in_chinese():
    """Issue 20, item 3: protovalidate's English ("does not match regex pattern …") stays out of
    what a user reads; the rule id stays for programs."""
    import protovalidate

    from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
    from services.common.errors import from_validation_error

    said = {}
    for message in (case_pb2.CaseEvent(document="nope", event_type=1), cs.ListCasesRequest(parent="x", page_size=5000)):
        with pytest.raises(protovalidate.ValidationError) as refused:
            protovalidate.validate(message)
        said.update({v.field: v.description for v in from_validation_error(refused.value).violations})
    assert said["occur_date"] == "required: 必须填写"
    assert said["document"].startswith("string.in: 取值无效") and "complaint_copy" not in said["document"][:12]
    assert said["parent"].startswith("string.pattern: 格式不正确")
    assert said["page_size"] == "int32.gte_lte: 须不小于 0 且不大于 1000"
    assert not any(word in text for text in said.values() for word in ("must", "does not", "value is"))


def test_a_bad_item_of_a_list_is_named_with_its_index():
    """Issue 20, item 3: `parties[1].display_name`, not `parties.display_name` (which party?); over
    HTTP-JSON the gateway names it `parties[1].displayName`."""
    import protovalidate

    from courtflow.case.v1 import case_pb2
    from services.common.errors import from_validation_error

    case = case_pb2.Case(parties=[case_pb2.Party(role=1, display_name="甲"), case_pb2.Party(role=2, display_name="")])
    with pytest.raises(protovalidate.ValidationError) as refused:
        protovalidate.validate(case)
    fields = [v.field for v in from_validation_error(refused.value, prefix="case.").violations]
    assert "case.parties[1].display_name" in fields and "case.parties[0].display_name" not in fields

