"""Broken object-level authorization, for every RPC of every service (issue 4, item 4; R2).

Every RPC is enumerated from the service descriptors; each must have an entry in ATTEMPTS below, so
that a new RPC without one fails this suite. Callers from another court, from another department,
a peer without the case, and a caller with no token try to read, list, change and drill into the
victim's case (court 440101, department civil1, handler judge.440101.civil1.1), its trial-limit
node, an application on it, the judge's inbox and login session. A read may answer, but nothing of the victim
may appear in the answer, names and counts included; a change must be refused; and afterwards the
victim's objects are as they were."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

import grpc
import pytest
from google.protobuf import json_format, message_factory
from google.protobuf.field_mask_pb2 import FieldMask

from courtflow.alert.v1 import alert_service_pb2 as als, alert_service_pb2_grpc
from courtflow.audit.v1 import audit_service_pb2 as aus, audit_service_pb2_grpc
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs, case_service_pb2_grpc
from courtflow.gateway.v1 import auth_service_pb2 as auths, auth_service_pb2_grpc
from courtflow.gateway.v1 import gateway_service_pb2 as gs, gateway_service_pb2_grpc
from courtflow.gateway.v1 import org_service_pb2 as orgs, org_service_pb2_grpc
from courtflow.gateway.v1.gateway_pb2 import COURT_LEVEL_BASIC, Court, Department, User
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns, node_service_pb2_grpc
from courtflow.stats.v1 import report_pb2 as rp, stats_service_pb2 as ss, stats_service_pb2_grpc
from courtflow.stats.v1 import supervision_pb2 as sv

from gateway.edge import name_parts
from gateway.edge.http_routes import RouteTable
from gateway.edge.http_requests import encode_request
from runtime.demo import create_request
from services.common.clock import LEGAL_TZ
from support import AUDITOR, COURT, COURT_SYSTEM, JUDGE, OTHER_JUDGE, eventually

from .conftest import auth_service, file_case, org_service, pb, seed

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
ATTACKERS = {
    "another court's president": "president.440102",
    "another department's head": "head.440101.civil2",
    "another court's administrator": "admin.440102",
    "a peer judge without the case": "judge.440101.civil1.2",
    "a clerk of the same department": "clerk.440101.civil1.2",
    "no token": None,
}
DENIED = {grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.NOT_FOUND}
SERVICES = {
    "courtflow.case.v1.CaseService": (case_service_pb2_grpc.CaseServiceStub, cs),
    "courtflow.node.v1.NodeService": (node_service_pb2_grpc.NodeServiceStub, ns),
    "courtflow.alert.v1.AlertService": (alert_service_pb2_grpc.AlertServiceStub, als),
    "courtflow.stats.v1.StatsService": (stats_service_pb2_grpc.StatsServiceStub, ss),
    "courtflow.audit.v1.AuditService": (audit_service_pb2_grpc.AuditServiceStub, aus),
    "courtflow.gateway.v1.GatewayService": (gateway_service_pb2_grpc.GatewayServiceStub, gs),
    "courtflow.gateway.v1.AuthService": (auth_service_pb2_grpc.AuthServiceStub, auths),
    "courtflow.gateway.v1.OrgService": (org_service_pb2_grpc.OrgServiceStub, orgs),
}


@dataclass(frozen=True)
class Victim:
    case: str
    case_number: str
    node: str
    application: str
    message: str            # in the judge's inbox
    refresh_token: str      # of the judge's login session

    @property
    def markers(self) -> list[str]:
        """What must never reach an attacker: the case's id and number, the application's id, the
        judge's username (the directory entry)."""
        return [self.case.rsplit("/", 1)[1], self.case_number, self.application.rsplit("/", 1)[1], JUDGE]


