"""The org directory administered through the gateway (R2): a court's administrator creates and
changes users and imports an HR file, all or nothing; other courts' administrators cannot; the
changes reach the services that keep a projection (a new judge's reminders, a deputy, the
vice-president in charge); every change is in the audit log."""
from __future__ import annotations

from datetime import date, datetime

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from courtflow.alert.v1 import alert_pb2
from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Role
from courtflow.gateway.v1 import org_service_pb2 as org
from courtflow.gateway.v1.gateway_pb2 import (COURT_LEVEL_BASIC, COURT_LEVEL_INTERMEDIATE, Court, Department,
                                               User)

from runtime.demo import create_request
from services.common.clock import LEGAL_TZ
from services.common.errors import details_of
from support import COURT_SYSTEM, alert_directory_entry, eventually, services_knowing

from .conftest import audit_records, file_case, messages, org_service, refused, seed

pytestmark = pytest.mark.timeout(240)
START = datetime(2026, 3, 2, 10, 0, tzinfo=LEGAL_TZ)
ADMIN, OTHER_ADMIN, PRESIDENT = "admin.440101", "admin.440102", "president.440101"
REGION_ADMIN = "admin.4401"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("org-admin", clock=START)


def denied(fn, code=grpc.StatusCode.PERMISSION_DENIED) -> grpc.RpcError:
    return refused(fn, code)


def new_judge(username: str, **more) -> User:
    return User(name=f"users/{username}", display_name="林晓", role=Role.ROLE_JUDGE, court="courts/440101",
                department="courts/440101/departments/440101-civil1", mobile="13912340001", active=True, **more)


def test_an_administrator_creates_a_judge_who_then_gets_reminders(cf):
    created = org_service(cf).CreateUser(org.CreateUserRequest(user=new_judge("judge.440101.civil1.9")),
                                         metadata=cf.md(ADMIN)).user
    assert created.name == "users/judge.440101.civil1.9" and created.role == Role.ROLE_JUDGE and not created.mobile
    listed = org_service(cf).ListUsers(org.ListUsersRequest(parent="courts/440101", filter="role = JUDGE",
                                                            page_size=1000), metadata=cf.md(PRESIDENT)).users
    assert "users/judge.440101.civil1.9" in [u.name for u in listed]
    # The directory reaches the case, node and alert services a moment later; then a case for the
    # new judge is accepted and reminds them.
    eventually(lambda: services_knowing(cf.database_url, "users/judge.440101.civil1.9") == {"case", "node", "alert"},
               what="the new judge in every service's copy of the directory")
    file_case(cf, "org-admin", 801, filed=date(2026, 3, 2), handler="judge.440101.civil1.9")
    cf.set_clock(datetime(2026, 3, 7, 9, tzinfo=LEGAL_TZ))
    sms_log = cf.system.sms_log
    eventually(lambda: sms_log.exists() and "13912340001" in sms_log.read_text(), what="the new judge's SMS")
    audit = eventually(lambda: audit_records(cf, 'resource = "users/judge.440101.civil1.9"'),
                       what="the creation in the audit log")
    assert audit[0].operation.action.endswith("OrgService/CreateUser") and audit[0].operation.actor == f"users/{ADMIN}"


def test_bad_input_names_the_field_and_changes_nothing(cf):
    err = denied(lambda: org_service(cf).CreateUser(org.CreateUserRequest(user=new_judge(
        "judge.440101.civil1.10", deputy="users/nobody")), metadata=cf.md(ADMIN)), grpc.StatusCode.INVALID_ARGUMENT)
    assert "user.deputy" in [f for f, _ in details_of(err)[1]]
    err = denied(lambda: org_service(cf).CreateUser(org.CreateUserRequest(user=new_judge("judge.440101.civil1.9")),
                                                    metadata=cf.md(ADMIN)), grpc.StatusCode.INVALID_ARGUMENT)
    assert details_of(err)[0] == "USER_EXISTS"
    denied(lambda: org_service(cf).GetUser(org.GetUserRequest(name="users/judge.440101.civil1.10"),
                                           metadata=cf.md(ADMIN)), grpc.StatusCode.PERMISSION_DENIED)


def test_another_courts_administrator_can_neither_see_nor_change(cf):
    denied(lambda: org_service(cf).CreateUser(org.CreateUserRequest(user=new_judge("judge.440101.civil1.11")),
                                              metadata=cf.md(OTHER_ADMIN)))
    denied(lambda: org_service(cf).GetUser(org.GetUserRequest(name="users/judge.440101.civil1.1"),
                                           metadata=cf.md(OTHER_ADMIN)))
    denied(lambda: org_service(cf).ListUsers(org.ListUsersRequest(parent="courts/440101"),
                                             metadata=cf.md(OTHER_ADMIN)))
    denied(lambda: org_service(cf).UpdateUser(org.UpdateUserRequest(
        user=User(name="users/judge.440101.civil1.1", absent=True), update_mask=FieldMask(paths=["absent"])),
        metadata=cf.md(OTHER_ADMIN)))
    denied(lambda: org_service(cf).CreateUser(org.CreateUserRequest(user=new_judge("judge.440101.civil1.12")),
                                              metadata=cf.md(PRESIDENT)))   # leaders read, administrators write


