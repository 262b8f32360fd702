"""Who may call what, and how far each role sees (R2).

The permission table is keyed by full gRPC method name; a method that is not in
it is denied to everyone, so a new RPC is unreachable until someone decides who
may call it. Scope filtering itself happens inside each service's queries.
"""
from __future__ import annotations

from dataclasses import dataclass

from courtflow.common.v1.caller_pb2 import Role, ScopeLevel
from courtflow.gateway.v1.gateway_pb2 import CourtLevel

from services.common.errors import PermissionDenied

R = Role
STAFF = frozenset({R.ROLE_JUDGE, R.ROLE_JUDGE_ASSISTANT, R.ROLE_CLERK})
LEADERS = frozenset({R.ROLE_DIVISION_HEAD, R.ROLE_VICE_PRESIDENT, R.ROLE_PRESIDENT, R.ROLE_TRIAL_MANAGEMENT})
PEOPLE = STAFF | LEADERS | {R.ROLE_AUDITOR, R.ROLE_SYSTEM_ADMIN}
CASE_READERS = STAFF | LEADERS | {R.ROLE_COURT_SYSTEM}
APPROVERS = frozenset({R.ROLE_DIVISION_HEAD, R.ROLE_VICE_PRESIDENT, R.ROLE_PRESIDENT})
RULE_MANAGERS = frozenset({R.ROLE_TRIAL_MANAGEMENT, R.ROLE_SYSTEM_ADMIN})
ADMINS = frozenset({R.ROLE_SYSTEM_ADMIN})
DIRECTORY_READERS = LEADERS | {R.ROLE_AUDITOR, R.ROLE_SYSTEM_ADMIN}


@dataclass(frozen=True)
class Permission:
    roles: frozenset[int]
    # The owning service reports a successful call to the audit log in the same transaction as the change.
    audited_by_service: bool = False
    # Its handler also reports every failure itself (committed before it raises, like a failed
    # login with its failure count), so the gateway must not report it a second time.
    audits_failures: bool = False
    # Reachable without a bearer token: signing in. The handler identifies the user itself.
    public: bool = False


# Signing in and refreshing are how a caller gets a token, so they cannot require one.
SIGN_IN = Permission(frozenset(), audited_by_service=True, audits_failures=True, public=True)