# (kind, request builder): "read" may answer without leaking; "write" must be refused.
ATTEMPTS: dict[str, tuple[str, Callable[[Victim], object]]] = {
    "/courtflow.case.v1.CaseService/GetCase": ("read", lambda v: cs.GetCaseRequest(name=v.case)),
    "/courtflow.case.v1.CaseService/ListCases": ("read", lambda v: cs.ListCasesRequest(parent="courts/-", page_size=1000)),
    "/courtflow.case.v1.CaseService/CreateCase": ("write", lambda v: create_request(
        seed("bola-create", 9902, filed=date(2026, 3, 2)))),
    "/courtflow.case.v1.CaseService/UpdateCase": ("write", lambda v: cs.UpdateCaseRequest(
        case=case_pb2.Case(name=v.case, handler="users/judge.440101.civil1.2"), update_mask=FieldMask(paths=["handler"]),
        reason=case_pb2.CASE_CHANGE_REASON_REASSIGNMENT, request_id="bola-update")),
    # Refused before the case's state is looked at: the victim's case is not closed, and an
    # attacker must not learn even that (FAILED_PRECONDITION would fail this test).
    "/courtflow.case.v1.CaseService/RevokeCaseClosing": ("write", lambda v: cs.RevokeCaseClosingRequest(
        name=v.case, reason="结案信息录入错误", request_id="bola-revoke-closing")),
    "/courtflow.case.v1.CaseService/RecordCaseEvent": ("write", lambda v: cs.RecordCaseEventRequest(
        parent=v.case, request_id="bola-event", case_event=case_pb2.CaseEvent(
            event_type=case_pb2.CASE_EVENT_TYPE_CLOSED, occur_date=pb(date(2026, 8, 19))))),
    "/courtflow.node.v1.NodeService/GetNode": ("read", lambda v: ns.GetNodeRequest(name=v.node)),
    "/courtflow.node.v1.NodeService/ListNodes": ("read", lambda v: ns.ListNodesRequest(parent="courts/-/cases/-",
                                                                                        page_size=1000)),
    "/courtflow.node.v1.NodeService/ImportCalendarYear": ("write", lambda v: ns.ImportCalendarYearRequest(
        calendar_year=node_pb2.CalendarYear(year=2027, source="伪造", holidays=[pb(date(2027, 3, 1))]))),
    "/courtflow.node.v1.NodeService/CreateApplication": ("write", lambda v: ns.CreateApplicationRequest(
        parent=v.node, request_id="bola-apply", application=node_pb2.Application(
            kind=node_pb2.APPLICATION_KIND_EXTENSION, extension="6m", reason="x", materials=["a"]))),
    "/courtflow.node.v1.NodeService/GetApplication": ("read", lambda v: ns.GetApplicationRequest(name=v.application)),
    "/courtflow.node.v1.NodeService/ListApplications": ("read", lambda v: ns.ListApplicationsRequest(
        parent="courts/-/cases/-/nodes/-", page_size=1000)),
    "/courtflow.node.v1.NodeService/ApproveApplication": ("write", lambda v: ns.ApproveApplicationRequest(
        name=v.application)),
    "/courtflow.node.v1.NodeService/RejectApplication": ("write", lambda v: ns.RejectApplicationRequest(
        name=v.application, comment="不同意")),
    "/courtflow.node.v1.NodeService/ValidateHearing": ("read", lambda v: ns.ValidateHearingRequest(
        parent=v.case, hearing_date=pb(date(2026, 8, 25)))),
    "/courtflow.node.v1.NodeService/GetNodeRule": ("read", lambda v: ns.GetNodeRuleRequest(
        name=f"courts/{COURT}/nodeRules/trial_time_limit")),
    "/courtflow.node.v1.NodeService/ListNodeRules": ("read", lambda v: ns.ListNodeRulesRequest(parent=f"courts/{COURT}")),
    "/courtflow.node.v1.NodeService/UpdateNodeRule": ("write", lambda v: ns.UpdateNodeRuleRequest(
        node_rule=node_pb2.NodeRule(name=f"courts/{COURT}/nodeRules/trial_time_limit", period="1m"),
        update_mask=FieldMask(paths=["period"]))),
    "/courtflow.node.v1.NodeService/ReevaluateNodeRule": ("write", lambda v: ns.ReevaluateNodeRuleRequest(
        name=f"courts/{COURT}/nodeRules/trial_time_limit")),
    "/courtflow.node.v1.NodeService/ListStageViews": ("read", lambda v: ns.ListStageViewsRequest(parent=f"courts/{COURT}")),
    "/courtflow.node.v1.NodeService/UpdateStageView": ("write", lambda v: ns.UpdateStageViewRequest(
        stage_view=node_pb2.StageView(name=f"courts/{COURT}/stageViews/adjudication", categories=[]),
        update_mask=FieldMask(paths=["categories"]))),
    "/courtflow.node.v1.NodeService/ListCalendarYears": ("read", lambda v: ns.ListCalendarYearsRequest()),
    "/courtflow.node.v1.NodeService/ListTimeLimitRules": ("read", lambda v: ns.ListTimeLimitRulesRequest(
        parent=f"courts/{COURT}")),
    "/courtflow.alert.v1.AlertService/ListMessages": ("read", lambda v: als.ListMessagesRequest(
        parent=f"users/{JUDGE}", page_size=1000)),
    "/courtflow.alert.v1.AlertService/ListSmsDeliveries": ("read", lambda v: als.ListSmsDeliveriesRequest(
        parent=f"users/{JUDGE}", page_size=1000)),
    "/courtflow.alert.v1.AlertService/MarkMessageRead": ("write", lambda v: als.MarkMessageReadRequest(
        name=v.message)),
    "/courtflow.alert.v1.AlertService/MarkAllMessagesRead": ("write", lambda v: als.MarkAllMessagesReadRequest(
        parent=f"users/{JUDGE}")),
    "/courtflow.alert.v1.AlertService/StreamMessages": ("read", lambda v: als.StreamMessagesRequest(
        parent=f"users/{JUDGE}")),
    "/courtflow.alert.v1.AlertService/GetDeliveryStats": ("read", lambda v: als.GetDeliveryStatsRequest()),
    "/courtflow.stats.v1.StatsService/ListNodeStatistics": ("read", lambda v: ss.ListNodeStatisticsRequest(
        parent="courts/-", page_size=1000)),
    "/courtflow.stats.v1.StatsService/SummarizeSupervision": ("read", lambda v: ss.SummarizeSupervisionRequest(
        parent="courts/-", group_by=[sv.DIMENSION_COURT, sv.DIMENSION_DEPARTMENT, sv.DIMENSION_HANDLER])),
    "/courtflow.stats.v1.StatsService/ListSupervisedCases": ("read", lambda v: ss.ListSupervisedCasesRequest(
        parent="courts/-", page_size=1000)),
    "/courtflow.stats.v1.StatsService/ListSupervisedNodes": ("read", lambda v: ss.ListSupervisedNodesRequest(
        parent="courts/-", page_size=1000)),
    # The victim's court's work report, as CSV so that nothing hides in a compressed file.
    "/courtflow.stats.v1.StatsService/ExportSupervisionReport": ("read", lambda v: rp.ExportSupervisionReportRequest(
        parent=f"courts/{COURT}", period="2026-03", format=rp.REPORT_FORMAT_CSV)),
    "/courtflow.stats.v1.StatsService/VerifySupervision": ("read", lambda v: ss.VerifySupervisionRequest(
        parent="courts/-")),
    "/courtflow.stats.v1.StatsService/VerifyIntegrity": ("read", lambda v: ss.VerifyIntegrityRequest(
        parent="courts/-")),
    "/courtflow.stats.v1.StatsService/AnalyzeQuality": ("read", lambda v: ss.AnalyzeQualityRequest(
        parent="courts/-", group_by=[sv.DIMENSION_COURT, sv.DIMENSION_HANDLER], recurring_threshold=1)),
    "/courtflow.audit.v1.AuditService/ListAuditRecords": ("read", lambda v: aus.ListAuditRecordsRequest(page_size=1000)),
    "/courtflow.audit.v1.AuditService/VerifyAuditChain": ("read", lambda v: aus.VerifyAuditChainRequest()),
    "/courtflow.audit.v1.AuditService/ListAuditUsage": ("read", lambda v: aus.ListAuditUsageRequest(
        group_by=aus.USAGE_GROUPING_ACTOR)),
    "/courtflow.audit.v1.AuditService/ExportAuditRecords": ("read", lambda v: aus.ExportAuditRecordsRequest(
        format=aus.EXPORT_FORMAT_CSV)),
    "/courtflow.gateway.v1.GatewayService/GetCaller": ("read", lambda v: gs.GetCallerRequest()),
    # The org directory: the victim's own entry and department, and the court's people.
    "/courtflow.gateway.v1.OrgService/ListCourts": ("read", lambda v: orgs.ListCourtsRequest(page_size=1000)),
    "/courtflow.gateway.v1.OrgService/ListDepartments": ("read", lambda v: orgs.ListDepartmentsRequest(
        parent=f"courts/{COURT}")),
    "/courtflow.gateway.v1.OrgService/ListUsers": ("read", lambda v: orgs.ListUsersRequest(
        parent=f"courts/{COURT}", page_size=1000)),
    "/courtflow.gateway.v1.OrgService/GetUser": ("read", lambda v: orgs.GetUserRequest(name=f"users/{JUDGE}")),
    "/courtflow.gateway.v1.OrgService/CreateCourt": ("write", lambda v: orgs.CreateCourtRequest(court=Court(
        name=f"courts/{COURT[:4]}99", display_name="伪造区人民法院", level=COURT_LEVEL_BASIC,
        parent=f"courts/{COURT[:4]}"))),
    "/courtflow.gateway.v1.OrgService/CreateDepartment": ("write", lambda v: orgs.CreateDepartmentRequest(
        parent=f"courts/{COURT}", department_id=f"{COURT}-bola",
        department=Department(display_name="伪造庭", kind="civil"))),
    "/courtflow.gateway.v1.OrgService/UpdateDepartment": ("write", lambda v: orgs.UpdateDepartmentRequest(
        department=Department(name=f"courts/{COURT}/departments/{COURT}-civil1", display_name="被改名"),
        update_mask=FieldMask(paths=["display_name"]))),
    "/courtflow.gateway.v1.OrgService/CreateUser": ("write", lambda v: orgs.CreateUserRequest(user=User(
        name="users/intruder.440101", display_name="冒名", role=1, court=f"courts/{COURT}",
        department=f"courts/{COURT}/departments/{COURT}-civil1"))),
    "/courtflow.gateway.v1.OrgService/UpdateUser": ("write", lambda v: orgs.UpdateUserRequest(
        user=User(name=f"users/{JUDGE}", absent=True, deputy="users/judge.440101.civil1.2"),
        update_mask=FieldMask(paths=["absent", "deputy"]))),
    "/courtflow.gateway.v1.OrgService/ImportOrgDirectory": ("write", lambda v: orgs.ImportOrgDirectoryRequest(
        format=orgs.ORG_FILE_FORMAT_CSV, content=(
            "username,display_name,role,court,department,mobile,active,absent,deputy\n"
            f"{JUDGE},被冒名,judge,{COURT},{COURT}-civil1,13800000000,false,true,\n").encode())),
    # Signing in as the victim without the password; refreshing with a token that is not one (a refresh
    # token is a bearer secret: whoever holds the victim's is the victim); ending the victim's session.
    "/courtflow.gateway.v1.AuthService/Login": ("write", lambda v: auths.LoginRequest(username=JUDGE,
                                                                                        password="guess-1234")),
    "/courtflow.gateway.v1.AuthService/RefreshToken": ("write", lambda v: auths.RefreshTokenRequest(
        refresh_token="cfr_" + "A" * 43)),
    "/courtflow.gateway.v1.AuthService/Logout": ("write", lambda v: auths.LogoutRequest(refresh_token=v.refresh_token)),
}


