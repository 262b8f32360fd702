from courtflow.gateway.v1 import gateway_pb2 as _gateway_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UserChanged(_message.Message):
    __slots__ = ("user", "mobile")
    USER_FIELD_NUMBER: _ClassVar[int]
    MOBILE_FIELD_NUMBER: _ClassVar[int]
    user: _gateway_pb2.User
    mobile: str
    def __init__(self, user: _Optional[_Union[_gateway_pb2.User, _Mapping]] = ..., mobile: _Optional[str] = ...) -> None: ...

class DepartmentChanged(_message.Message):
    __slots__ = ("department",)
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    department: _gateway_pb2.Department
    def __init__(self, department: _Optional[_Union[_gateway_pb2.Department, _Mapping]] = ...) -> None: ...

class CourtChanged(_message.Message):
    __slots__ = ("court",)
    COURT_FIELD_NUMBER: _ClassVar[int]
    court: _gateway_pb2.Court
    def __init__(self, court: _Optional[_Union[_gateway_pb2.Court, _Mapping]] = ...) -> None: ...
