"""Administering the org directory (OrgService): reads within the caller's scope, changes by the
system administrators of a court or a court above, each checked like an imported row
(file.py), published for the projections (org.py) and audited in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import literal, select

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel
from courtflow.gateway.v1.gateway_pb2 import Department, User

from gateway.directory import file, org
from gateway.models import CourtRow, DepartmentRow, UserRow
from services.common import scope
from services.common.audit import record_operation
from services.common.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied
from services.common.paging import Page, page_of
from services.common.uow import UnitOfWork

SERVICE = "/courtflow.gateway.v1.OrgService/"
USER_FIELDS = ("display_name", "role", "department", "mobile", "active", "absent", "deputy")
DEPARTMENT_FIELDS = ("display_name", "vice_president")


@dataclass(frozen=True)
class ImportCounts:
    departments_created: int = 0
    departments_updated: int = 0
    users_created: int = 0
    users_updated: int = 0
    unchanged: int = 0


def require_admin_of(caller: Caller, court: str) -> None:
    """Changes are for system administrators who see the whole court (theirs or one below)."""
    if caller.role != Role.ROLE_SYSTEM_ADMIN or not scope.sees_whole_court(caller, court):
        raise PermissionDenied(f"无权管理法院 {court} 的组织机构", reason="OUT_OF_SCOPE")


def list_courts(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, page: Page) -> list[CourtRow]:
    query = select(CourtRow)
    if caller.scope in scope.WIDE:
        query = query.where(CourtRow.id.startswith(caller.scope_prefix, autoescape=True))
    else:
        query = query.where(CourtRow.id == caller.court)
    with uow_factory() as uow:
        return page_of(uow.session, query, key=CourtRow.id, page=page)


def list_departments(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str) -> list[DepartmentRow]:
    scope.require_court(caller, court)
    query = select(DepartmentRow).where(DepartmentRow.court_id == court).order_by(DepartmentRow.name)
    if caller.scope not in scope.WIDE:
        query = query.where(DepartmentRow.name == caller.department)
    with uow_factory() as uow:
        return list(uow.session.scalars(query))


def list_users(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, filters: dict,
               page: Page) -> list[UserRow]:
    scope.require_court(caller, court)
    query = select(UserRow).where(UserRow.court_id == court, scope.condition(
        caller, court=UserRow.court_id, department=UserRow.department, owner=literal("users/") + UserRow.username))
    for field, value in filters.items():
        query = query.where(getattr(UserRow, field) == value)
    with uow_factory() as uow:
        return page_of(uow.session, query, key=UserRow.username, page=page)


def get_user(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, name: str) -> UserRow:
    with uow_factory() as uow:
        return _visible_user(uow, caller, name)


def _visible_user(uow: UnitOfWork, caller: Caller, name: str) -> UserRow:
    row = uow.session.get(UserRow, name.removeprefix("users/"))
    if row is not None and scope.can_see(caller, court=row.court_id, department=row.department, owner=name):
        return row
    # The same answer for a user out of reach and one that does not exist, unless the caller sees
    # the whole province: nobody else can probe which usernames exist elsewhere.
    if caller.scope == ScopeLevel.SCOPE_LEVEL_PROVINCE:
        raise NotFound(f"用户不存在: {name}", reason="USER_NOT_FOUND")
    raise PermissionDenied(f"无权查看用户 {name}", reason="OUT_OF_SCOPE")


def create_user(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, user: User) -> UserRow:
    court = user.court.removeprefix("courts/")
    require_admin_of(caller, court)
    with uow_factory() as uow:
        if uow.session.get(UserRow, user.name.removeprefix("users/")) is not None:
            raise InvalidArgument(f"用户已存在: {user.name}", reason="USER_EXISTS",
                                  violations=(FieldViolation("user.name", "该用户名已被使用"),))
        row = _save(uow, caller, _row_of(user, mobile=user.mobile), action="CreateUser")
        uow.commit()
        return row


def update_user(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, user: User, paths: list[str]) -> UserRow:
    _check_paths(paths, USER_FIELDS, "update_mask")
    with uow_factory() as uow:
        current = _visible_user(uow, caller, user.name)
        require_admin_of(caller, current.court_id)
        merged = _row_of(org.user_to_proto(current), mobile=current.mobile)
        wanted = _row_of(user, mobile=user.mobile)
        for path in paths:
            merged[path] = wanted[path]
        row = _save(uow, caller, merged, action="UpdateUser")
        uow.commit()
        return row


def _row_of(user: User, *, mobile: str) -> dict:
    """A User message as an org-file row, so that the API and the import check the same rules."""
    return dict(username=user.name.removeprefix("users/"), display_name=user.display_name,
                role=Role.Name(user.role).removeprefix("ROLE_").lower(), court=user.court.removeprefix("courts/"),
                department=user.department.rsplit("/", 1)[-1] if user.department else "", mobile=mobile,
                active=user.active, absent=user.absent, deputy=user.deputy.removeprefix("users/"))


def _save(uow: UnitOfWork, caller: Caller, row: dict, *, action: str) -> UserRow:
    court = row["court"]
    require_admin_of(caller, court)
    known = _known(uow, court)
    problems: list[FieldViolation] = []
    spec = file.check_user("user", row, known.courts, known.departments, known.users, problems)
    if spec is None:
        raise invalid(problems)
    org.upsert_user(uow, _user_spec(spec))
    record_operation(uow, reporter="gateway", caller=caller, action=SERVICE + action,
                     resource=f"users/{spec.username}", result=AuditResult.AUDIT_RESULT_SUCCEEDED)
    uow.session.flush()
    return uow.session.get(UserRow, spec.username, populate_existing=True)


def update_department(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, department: Department,
                      paths: list[str]) -> DepartmentRow:
    _check_paths(paths, DEPARTMENT_FIELDS, "update_mask")
    parts = department.name.split("/")
    if len(parts) != 4 or parts[0] != "courts" or parts[2] != "departments":
        raise invalid([FieldViolation("department.name", "应为 courts/{法院}/departments/{庭室}")])
    scope.require_court(caller, parts[1])   # permission before existence
    with uow_factory() as uow:
        row = uow.session.get(DepartmentRow, department.name)
        if row is None:
            raise NotFound(f"庭室不存在: {department.name}", reason="DEPARTMENT_NOT_FOUND")
        require_admin_of(caller, row.court_id)
        values = dict(display_name=row.display_name, vice_president=row.vice_president)
        if "display_name" in paths:
            if not 1 <= len(department.display_name.strip()) <= 100:
                raise invalid([FieldViolation("department.display_name", "庭室名称为 1 至 100 个字")])
            values["display_name"] = department.display_name.strip()
        if "vice_president" in paths:
            vp = department.vice_president.removeprefix("users/")
            holder = uow.session.get(UserRow, vp) if vp else None
            if vp and (holder is None or holder.court_id != row.court_id
                       or holder.role != Role.ROLE_VICE_PRESIDENT):
                raise invalid([FieldViolation("department.vice_president", f"{vp} 不是本院的副院长")])
            values["vice_president"] = vp
        org.upsert_department(uow, court_id=row.court_id, department_id=row.name.rsplit("/", 1)[1],
                              kind=row.kind, **values)
        record_operation(uow, reporter="gateway", caller=caller, action=SERVICE + "UpdateDepartment",
                         resource=row.name, result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        uow.session.flush()
        saved = uow.session.get(DepartmentRow, row.name, populate_existing=True)
        uow.commit()
        return saved


def import_directory(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, content: bytes, fmt: str,
                     validate_only: bool) -> ImportCounts:
    """All or nothing: any bad row, or a row of a court the caller does not administer, and
    nothing changes; rows equal to the directory are left alone (nothing published)."""
    with uow_factory() as uow:
        known = _known(uow, None)
        parsed, problems = file.parse(content, fmt, known_courts=known.courts,
                                          known_departments=known.departments, known_users=known.users)
        # Permission before the rows' problems: a file naming a court the caller does not administer
        # is refused as a whole, and says nothing about that court's departments and people.
        courts = {d.court for d in parsed.departments} | {u.court for u in parsed.users}
        for court in sorted(courts):
            require_admin_of(caller, court)
        if problems:
            raise invalid(problems)
        counts = dict(departments_created=0, departments_updated=0, users_created=0, users_updated=0, unchanged=0)
        for d in parsed.departments:
            name = org.department_name(d.court, d.department_id)
            current = uow.session.get(DepartmentRow, name)
            if current is not None and (current.display_name, current.kind, current.vice_president) == (
                    d.display_name, d.kind, d.vice_president):
                counts["unchanged"] += 1
                continue
            counts["departments_updated" if current else "departments_created"] += 1
            org.upsert_department(uow, court_id=d.court, department_id=d.department_id, display_name=d.display_name,
                                  kind=d.kind, vice_president=d.vice_president)
        for u in parsed.users:
            spec, current = _user_spec(u), uow.session.get(UserRow, u.username)
            if current is not None and _same(current, spec):
                counts["unchanged"] += 1
                continue
            counts["users_updated" if current else "users_created"] += 1
            org.upsert_user(uow, spec)
        if validate_only:
            return ImportCounts(**counts)   # not committed: the unit of work rolls back
        record_operation(uow, reporter="gateway", caller=caller, action=SERVICE + "ImportOrgDirectory",
                         resource="orgDirectory", result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        uow.commit()
        return ImportCounts(**counts)


@dataclass(frozen=True)
class _Known:
    courts: set[str]
    departments: set[str]   # department ids
    users: dict[str, str]   # username → court


def _known(uow: UnitOfWork, court: str | None) -> _Known:
    """What rows are checked against: the province's courts, and the departments and people of one
    court (or of all, for an import)."""
    courts = set(uow.session.scalars(select(CourtRow.id)))
    dq, uq = select(DepartmentRow.name), select(UserRow.username, UserRow.court_id)
    if court is not None:
        dq, uq = dq.where(DepartmentRow.court_id == court), uq.where(UserRow.court_id == court)
    departments = {n.rsplit("/", 1)[1] for n in uow.session.scalars(dq)}
    return _Known(courts, departments, dict(uow.session.execute(uq).all()))


def _user_spec(u: file.UserRowSpec) -> org.UserSpec:
    return org.UserSpec(username=u.username, display_name=u.display_name, role=u.role, court_id=u.court,
                        department=org.department_name(u.court, u.department_id) if u.department_id else "",
                        mobile=u.mobile, active=u.active, absent=u.absent, deputy=u.deputy)


def _same(row: UserRow, spec: org.UserSpec) -> bool:
    return (row.display_name, row.role, row.court_id, row.department, row.mobile, row.active, row.absent,
            row.deputy) == (spec.display_name, spec.role, spec.court_id, spec.department, spec.mobile, spec.active,
                            spec.absent, spec.deputy)


def _check_paths(paths: list[str], allowed: tuple[str, ...], field: str) -> None:
    bad = [p for p in paths if p not in allowed]
    if not paths or bad:
        raise invalid([FieldViolation(field, f"可更新的字段: {', '.join(allowed)}"
                                             + (f"；不支持 {', '.join(bad)}" if bad else ""))])


def invalid(problems: list[FieldViolation]) -> InvalidArgument:
    shown = "; ".join(f"{p.field}: {p.description}" for p in problems[:20])
    more = f"（另有 {len(problems) - 20} 处）" if len(problems) > 20 else ""
    return InvalidArgument(f"参数错误: {shown}{more}", violations=tuple(problems))