def every_rpc() -> list[str]:
    return [f"/{name}/{method.name}" for name, (_, module) in SERVICES.items()
            for method in module.DESCRIPTOR.services_by_name[name.rsplit(".", 1)[1]].methods]


def test_every_rpc_has_an_attempt():
    assert sorted(every_rpc()) == sorted(ATTEMPTS), "a new RPC needs its BOLA attempt in ATTEMPTS"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("bola", clock=START)


@pytest.fixture(scope="module")
def victim(cf) -> Victim:
    case = file_case(cf, "bola-victim", 9901, filed=date(2026, 3, 2))
    node = f"{case.name}/nodes/trial_time_limit"
    cf.set_clock(datetime(2026, 8, 19, 9, tzinfo=LEGAL_TZ))  # the 15-day warning has fired
    message = eventually(lambda: cf.alerts.ListMessages(als.ListMessagesRequest(parent="users/me"),
                                                        metadata=cf.md(JUDGE)).messages, what="victim's reminder")[0]
    application = cf.nodes.CreateApplication(ns.CreateApplicationRequest(
        parent=node, request_id="bola-victim-ext", application=node_pb2.Application(
            kind=node_pb2.APPLICATION_KIND_EXTENSION, extension="6m", reason="案情复杂", materials=["审批表"])),
        metadata=cf.md(JUDGE)).application
    session = auth_service(cf).Login(auths.LoginRequest(
        username=JUDGE, password=cf.logins[JUDGE]["password"]))
    return Victim(case=case.name, case_number=case.case_number, node=node, application=application.name,
                  message=message.name, refresh_token=session.refresh_token)


