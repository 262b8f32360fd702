"""What the HTTP-JSON API calls a field (gateway/edge/json_names.py): the services name a bad field
by its proto path; an HTTP client is told the name it sent (issue 20 item 3)."""
from __future__ import annotations

import pytest

from gateway.edge.descriptors import register_descriptors, service_names
from gateway.edge.http_server import api_document
from gateway.edge.json_names import http_field

TABLE, _ = api_document(service_names(register_descriptors()))
ROUTES = {(r.http_method, r.template.text): r for r in TABLE.routes}
CASE_ID = "0190d1e0-0000-7000-8000-000000000000"


@pytest.mark.parametrize(("route", "proto_path", "values", "http_name"), [
    # CreateCase: the body is the case, request_id a query parameter, parent the path's {court}
    (("POST", "/v1/{parent=courts/*}/cases"), "case.case_number", None, "caseNumber"),
    (("POST", "/v1/{parent=courts/*}/cases"), "case.parties[1].display_name", None, "parties[1].displayName"),
    (("POST", "/v1/{parent=courts/*}/cases"), "case.filing_date.year", None, "filingDate.year"),
    (("POST", "/v1/{parent=courts/*}/cases"), "case", None, "body"),
    (("POST", "/v1/{parent=courts/*}/cases"), "request_id", None, "requestId"),
    (("POST", "/v1/{parent=courts/*}/cases"), "parent", {("parent",): "courts/x"}, "court"),
    # GetCase: a bad name is reported against the segment that breaks its pattern
    (("GET", "/v1/{name=courts/*/cases/*}"), "name", {("name",): "courts/440101/cases/not-an-id"}, "case"),
    (("GET", "/v1/{name=courts/*/cases/*}"), "name", {("name",): f"courts/4/cases/{CASE_ID}"}, "court"),
    (("GET", "/v1/{name=courts/*/cases/*}"), "name", None, "case"),
    # ListCases: query parameters in their JSON names
    (("GET", "/v1/{parent=courts/*}/cases"), "page_size", None, "pageSize"),
    (("GET", "/v1/{parent=courts/*}/cases"), "pageSize", None, "pageSize"),
    # UpdateCase: the path binds case.name, the body is the case
    (("PATCH", "/v1/{case.name=courts/*/cases/*}"), "case.name", {("case", "name"): "courts/44/cases/x"}, "case"),
    (("PATCH", "/v1/{case.name=courts/*/cases/*}"), "case.case_number", None, "caseNumber"),
    (("PATCH", "/v1/{case.name=courts/*/cases/*}"), "update_mask", None, "updateMask"),
    # RecordCaseEvent: a service may name a field of the body relative to it
    (("POST", "/v1/{parent=courts/*/cases/*}/events"), "case_event.document", None, "document"),
    (("POST", "/v1/{parent=courts/*/cases/*}/events"), "document", None, "document"),
    # a whole-body request: JSON paths from the top
    (("POST", "/v1/{parent=courts/*/cases/*}:validateHearing"), "hearing_date.day", None, "hearingDate.day"),
    # not a field of the request: as it was
    (("POST", "/v1/{parent=courts/*/cases/*}:validateHearing"), "courtroom", None, "courtroom"),
    (("GET", "/v1/{parent=courts/*}/cases"), "(message)", None, "(message)"),
])
def test_a_field_is_named_as_the_http_client_sent_it(route, proto_path, values, http_name):
    assert http_field(ROUTES[route], proto_path, values) == http_name
