"""The gateway's OrgService, served through the proxy like GatewayService: proto ↔ admin.py only.

Local handlers are not behind the services' guard, so requests are validated here as the guard
would; the proxy has already checked the permission table and the rate limits.
"""
from __future__ import annotations

from typing import Callable

import protovalidate
from google.protobuf.message import DecodeError, Message

from courtflow.common.v1.caller_pb2 import Caller, Role
from courtflow.gateway.v1 import org_service_pb2 as pb

from gateway.directory import admin, org, structure
from services.common.errors import InvalidArgument, from_validation_error
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime

_BOOL = {"true": True, "false": False}
USER_FILTERS = {"role": lambda v: Role.Value(f"ROLE_{v}"), "department": str, "active": lambda v: _BOOL[v],
                "absent": lambda v: _BOOL[v]}
FORMATS = {pb.ORG_FILE_FORMAT_YAML: "yaml", pb.ORG_FILE_FORMAT_CSV: "csv"}


class OrgServicer:
    def __init__(self, rt: Runtime) -> None:
        self._rt = rt

    @property
    def handlers(self) -> dict[str, Callable]:
        return {"ListCourts": self.list_courts, "CreateCourt": self.create_court,
                "ListDepartments": self.list_departments, "CreateDepartment": self.create_department,
                "UpdateDepartment": self.update_department, "ListUsers": self.list_users,
                "GetUser": self.get_user, "CreateUser": self.create_user, "UpdateUser": self.update_user,
                "ImportOrgDirectory": self.import_directory}

    async def list_courts(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.ListCourtsRequest, request)
        page = page_request(req.page_size, req.page_token)
        rows = await self._rt.db(admin.list_courts, self._rt.uow, caller=caller, page=page)
        rows, token = split_page(rows, page, lambda c: c.id)
        return pb.ListCourtsResponse(courts=[org.court_to_proto(c) for c in rows],
                                     next_page_token=token).SerializeToString()

    async def create_court(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.CreateCourtRequest, request)
        row = await self._rt.db(structure.create_court, self._rt.uow, caller=caller, court=req.court)
        return pb.CreateCourtResponse(court=org.court_to_proto(row)).SerializeToString()

    async def create_department(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.CreateDepartmentRequest, request)
        row = await self._rt.db(structure.create_department, self._rt.uow, caller=caller, parent=req.parent,
                                department_id=req.department_id, department=req.department)
        return pb.CreateDepartmentResponse(department=org.department_to_proto(row)).SerializeToString()

    async def list_departments(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.ListDepartmentsRequest, request)
        rows = await self._rt.db(admin.list_departments, self._rt.uow, caller=caller,
                                 court=req.parent.removeprefix("courts/"))
        return pb.ListDepartmentsResponse(departments=[org.department_to_proto(d) for d in rows]).SerializeToString()

    async def update_department(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.UpdateDepartmentRequest, request)
        row = await self._rt.db(admin.update_department, self._rt.uow, caller=caller,
                                department=req.department, paths=list(req.update_mask.paths))
        return pb.UpdateDepartmentResponse(department=org.department_to_proto(row)).SerializeToString()

    async def list_users(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.ListUsersRequest, request)
        filters = parse_filter(req.filter, USER_FILTERS)
        page = page_request(req.page_size, req.page_token, filter_text=req.filter, parent=req.parent)
        rows = await self._rt.db(admin.list_users, self._rt.uow, caller=caller,
                                 court=req.parent.removeprefix("courts/"), filters=filters, page=page)
        rows, token = split_page(rows, page, lambda u: u.username)
        return pb.ListUsersResponse(users=[org.user_to_proto(u) for u in rows],
                                    next_page_token=token).SerializeToString()

    async def get_user(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.GetUserRequest, request)
        row = await self._rt.db(admin.get_user, self._rt.uow, caller=caller, name=req.name)
        return pb.GetUserResponse(user=org.user_to_proto(row)).SerializeToString()

    async def create_user(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.CreateUserRequest, request)
        row = await self._rt.db(admin.create_user, self._rt.uow, caller=caller, user=req.user)
        return pb.CreateUserResponse(user=org.user_to_proto(row)).SerializeToString()

    async def update_user(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.UpdateUserRequest, request)
        row = await self._rt.db(admin.update_user, self._rt.uow, caller=caller, user=req.user,
                                paths=list(req.update_mask.paths))
        return pb.UpdateUserResponse(user=org.user_to_proto(row)).SerializeToString()

    async def import_directory(self, request: bytes, caller: Caller) -> bytes:
        req = _parse(pb.ImportOrgDirectoryRequest, request)
        counts = await self._rt.db(admin.import_directory, self._rt.uow, caller=caller, content=req.content,
                                   fmt=FORMATS[req.format], validate_only=req.validate_only)
        return pb.ImportOrgDirectoryResponse(**counts.__dict__).SerializeToString()


def _parse(cls: type[Message], request: bytes):
    try:
        msg = cls.FromString(request)
        protovalidate.validate(msg)
        return msg
    except DecodeError:
        raise InvalidArgument("参数错误: 请求无法解析") from None
    except protovalidate.ValidationError as exc:
        raise from_validation_error(exc) from None