def call(cf, method: str, request, user: str | None):
    service, name = method.strip("/").split("/")
    stub = SERVICES[service][0](cf.channel)
    metadata = cf.md(user) if user else []
    reply = getattr(stub, name)(request, metadata=metadata, timeout=15 if name != "StreamMessages" else 3)
    if name != "StreamMessages":
        return reply
    # A stream is read until it goes quiet: whatever it sent before counts as the reply.
    items = []
    try:
        for item in reply:
            items.append(item)
    except grpc.RpcError as exc:
        if exc.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
            raise
    return Streamed(items)


@dataclass
class Streamed:
    items: list

    def SerializeToString(self) -> bytes:
        return b"".join(i.SerializeToString() for i in self.items)


# HTTP-JSON: the same request message, transcoded to its google.api.http route.
HTTP_ROUTES = {r.grpc_method: r for r in RouteTable(
    module.DESCRIPTOR.services_by_name[name.rsplit(".", 1)[1]] for name, (_, module) in SERVICES.items()).routes}


class HttpRefused(grpc.RpcError):
    """An HTTP-JSON error body (AIP-193), seen as the gRPC error it stands for."""

    def __init__(self, error: dict) -> None:
        self.error = error

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode[self.error["status"]]

    def details(self) -> str:
        return f"HTTP {self.error['code']}: {self.error['message']}"


