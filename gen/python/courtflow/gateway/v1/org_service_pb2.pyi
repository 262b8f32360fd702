from buf.validate import validate_pb2 as _validate_pb2
from courtflow.gateway.v1 import gateway_pb2 as _gateway_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OrgFileFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORG_FILE_FORMAT_UNSPECIFIED: _ClassVar[OrgFileFormat]
    ORG_FILE_FORMAT_YAML: _ClassVar[OrgFileFormat]
    ORG_FILE_FORMAT_CSV: _ClassVar[OrgFileFormat]
ORG_FILE_FORMAT_UNSPECIFIED: OrgFileFormat
ORG_FILE_FORMAT_YAML: OrgFileFormat
ORG_FILE_FORMAT_CSV: OrgFileFormat

class ListCourtsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCourtsResponse(_message.Message):
    __slots__ = ("courts", "next_page_token")
    COURTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    courts: _containers.RepeatedCompositeFieldContainer[_gateway_pb2.Court]
    next_page_token: str
    def __init__(self, courts: _Optional[_Iterable[_Union[_gateway_pb2.Court, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateCourtRequest(_message.Message):
    __slots__ = ("court",)
    COURT_FIELD_NUMBER: _ClassVar[int]
    court: _gateway_pb2.Court
    def __init__(self, court: _Optional[_Union[_gateway_pb2.Court, _Mapping]] = ...) -> None: ...

class CreateCourtResponse(_message.Message):
    __slots__ = ("court",)
    COURT_FIELD_NUMBER: _ClassVar[int]
    court: _gateway_pb2.Court
    def __init__(self, court: _Optional[_Union[_gateway_pb2.Court, _Mapping]] = ...) -> None: ...

class CreateDepartmentRequest(_message.Message):
    __slots__ = ("parent", "department_id", "department")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    department_id: str
    department: _gateway_pb2.Department
    def __init__(self, parent: _Optional[str] = ..., department_id: _Optional[str] = ..., department: _Optional[_Union[_gateway_pb2.Department, _Mapping]] = ...) -> None: ...

class CreateDepartmentResponse(_message.Message):
    __slots__ = ("department",)
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    department: _gateway_pb2.Department
    def __init__(self, department: _Optional[_Union[_gateway_pb2.Department, _Mapping]] = ...) -> None: ...

class ListDepartmentsRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListDepartmentsResponse(_message.Message):
    __slots__ = ("departments",)
    DEPARTMENTS_FIELD_NUMBER: _ClassVar[int]
    departments: _containers.RepeatedCompositeFieldContainer[_gateway_pb2.Department]
    def __init__(self, departments: _Optional[_Iterable[_Union[_gateway_pb2.Department, _Mapping]]] = ...) -> None: ...

class UpdateDepartmentRequest(_message.Message):
    __slots__ = ("department", "update_mask")
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    department: _gateway_pb2.Department
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, department: _Optional[_Union[_gateway_pb2.Department, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateDepartmentResponse(_message.Message):
    __slots__ = ("department",)
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    department: _gateway_pb2.Department
    def __init__(self, department: _Optional[_Union[_gateway_pb2.Department, _Mapping]] = ...) -> None: ...

class ListUsersRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "filter")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    filter: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., filter: _Optional[str] = ...) -> None: ...

class ListUsersResponse(_message.Message):
    __slots__ = ("users", "next_page_token")
    USERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_gateway_pb2.User]
    next_page_token: str
    def __init__(self, users: _Optional[_Iterable[_Union[_gateway_pb2.User, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _gateway_pb2.User
    def __init__(self, user: _Optional[_Union[_gateway_pb2.User, _Mapping]] = ...) -> None: ...

class CreateUserRequest(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _gateway_pb2.User
    def __init__(self, user: _Optional[_Union[_gateway_pb2.User, _Mapping]] = ...) -> None: ...

class CreateUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _gateway_pb2.User
    def __init__(self, user: _Optional[_Union[_gateway_pb2.User, _Mapping]] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("user", "update_mask")
    USER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    user: _gateway_pb2.User
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, user: _Optional[_Union[_gateway_pb2.User, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _gateway_pb2.User
    def __init__(self, user: _Optional[_Union[_gateway_pb2.User, _Mapping]] = ...) -> None: ...

class ImportOrgDirectoryRequest(_message.Message):
    __slots__ = ("format", "content", "validate_only")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    format: OrgFileFormat
    content: bytes
    validate_only: bool
    def __init__(self, format: _Optional[_Union[OrgFileFormat, str]] = ..., content: _Optional[bytes] = ..., validate_only: _Optional[bool] = ...) -> None: ...

class ImportOrgDirectoryResponse(_message.Message):
    __slots__ = ("departments_created", "departments_updated", "users_created", "users_updated", "unchanged")
    DEPARTMENTS_CREATED_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENTS_UPDATED_FIELD_NUMBER: _ClassVar[int]
    USERS_CREATED_FIELD_NUMBER: _ClassVar[int]
    USERS_UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    departments_created: int
    departments_updated: int
    users_created: int
    users_updated: int
    unchanged: int
    def __init__(self, departments_created: _Optional[int] = ..., departments_updated: _Optional[int] = ..., users_created: _Optional[int] = ..., users_updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...