TABLE: dict[str, Permission] = {
    "/courtflow.case.v1.CaseService/CreateCase": Permission(frozenset({R.ROLE_COURT_SYSTEM}), audited_by_service=True),
    "/courtflow.case.v1.CaseService/RecordCaseEvent": Permission(frozenset({R.ROLE_COURT_SYSTEM}),
                                                                 audited_by_service=True),
    # 分案、变更承办人、移交: the court system, or the leaders who assign cases (in their scope).
    "/courtflow.case.v1.CaseService/UpdateCase": Permission(frozenset({
        R.ROLE_COURT_SYSTEM, R.ROLE_DIVISION_HEAD, R.ROLE_VICE_PRESIDENT, R.ROLE_PRESIDENT}), audited_by_service=True),
    # 撤销结案: undoing a closing changes the court's closed-case figures and re-opens clocks, so it
    # is the trial management office's (which checks closings, 结案扎口) or the court leaders', in
    # their scope, as a named person: not the handler, the division head or a court system.
    "/courtflow.case.v1.CaseService/RevokeCaseClosing": Permission(frozenset({
        R.ROLE_TRIAL_MANAGEMENT, R.ROLE_VICE_PRESIDENT, R.ROLE_PRESIDENT}), audited_by_service=True),
    "/courtflow.case.v1.CaseService/GetCase": Permission(CASE_READERS),
    "/courtflow.case.v1.CaseService/ListCases": Permission(CASE_READERS),
    "/courtflow.node.v1.NodeService/GetNode": Permission(CASE_READERS),
    "/courtflow.node.v1.NodeService/ListNodes": Permission(CASE_READERS),
    "/courtflow.node.v1.NodeService/ImportCalendarYear": Permission(
        frozenset({R.ROLE_SYSTEM_ADMIN, R.ROLE_TRIAL_MANAGEMENT}), audited_by_service=True),
    "/courtflow.node.v1.NodeService/ListCalendarYears": Permission(PEOPLE),
    # Handling staff and division heads apply; leaders decide (who may approve what is the node
    # service's authority rule, DOMAIN §2). Everyone who sees a node sees its clock's history.
    "/courtflow.node.v1.NodeService/CreateApplication": Permission(STAFF | {R.ROLE_DIVISION_HEAD},
                                                                   audited_by_service=True),
    "/courtflow.node.v1.NodeService/GetApplication": Permission(STAFF | LEADERS),
    "/courtflow.node.v1.NodeService/ListApplications": Permission(STAFF | LEADERS),
    "/courtflow.node.v1.NodeService/ApproveApplication": Permission(APPROVERS, audited_by_service=True),
    "/courtflow.node.v1.NodeService/RejectApplication": Permission(APPROVERS, audited_by_service=True),
    "/courtflow.node.v1.NodeService/ValidateHearing": Permission(CASE_READERS),
    # The rules in force are public to court staff; the trial management office (or an
    # administrator) of the court or a court above sets them (the node service checks the court).
    "/courtflow.node.v1.NodeService/GetNodeRule": Permission(PEOPLE),
    "/courtflow.node.v1.NodeService/ListNodeRules": Permission(PEOPLE),
    # What the rules allow is what every form and every court system checks an application against.
    "/courtflow.node.v1.NodeService/ListTimeLimitRules": Permission(PEOPLE | {R.ROLE_COURT_SYSTEM}),
    "/courtflow.node.v1.NodeService/UpdateNodeRule": Permission(RULE_MANAGERS, audited_by_service=True),
    "/courtflow.node.v1.NodeService/ReevaluateNodeRule": Permission(RULE_MANAGERS, audited_by_service=True),
    "/courtflow.node.v1.NodeService/ListStageViews": Permission(PEOPLE),
    "/courtflow.node.v1.NodeService/UpdateStageView": Permission(RULE_MANAGERS, audited_by_service=True),
    "/courtflow.alert.v1.AlertService/ListMessages": Permission(PEOPLE),
    "/courtflow.alert.v1.AlertService/ListSmsDeliveries": Permission(PEOPLE),
    # An inbox is its owner's alone: the alert service refuses anyone else's.
    "/courtflow.alert.v1.AlertService/MarkMessageRead": Permission(PEOPLE),
    "/courtflow.alert.v1.AlertService/MarkAllMessagesRead": Permission(PEOPLE),
    "/courtflow.alert.v1.AlertService/StreamMessages": Permission(PEOPLE),
    # Delivery counts of the people in the caller's scope.
    "/courtflow.alert.v1.AlertService/GetDeliveryStats": Permission(LEADERS | {R.ROLE_SYSTEM_ADMIN}),
    "/courtflow.stats.v1.StatsService/ListNodeStatistics": Permission(LEADERS),
    # The supervision platform: leaders and the trial management office over their scope, judges
    # and their staff over their own cases, court systems over the province (the stats service applies the scope).
    "/courtflow.stats.v1.StatsService/SummarizeSupervision": Permission(CASE_READERS),
    "/courtflow.stats.v1.StatsService/ListSupervisedCases": Permission(CASE_READERS),
    "/courtflow.stats.v1.StatsService/ListSupervisedNodes": Permission(CASE_READERS),
    # Work reports (P7) are the court's: its leaders and trial management office over their scope,
    # a division head over their department (the stats service applies it).
    "/courtflow.stats.v1.StatsService/ExportSupervisionReport": Permission(LEADERS),
    "/courtflow.stats.v1.StatsService/AnalyzeQuality": Permission(CASE_READERS),
    # The recount of the read model: the trial management office and leaders (department and up).
    "/courtflow.stats.v1.StatsService/VerifySupervision": Permission(LEADERS),
    # The integrity check of `courtflow verify` (数据一致性核查): the trial management office, court
    # presidents and system administrators, over their court, region or province (the stats
    # service and each service it asks apply the scope; department and own scopes are refused).
    "/courtflow.stats.v1.StatsService/VerifyIntegrity": Permission(frozenset({
        R.ROLE_TRIAL_MANAGEMENT, R.ROLE_PRESIDENT, R.ROLE_VICE_PRESIDENT, R.ROLE_SYSTEM_ADMIN})),
    "/courtflow.audit.v1.AuditService/ListAuditRecords": Permission(frozenset({R.ROLE_AUDITOR})),
    "/courtflow.audit.v1.AuditService/VerifyAuditChain": Permission(frozenset({R.ROLE_AUDITOR})),
    "/courtflow.audit.v1.AuditService/ListAuditUsage": Permission(frozenset({R.ROLE_AUDITOR})),
    "/courtflow.audit.v1.AuditService/ExportAuditRecords": Permission(frozenset({R.ROLE_AUDITOR})),
    "/courtflow.gateway.v1.GatewayService/GetCaller": Permission(PEOPLE | {R.ROLE_COURT_SYSTEM}),
    # The org directory: read within one's scope by those who supervise or administer people;
    # changed by system administrators of the court or a court above (directory/admin.py checks which).
    # Courts and departments are names everyone works under: a judge reads the courts and their own
    # department (its scope), so that the console names it 民事审判第一庭 rather than by its id.
    "/courtflow.gateway.v1.OrgService/ListCourts": Permission(PEOPLE),
    "/courtflow.gateway.v1.OrgService/ListDepartments": Permission(PEOPLE),
    "/courtflow.gateway.v1.OrgService/ListUsers": Permission(DIRECTORY_READERS),
    "/courtflow.gateway.v1.OrgService/GetUser": Permission(DIRECTORY_READERS),
    "/courtflow.gateway.v1.OrgService/CreateCourt": Permission(ADMINS, audited_by_service=True),
    "/courtflow.gateway.v1.OrgService/CreateDepartment": Permission(ADMINS, audited_by_service=True),
    "/courtflow.gateway.v1.OrgService/UpdateDepartment": Permission(ADMINS, audited_by_service=True),
    "/courtflow.gateway.v1.OrgService/CreateUser": Permission(ADMINS, audited_by_service=True),
    "/courtflow.gateway.v1.OrgService/UpdateUser": Permission(ADMINS, audited_by_service=True),
    "/courtflow.gateway.v1.OrgService/ImportOrgDirectory": Permission(ADMINS, audited_by_service=True),
    "/courtflow.gateway.v1.AuthService/Login": SIGN_IN,
    "/courtflow.gateway.v1.AuthService/RefreshToken": SIGN_IN,
    # Only the owner of a session may end it (the handler checks the refresh token is the caller's).
    "/courtflow.gateway.v1.AuthService/Logout": Permission(PEOPLE, audited_by_service=True, audits_failures=True),
}