def call_http(cf, method: str, request, user: str | None):
    route = HTTP_ROUTES[method]
    verb, path, query, body = encode_request(route, request)
    reply = cf.http(verb, path, user=user, query=query, raw=body, timeout=3 if route.server_streaming else 15)
    if reply.status != 200:
        assert reply.error["code"] == reply.status, (method, reply.status, reply.error)
        raise HttpRefused(reply.error)
    output = message_factory.GetMessageClass(route.method.output_type)

    def parsed(data: dict):   # the answer as the gRPC one, less the names' parts HTTP-JSON adds
        name_parts.strip(route.method.output_type, data)
        return json_format.ParseDict(data, output())
    if not route.server_streaming:
        return parsed(reply.json())
    for line in reply.lines:
        if "error" in line:
            raise HttpRefused(line["error"])
    return Streamed([parsed(line["result"]) for line in reply.lines])


TRANSPORTS = {"gRPC": call, "HTTP-JSON": call_http}


@pytest.mark.parametrize("transport", list(TRANSPORTS))
@pytest.mark.parametrize("who", list(ATTACKERS))
def test_no_caller_reaches_another_users_case(cf, victim, who, transport):
    user, call = ATTACKERS[who], TRANSPORTS[transport]
    markers = victim.markers + (["440101-civil1"] if who == "another department's head" else [])
    leaks, accepted = [], []
    for method, (kind, build) in ATTEMPTS.items():
        try:
            reply = call(cf, method, build(victim), user)
        except grpc.RpcError as exc:
            assert exc.code() in DENIED, (method, who, exc.code(), exc.details())
            continue
        if kind == "write":
            accepted.append(method)
        body = reply.SerializeToString().decode("utf-8", errors="replace")
        leaks += [(method, m) for m in markers if m in body]
    assert accepted == [], f"{who} changed what is not theirs: {accepted}"
    assert leaks == [], f"{who} saw the victim's data: {leaks}"


def test_the_victims_objects_are_as_they_were(cf, victim):
    # After every attacker has tried (this test runs last in the module).
    app = cf.nodes.GetApplication(ns.GetApplicationRequest(name=victim.application), metadata=cf.md(JUDGE)).application
    assert app.state == node_pb2.APPLICATION_STATE_PENDING
    node = cf.nodes.GetNode(ns.GetNodeRequest(name=victim.node), metadata=cf.md(JUDGE)).node
    assert (node.due_date.year, node.due_date.month, node.due_date.day) == (2026, 9, 2) and node.change_count == 0
    case = cf.cases.GetCase(cs.GetCaseRequest(name=victim.case), metadata=cf.md(JUDGE)).case
    assert case.state == case_pb2.CASE_STATE_FILED and case.handler == f"users/{JUDGE}"
    inbox = cf.alerts.ListMessages(als.ListMessagesRequest(parent="users/me"), metadata=cf.md(JUDGE))
    assert [m.read for m in inbox.messages if m.name == victim.message] == [False]
    rule = cf.nodes.GetNodeRule(ns.GetNodeRuleRequest(name=f"courts/{COURT}/nodeRules/trial_time_limit"),
                                metadata=cf.md(JUDGE)).node_rule
    assert rule.period == "6m" and not rule.override_court
    # The judge's directory entry and department are as they were.
    judge = org_service(cf).GetUser(orgs.GetUserRequest(name=f"users/{JUDGE}"),
                                                                    metadata=cf.md(f"admin.{COURT}")).user
    assert judge.active and not judge.absent and not judge.deputy
    departments = org_service(cf).ListDepartments(orgs.ListDepartmentsRequest(
        parent=f"courts/{COURT}"), metadata=cf.md(f"admin.{COURT}")).departments
    assert "被改名" not in [d.display_name for d in departments]
    # The judge's login session was not ended by anyone else's Logout.
    renewed = auth_service(cf).RefreshToken(
        auths.RefreshTokenRequest(refresh_token=victim.refresh_token))
    assert renewed.access_token and renewed.refresh_token != victim.refresh_token


