"""The contract with integrators (issue 20 item 6): a client generated from the gateway's own
/openapi.json by openapi-python-client, the generator court portals use, drives a portal's calls:
a court system files a case, corrects it by sending it back as it was read and records an event,
a judge lists the case's nodes, reads one, reads the inbox and marks a reminder read, every call
addressed by the `nameParts` of the resource it acts on (never by splitting a name); errors come
back typed; an enum value added after the client was generated does not break it. A change to the
document that breaks generated clients fails here.

The generator runs offline (its formatting hooks are turned off), into this module's temporary
directory, and the package is imported from there."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
import urllib.request
import uuid
from datetime import datetime

import pytest

from services.common.clock import LEGAL_TZ
from support import COURT, COURT_SYSTEM, DEPARTMENT, JUDGE, eventually

pytestmark = pytest.mark.timeout(300)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
PACKAGE = "courtflow_portal_client"
GENERATOR = [sys.executable, "-m", "openapi_python_client"]   # the dev group's, from uv.lock
CASE = {
    "caseNumber": "（2026）示0101民初9901号", "caseType": "CASE_TYPE_CIVIL",
    "procedure": "PROCEDURE_FIRST_INSTANCE_ORDINARY", "cause": "民间借贷纠纷",
    "parties": [{"role": "PARTY_ROLE_PLAINTIFF", "displayName": "甲"}, {"role": "PARTY_ROLE_DEFENDANT", "displayName": "乙"}],
    "department": DEPARTMENT, "handler": f"users/{JUDGE}", "filingDate": {"year": 2026, "month": 3, "day": 2},
    "custody": False,
}


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("client", clock=START)


@pytest.fixture(scope="module")
def api(cf, tmp_path_factory):
    """The generated package, from the document the running gateway serves."""
    work = tmp_path_factory.mktemp("generated-client")
    with urllib.request.urlopen(f"{cf.system.gateway_http}/openapi.json", timeout=15) as answer:
        (work / "openapi.json").write_bytes(answer.read())
    (work / "config.yaml").write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n")
    generated = subprocess.run(
        [*GENERATOR, "generate", "--path", str(work / "openapi.json"), "--config", str(work / "config.yaml"),
         "--output-path", str(work / PACKAGE), "--meta", "none"],
        capture_output=True, text=True, timeout=120, cwd=work)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    # Every operation made it into the client: nothing skipped with a warning.
    assert "Warning" not in generated.stdout + generated.stderr, generated.stdout + generated.stderr
    sys.path.insert(0, str(work))
    try:
        yield _Generated(cf)
    finally:
        sys.path.remove(str(work))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


class _Generated:
    """The generated package's modules, and a client per user."""

    def __init__(self, cf) -> None:
        self.cf = cf
        self.models = importlib.import_module(f"{PACKAGE}.models")
        self.client_module = importlib.import_module(PACKAGE)

    def op(self, service: str, rpc: str):
        return importlib.import_module(f"{PACKAGE}.api.{service}_service.{service}_service_{rpc}")

    def client(self, user: str):
        return self.client_module.AuthenticatedClient(base_url=self.cf.system.gateway_http,
                                                      token=self.cf.logins[user]["token"], timeout=30)