def public(method: str) -> Permission | None:
    """The permission of a method reachable without a token, or None if it needs one."""
    permission = TABLE.get(method)
    return permission if permission is not None and permission.public else None


def check(method: str, role: int) -> Permission:
    permission = TABLE.get(method)
    if permission is None:
        raise PermissionDenied(f"未开放的接口 {method}", reason="METHOD_NOT_PERMITTED")
    if role not in permission.roles:
        raise PermissionDenied(f"角色 {Role.Name(role)} 无权调用 {method}", reason="ROLE_NOT_PERMITTED")
    return permission


def scope_of(role: int, *, court: str, court_level: int, province: str) -> tuple[int, str]:
    """(scope level, court id prefix) of a user: staff see their own cases, division heads their
    department, court-wide roles their court — a region at an intermediate court, the province at
    the high court. Court systems act for the whole province."""
    if role == R.ROLE_COURT_SYSTEM:
        return ScopeLevel.SCOPE_LEVEL_PROVINCE, province
    if role in STAFF:
        return ScopeLevel.SCOPE_LEVEL_OWN, court
    if role == R.ROLE_DIVISION_HEAD:
        return ScopeLevel.SCOPE_LEVEL_DEPARTMENT, court
    if court_level == CourtLevel.COURT_LEVEL_HIGH:
        return ScopeLevel.SCOPE_LEVEL_PROVINCE, court
    if court_level == CourtLevel.COURT_LEVEL_INTERMEDIATE:
        return ScopeLevel.SCOPE_LEVEL_REGION, court
    return ScopeLevel.SCOPE_LEVEL_COURT, court