IMPORT = """
departments:
  - {court: "440101", id: 440101-family, display_name: 家事审判庭, kind: civil, vice_president: vice_president.440101}
users:
  - {username: judge.440101.family.1, display_name: 周敏, role: judge, court: "440101", department: 440101-family,
     mobile: "13912345678"}
  - {username: head.440101.family, display_name: 吴刚, role: division_head, court: "440101", department: 440101-family}
"""


def test_an_hr_file_is_imported_all_or_nothing(cf):
    bad = IMPORT + '  - {username: judge.440101.family.2, display_name: 郑, role: jugde, court: "440101", mobile: "123"}\n'
    err = denied(lambda: org_service(cf).ImportOrgDirectory(org.ImportOrgDirectoryRequest(
        format=org.ORG_FILE_FORMAT_YAML, content=bad.encode()), metadata=cf.md(ADMIN)),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert {"users[2].role", "users[2].mobile"} <= {f for f, _ in details_of(err)[1]}
    checked = org_service(cf).ImportOrgDirectory(org.ImportOrgDirectoryRequest(
        format=org.ORG_FILE_FORMAT_YAML, content=IMPORT.encode(), validate_only=True), metadata=cf.md(ADMIN))
    assert (checked.departments_created, checked.users_created) == (1, 2)
    departments = lambda: [d.name for d in org_service(cf).ListDepartments(org.ListDepartmentsRequest(  # noqa: E731
        parent="courts/440101"), metadata=cf.md(ADMIN)).departments]
    assert "courts/440101/departments/440101-family" not in departments()   # neither the bad file nor the check
    denied(lambda: org_service(cf).ImportOrgDirectory(org.ImportOrgDirectoryRequest(
        format=org.ORG_FILE_FORMAT_YAML, content=IMPORT.encode()), metadata=cf.md(OTHER_ADMIN)))
    # (the file names a court its caller does not administer: refused as a whole)
    done = org_service(cf).ImportOrgDirectory(org.ImportOrgDirectoryRequest(
        format=org.ORG_FILE_FORMAT_YAML, content=IMPORT.encode()), metadata=cf.md(ADMIN))
    assert (done.departments_created, done.users_created, done.unchanged) == (1, 2, 0)
    again = org_service(cf).ImportOrgDirectory(org.ImportOrgDirectoryRequest(
        format=org.ORG_FILE_FORMAT_YAML, content=IMPORT.encode()), metadata=cf.md(ADMIN))
    assert again.unchanged == 3 and again.users_created == again.users_updated == 0
    family = next(d for d in org_service(cf).ListDepartments(org.ListDepartmentsRequest(
        parent="courts/440101"), metadata=cf.md(ADMIN)).departments if d.name.endswith("family"))
    assert family.vice_president == "users/vice_president.440101"


def test_an_absence_set_by_the_administrator_sends_reminders_to_the_deputy(cf):
    judge, deputy = "judge.440101.civil2.1", "judge.440101.civil2.2"
    updated = org_service(cf).UpdateUser(org.UpdateUserRequest(
        user=User(name=f"users/{judge}", absent=True, deputy=f"users/{deputy}"),
        update_mask=FieldMask(paths=["absent", "deputy"])), metadata=cf.md(ADMIN)).user
    assert updated.absent and updated.deputy == f"users/{deputy}" and updated.display_name   # the rest kept
    eventually(lambda: (entry := alert_directory_entry(cf.database_url, f"users/{judge}")) and entry["absent"],
               what="the absence in the alert service's directory")
    cf.set_clock(datetime(2026, 3, 9, 9, tzinfo=LEGAL_TZ))
    case = cf.cases.CreateCase(create_request(seed("org-admin", 802, filed=date(2026, 3, 9), handler=judge)),
                               metadata=cf.md(COURT_SYSTEM)).case
    cf.set_clock(datetime(2026, 3, 14, 9, tzinfo=LEGAL_TZ))   # the complaint copy (due Mon 16th): its 2-day rung
    inbox = lambda user: messages(cf, user, case=case)  # noqa: E731
    warned = eventually(lambda: inbox(deputy), what="the warning in the deputy's inbox")
    assert warned[0].kind == alert_pb2.REMINDER_KIND_WARNING and inbox(judge) == []


def test_a_department_names_its_vice_president_in_charge(cf):
    name = "courts/440101/departments/440101-civil2"
    err = denied(lambda: org_service(cf).UpdateDepartment(org.UpdateDepartmentRequest(
        department=Department(name=name, vice_president="users/judge.440101.civil2.1"),
        update_mask=FieldMask(paths=["vice_president"])), metadata=cf.md(ADMIN)), grpc.StatusCode.INVALID_ARGUMENT)
    assert [f for f, _ in details_of(err)[1]] == ["department.vice_president"]
    updated = org_service(cf).UpdateDepartment(org.UpdateDepartmentRequest(
        department=Department(name=name, vice_president="users/vice_president.440101", display_name="不改"),
        update_mask=FieldMask(paths=["vice_president"])), metadata=cf.md(ADMIN)).department
    assert updated.vice_president == "users/vice_president.440101" and updated.display_name != "不改"


def stats_names(database_url: str) -> dict[str, str]:
    """The courts and departments the stats service knows, by id and name: what its answers and
    reports call them. It follows the gateway's CourtChanged and DepartmentChanged events."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT court, display_name FROM stats.courts UNION ALL "
                                          "SELECT name, display_name FROM stats.departments")).all())
    finally:
        engine.dispose()


def test_an_administrator_creates_a_court_and_a_department_that_the_services_then_name(cf):
    new = lambda **kw: Court(**{"name": "courts/440199", "display_name": "东江市新区人民法院",  # noqa: E731
                                "level": COURT_LEVEL_BASIC, "parent": "courts/4401", **kw})
    create = lambda court, user=REGION_ADMIN: org_service(cf).CreateCourt(  # noqa: E731
        org.CreateCourtRequest(court=court), metadata=cf.md(user)).court
    fields = lambda err: dict(details_of(err)[1])  # noqa: E731
    bad = fields(denied(lambda: create(new(name="courts/4402", display_name="")), grpc.StatusCode.INVALID_ARGUMENT))
    assert set(bad) == {"court.name", "court.display_name"} and "4401" in bad["court.name"]
    bad = fields(denied(lambda: create(new(level=COURT_LEVEL_INTERMEDIATE)), grpc.StatusCode.INVALID_ARGUMENT))
    assert "基层人民法院" in bad["court.level"]
    bad = fields(denied(lambda: create(new(name="courts/44010101", parent="courts/440101"), ADMIN),
                        grpc.StatusCode.INVALID_ARGUMENT))
    assert "其下不能设立法院" in bad["court.parent"]
    denied(lambda: create(new(), OTHER_ADMIN))       # a basic court's administrator, for the region
    denied(lambda: create(new(), PRESIDENT))         # leaders read the directory, administrators change it
    courts = lambda: {c.name for c in org_service(cf).ListCourts(org.ListCourtsRequest(page_size=1000),  # noqa: E731
                                                                 metadata=cf.md(REGION_ADMIN)).courts}
    assert "courts/440199" not in courts()           # nothing of the refused attempts
    assert create(new()) == new()
    assert "courts/440199" in courts()
    assert details_of(denied(lambda: create(new(display_name="另一个名字")), grpc.StatusCode.INVALID_ARGUMENT))[0] \
        == "COURT_EXISTS"

    # A department of the new court, through the HTTP-JSON API as a portal or the console would.
    path = "/v1/courts/440199/departments"
    reply = cf.http("POST", path, user=REGION_ADMIN, body={"displayName": "民事审判庭", "kind": "民事"},
                    query=[("departmentId", "civil1")])
    # (fields named as the JSON request has them: the body is the department)
    assert reply.status == 400 and {f for f, _ in reply.violations()} == {"departmentId", "kind"}
    assert dict(reply.violations())["departmentId"].startswith("庭室编号")
    reply = cf.http("POST", path, user=REGION_ADMIN, body={"displayName": "民事审判庭", "kind": "civil"},
                    query=[("departmentId", "440199-civil1")])
    assert reply.status == 200, reply.body
    made = reply.json()["department"]
    assert (made["name"], made["displayName"], made["kind"]) == (
        "courts/440199/departments/440199-civil1", "民事审判庭", "civil")
    again = cf.http("POST", path, user=REGION_ADMIN, body={"displayName": "民事审判第二庭", "kind": "civil"},
                    query=[("departmentId", "440199-civil1")])
    assert again.status == 400 and again.reason() == "DEPARTMENT_EXISTS"
    assert cf.http("POST", path, user=OTHER_ADMIN, body={"displayName": "民二庭", "kind": "civil"},
                   query=[("departmentId", "440199-civil2")]).status == 403

    # The stats service learns both from the events, and the audit log has both, by whom.
    eventually(lambda: {"440199", "courts/440199/departments/440199-civil1"} <= set(stats_names(cf.database_url)),
               what="the new court and department in the stats service's directory")
    assert stats_names(cf.database_url)["440199"] == "东江市新区人民法院"
    done = {(r.operation.action.rsplit("/", 1)[1], r.operation.resource, r.operation.actor)
            for resource in ("courts/440199", "courts/440199/departments/440199-civil1")
            for r in audit_records(cf, f'resource = "{resource}"')
            if r.operation.result == AuditResult.AUDIT_RESULT_SUCCEEDED}
    assert done == {("CreateCourt", "courts/440199", f"users/{REGION_ADMIN}"),
                    ("CreateDepartment", "courts/440199/departments/440199-civil1", f"users/{REGION_ADMIN}")}
