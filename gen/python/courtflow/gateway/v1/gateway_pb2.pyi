from courtflow.common.v1 import caller_pb2 as _caller_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CourtLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COURT_LEVEL_UNSPECIFIED: _ClassVar[CourtLevel]
    COURT_LEVEL_HIGH: _ClassVar[CourtLevel]
    COURT_LEVEL_INTERMEDIATE: _ClassVar[CourtLevel]
    COURT_LEVEL_BASIC: _ClassVar[CourtLevel]
COURT_LEVEL_UNSPECIFIED: CourtLevel
COURT_LEVEL_HIGH: CourtLevel
COURT_LEVEL_INTERMEDIATE: CourtLevel
COURT_LEVEL_BASIC: CourtLevel

class Court(_message.Message):
    __slots__ = ("name", "display_name", "level", "parent")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    level: CourtLevel
    parent: str
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., level: _Optional[_Union[CourtLevel, str]] = ..., parent: _Optional[str] = ...) -> None: ...

class Department(_message.Message):
    __slots__ = ("name", "display_name", "kind", "vice_president")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VICE_PRESIDENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    kind: str
    vice_president: str
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., kind: _Optional[str] = ..., vice_president: _Optional[str] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("name", "display_name", "role", "court", "department", "mobile", "active", "absent", "deputy")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    COURT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    MOBILE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    ABSENT_FIELD_NUMBER: _ClassVar[int]
    DEPUTY_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    role: _caller_pb2.Role
    court: str
    department: str
    mobile: str
    active: bool
    absent: bool
    deputy: str
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., role: _Optional[_Union[_caller_pb2.Role, str]] = ..., court: _Optional[str] = ..., department: _Optional[str] = ..., mobile: _Optional[str] = ..., active: _Optional[bool] = ..., absent: _Optional[bool] = ..., deputy: _Optional[str] = ...) -> None: ...
