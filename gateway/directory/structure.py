"""New courts and departments (OrgService.CreateCourt, CreateDepartment): checked like the rest of
the directory (a department like an imported row, file.py), by the system administrators of the
court above or the court itself, published for the projections (org.py) and audited in the same
transaction. admin.py holds the reads and the changes to what exists."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import func, select

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller, Role
from courtflow.gateway.v1.gateway_pb2 import Court, CourtLevel, Department

from gateway.directory import file, org
from gateway.directory.admin import SERVICE, invalid, require_admin_of
from gateway.models import CourtRow, DepartmentRow, UserRow
from services.common.audit import record_operation
from services.common.errors import FieldViolation, InvalidArgument
from services.common.labels import COURT_LEVELS
from services.common.uow import UnitOfWork

# The level a court below one of each level has; a basic court has none below it.
LEVEL_BELOW = {CourtLevel.COURT_LEVEL_HIGH: CourtLevel.COURT_LEVEL_INTERMEDIATE,
               CourtLevel.COURT_LEVEL_INTERMEDIATE: CourtLevel.COURT_LEVEL_BASIC}
LEVEL_NAMES = {level: name for name, level in org.LEVELS.items()}
# An import names a department's fields by the row; the API by the request's.
_REQUEST_FIELDS = {"department.court": "parent", "department.id": "department_id"}


def create_court(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: Court) -> CourtRow:
    """A court below an existing one: its code is the parent's and two more digits (courts nest by
    prefix: 44, 4401, 440101, which is how scopes reach them), its level the one below the parent's.
    The high court comes with the deployment: a province has one."""
    court_id, parent_id = court.name.removeprefix("courts/"), court.parent.removeprefix("courts/")
    if not court.parent:
        raise invalid([FieldViolation("court.parent", "须指明上级法院（高级人民法院随系统部署建立，不能新建）")])
    if not file.COURT_ID.match(parent_id) or not court.parent.startswith("courts/"):
        raise invalid([FieldViolation("court.parent", "应为 courts/{法院编号}，如 courts/4401")])
    require_admin_of(caller, parent_id)   # permission before existence
    problems: list[FieldViolation] = []
    if not (court.name.startswith("courts/") and file.COURT_ID.match(court_id)
            and court_id.startswith(parent_id) and len(court_id) == len(parent_id) + 2):
        problems.append(FieldViolation("court.name", f"法院编号应为上级法院编号 {parent_id} 加两位数字，"
                                                     f"如 courts/{parent_id}05"))
    name = court.display_name.strip()
    if not 1 <= len(name) <= 100:
        problems.append(FieldViolation("court.display_name", "法院名称为 1 至 100 个字"))
    with uow_factory() as uow:
        parent = uow.session.get(CourtRow, parent_id)
        if parent is None:
            problems.append(FieldViolation("court.parent", f"上级法院 {parent_id} 不在目录中"))
        elif parent.level not in LEVEL_BELOW:
            problems.append(FieldViolation("court.parent", f"上级法院 {parent.display_name} 是{COURT_LEVELS[parent.level]}，"
                                                           "其下不能设立法院"))
        elif court.level != LEVEL_BELOW[parent.level]:
            problems.append(FieldViolation("court.level", f"上级法院 {parent.display_name} 是{COURT_LEVELS[parent.level]}，"
                                                          f"新设法院的级别应为{COURT_LEVELS[LEVEL_BELOW[parent.level]]}"))
        if problems:
            raise invalid(problems)
        if uow.session.get(CourtRow, court_id) is not None:
            raise InvalidArgument(f"法院已存在: {court.name}", reason="COURT_EXISTS",
                                  violations=(FieldViolation("court.name", f"法院编号 {court_id} 已被使用"),))
        if uow.session.scalar(select(func.count()).select_from(CourtRow).where(CourtRow.display_name == name)):
            raise invalid([FieldViolation("court.display_name", f"已有名为「{name}」的法院")])
        # Case numbers carry the court's code after the province's abbreviation: （2026）粤0105民初1号.
        high = uow.session.get(CourtRow, parent_id[:2])
        org.upsert_court(uow, court_id=court_id, display_name=name, level=LEVEL_NAMES[court.level], parent_id=parent_id,
                         abbreviation=(high.abbreviation if high else "") + court_id[2:])
        record_operation(uow, reporter="gateway", caller=caller, action=SERVICE + "CreateCourt",
                         resource=f"courts/{court_id}", result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        uow.session.flush()
        row = uow.session.get(CourtRow, court_id, populate_existing=True)
        uow.commit()
        return row


def create_department(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, parent: str, department_id: str,
                      department: Department) -> DepartmentRow:
    court = parent.removeprefix("courts/")
    require_admin_of(caller, court)   # permission before existence
    with uow_factory() as uow:
        courts = set(uow.session.scalars(select(CourtRow.id)))
        vp = department.vice_president.removeprefix("users/")
        problems: list[FieldViolation] = []
        row = dict(court=court, id=department_id, display_name=department.display_name, kind=department.kind,
                   vice_president=vp)
        spec = file.check_department("department", row, courts, problems)
        if vp and spec is not None:
            holder = uow.session.get(UserRow, vp)
            if holder is None or holder.court_id != court or holder.role != Role.ROLE_VICE_PRESIDENT:
                problems.append(FieldViolation("department.vice_president", f"{vp} 不是本院的副院长"))
        if problems:
            raise invalid([FieldViolation(_REQUEST_FIELDS.get(p.field, p.field), p.description) for p in problems])
        name = org.department_name(court, spec.department_id)
        if uow.session.get(DepartmentRow, name) is not None:
            raise InvalidArgument(f"庭室已存在: {name}", reason="DEPARTMENT_EXISTS",
                                  violations=(FieldViolation("department_id", f"庭室编号 {department_id} 已被使用"),))
        if uow.session.scalar(select(func.count()).select_from(DepartmentRow).where(
                DepartmentRow.court_id == court, DepartmentRow.display_name == spec.display_name)):
            raise invalid([FieldViolation("department.display_name", f"本院已有名为「{spec.display_name}」的庭室")])
        org.upsert_department(uow, court_id=court, department_id=spec.department_id, display_name=spec.display_name,
                              kind=spec.kind, vice_president=spec.vice_president)
        record_operation(uow, reporter="gateway", caller=caller, action=SERVICE + "CreateDepartment",
                         resource=name, result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        uow.session.flush()
        row = uow.session.get(DepartmentRow, name, populate_existing=True)
        uow.commit()
        return row