# Every field that names a person, given someone outside the scope by a caller allowed to make the
# change otherwise: refused with INVALID_ARGUMENT naming the field, and nothing is made or changed.
# (A case given another court's judge sent that court its reminders, case number included.)
OUTSIDERS = {
    "another court's judge": "judge.440102.civil1.1",
    "the province's auditor": AUDITOR,
    "a name nobody holds": "nobody.here",
    "a clerk of the case's department": "clerk.440101.civil1.1",
    "a judge of another department": OTHER_JUDGE,
}


def _refused_naming(call, field: str) -> str:
    with pytest.raises(grpc.RpcError) as refused:
        call()
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, refused.value.details()
    assert field in refused.value.details(), refused.value.details()
    return refused.value.details()


@pytest.mark.parametrize("transport", list(TRANSPORTS))
@pytest.mark.parametrize("outsider", list(OUTSIDERS))
def test_a_case_is_given_only_to_a_judge_of_its_court_and_department(cf, outsider, transport):
    i, j = list(OUTSIDERS).index(outsider), list(TRANSPORTS).index(transport)
    request = create_request(seed("bola-handler", int(f"97{i}{j}"), filed=date(2026, 3, 2),
                                  handler=OUTSIDERS[outsider], department=f"{COURT}-civil1"))
    number = request.case.case_number   # （2026）示0101民初97ij号
    details = _refused_naming(lambda: TRANSPORTS[transport](cf, "/courtflow.case.v1.CaseService/CreateCase",
                                                            request, COURT_SYSTEM),
                              # over HTTP-JSON the body is the case: its errors name the JSON field
                              "case.handler" if transport == "gRPC" else "参数错误: handler:")
    assert "440102" not in details.replace(OUTSIDERS[outsider], "")  # names no other court
    listed = cf.cases.ListCases(cs.ListCasesRequest(parent=f"courts/{COURT}", filter=f'case_number = "{number}"'),
                                metadata=cf.md(COURT_SYSTEM)).cases
    assert listed == []


def test_a_case_may_be_given_to_its_division_head_or_a_court_leader(cf):
    for i, handler in enumerate(("head.440101.civil1", "president.440101")):
        request = create_request(seed("bola-leader", 9980 + i, filed=date(2026, 3, 2), handler=handler,
                                      department=f"{COURT}-civil1"))
        assert cf.cases.CreateCase(request, metadata=cf.md(COURT_SYSTEM)).case.handler == f"users/{handler}"


def test_a_deputy_or_vice_president_is_never_someone_of_another_court(cf):
    admin = f"admin.{COURT}"
    org = org_service(cf)
    for outsider in ("judge.440102.civil1.1", "nobody.here"):
        _refused_naming(lambda: org.UpdateUser(orgs.UpdateUserRequest(
            user=User(name=f"users/{JUDGE}", absent=True, deputy=f"users/{outsider}"),
            update_mask=FieldMask(paths=["absent", "deputy"])), metadata=cf.md(admin)), "user.deputy")
        _refused_naming(lambda: org.UpdateDepartment(orgs.UpdateDepartmentRequest(
            department=Department(name=f"courts/{COURT}/departments/{COURT}-civil1", vice_president=f"users/{outsider}"),
            update_mask=FieldMask(paths=["vice_president"])), metadata=cf.md(admin)), "department.vice_president")
    judge = org.GetUser(orgs.GetUserRequest(name=f"users/{JUDGE}"), metadata=cf.md(admin)).user
    assert not judge.absent and not judge.deputy