def test_a_portal_drives_a_case_through_the_generated_client(cf, api):
    m = api.models
    court_system, judge = api.client(COURT_SYSTEM), api.client(JUDGE)
    case = m.Case.from_dict(CASE)   # the same case, built from the generated models:
    assert case == m.Case(case_number=CASE["caseNumber"], case_type=m.CaseType.CASE_TYPE_CIVIL,
                          procedure=m.Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, cause="民间借贷纠纷",
                          parties=[m.Party(role=m.PartyRole.PARTY_ROLE_PLAINTIFF, display_name="甲"),
                                   m.Party(role=m.PartyRole.PARTY_ROLE_DEFENDANT, display_name="乙")],
                          department=DEPARTMENT, handler=f"users/{JUDGE}",
                          filing_date=m.Date(year=2026, month=3, day=2), custody=False)
    created = api.op("case", "create_case").sync_detailed(COURT, client=court_system, body=case,
                                                          request_id="generated-client-1")
    assert created.status_code == 200, created.content
    filed = created.parsed.case
    assert isinstance(filed, m.Case) and filed.state == m.CaseState.CASE_STATE_FILED
    assert filed.filing_date == m.Date(year=2026, month=3, day=2)
    # The path values of its name come with it, under the names the case's operations take.
    assert isinstance(filed.name_parts, m.CaseNameParts), filed.name_parts
    court, case_id = filed.name_parts.court, filed.name_parts.case
    assert court == COURT and filed.name == f"courts/{court}/cases/{case_id}"

    # A correction sends the case back whole, as it was read (its read-only nameParts included).
    filed.cause = "金融借款合同纠纷"
    corrected = api.op("case", "update_case").sync_detailed(
        court, case_id, client=court_system, body=filed, update_mask="cause",
        reason=m.CaseChangeReason.CASE_CHANGE_REASON_CORRECTION, request_id="generated-client-fix")
    assert corrected.status_code == 200, corrected.content
    assert corrected.parsed.case.cause == "金融借款合同纠纷" and corrected.parsed.case.name_parts == filed.name_parts

    def nodes():
        reply = api.op("node", "list_nodes").sync_detailed(court, case_id, client=judge)
        assert reply.status_code == 200, reply.content
        return {n.node_type: n for n in reply.parsed.nodes}
    opened = eventually(lambda: nodes() if len(nodes()) == 2 else None, what="the nodes filing opens")
    assert opened["serve_complaint_copy"].state == m.NodeState.NODE_STATE_RUNNING
    serving = opened["serve_complaint_copy"]
    assert isinstance(serving.name_parts, m.NodeNameParts), serving.name_parts
    # Its parts are keyed by GetNode's own parameters: they go in as they are.
    again = api.op("node", "get_node").sync_detailed(**serving.name_parts.to_dict(), client=judge)
    assert again.status_code == 200, again.content
    assert again.parsed.node.name == serving.name

    event = m.CaseEvent(event_type=m.CaseEventType.CASE_EVENT_TYPE_DOCUMENT_SERVED,
                        occur_date=m.Date(year=2026, month=3, day=2), document=m.CaseEventDocument.COMPLAINT_COPY)
    recorded = api.op("case", "record_case_event").sync_detailed(court, case_id, client=court_system, body=event,
                                                                 request_id=f"generated-client-{uuid.uuid4()}")
    assert recorded.status_code == 200, recorded.content
    assert recorded.parsed.case_event.document == m.CaseEventDocument.COMPLAINT_COPY
    eventually(lambda: nodes()["serve_complaint_copy"].state == m.NodeState.NODE_STATE_COMPLETED,
               what="the served complaint completing its node")

    cf.set_clock(datetime(2026, 8, 19, 9, tzinfo=LEGAL_TZ))   # the trial limit's 15-day warning fires

    def warning():
        reply = api.op("alert", "list_messages").sync_detailed("me", client=judge, filter_="read = false")
        assert reply.status_code == 200, reply.content
        return next((msg for msg in reply.parsed.messages if msg.case == filed.name
                     and msg.kind == m.ReminderKind.REMINDER_KIND_WARNING), None)
    message = eventually(warning, what="the trial limit's warning in the judge's inbox")
    assert message.read is False
    assert isinstance(message.name_parts, m.MessageNameParts), message.name_parts
    marked = api.op("alert", "mark_message_read").sync_detailed(
        message.name_parts.user, message.name_parts.message, client=judge, body=m.MarkMessageReadRequestBody())
    assert marked.status_code == 200, marked.content
    assert marked.parsed.message.read is True
    again = api.op("alert", "list_messages").sync_detailed("me", client=judge, filter_="read = false").parsed
    assert message.name not in [msg.name for msg in again.messages]


def test_errors_reach_the_generated_client_typed(cf, api):
    m = api.models
    bad = m.Case(case_number="x", case_type=m.CaseType.CASE_TYPE_CIVIL,
                 procedure=m.Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, cause="民间借贷纠纷", parties=[],
                 department=DEPARTMENT, handler=f"users/{JUDGE}")
    refused = api.op("case", "create_case").sync_detailed(COURT, client=api.client(COURT_SYSTEM), body=bad,
                                                          request_id="generated-client-bad")
    assert refused.status_code == 400 and isinstance(refused.parsed, m.Error)
    error = refused.parsed.error
    assert error.status == m.Code.INVALID_ARGUMENT and "参数错误" in error.message
    violations = {v.field: v.description for d in error.details if isinstance(d, m.BadRequest)
                  for v in d.field_violations}
    assert {"caseNumber", "parties"} <= set(violations)   # as the portal named them
    assert [d.reason for d in error.details if isinstance(d, m.ErrorInfo)] == ["INVALID_ARGUMENT"]

    bad_path = api.op("case", "get_case").sync_detailed(COURT, "not-a-case-id", client=api.client(JUDGE))
    assert bad_path.status_code == 400
    assert [v.field for d in bad_path.parsed.error.details if isinstance(d, m.BadRequest)
            for v in d.field_violations] == ["case"]
    anonymous = api.client_module.Client(base_url=cf.system.gateway_http)
    unsigned = api.op("gateway", "get_caller").sync_detailed(client=anonymous)
    assert unsigned.status_code == 401 and unsigned.parsed.error.status == m.Code.UNAUTHENTICATED


def test_a_value_added_later_does_not_break_an_old_client(cf, api):
    """An enum value this client was generated without (a new case state, a new document code)
    arrives as a string; the rest of the page is read as usual."""
    m = api.models
    filed = cf.http("POST", f"/v1/courts/{COURT}/cases", user=COURT_SYSTEM, query=[("requestId", "generated-client-3")],
                    body={**CASE, "caseNumber": "（2026）示0101民初9903号"})
    assert filed.status == 200, filed.body
    reply = cf.http("GET", f"/v1/courts/{COURT}/cases", user=JUDGE, query=[("pageSize", "1")])
    page = reply.json()
    assert page["cases"], page
    page["cases"][0].update(state="CASE_STATE_SUSPENDED_FOR_APPRAISAL", caseType="CASE_TYPE_NEW_KIND")
    page["cases"][0]["parties"][0]["role"] = "PARTY_ROLE_THIRD_PARTY_NEW"
    parsed = m.ListCasesResponse.from_dict(json.loads(json.dumps(page)))
    first = parsed.cases[0]
    assert first.state == "CASE_STATE_SUSPENDED_FOR_APPRAISAL" and first.case_type == "CASE_TYPE_NEW_KIND"
    assert first.parties[0].role == "PARTY_ROLE_THIRD_PARTY_NEW"
    assert first.procedure == m.Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY   # known values stay typed

