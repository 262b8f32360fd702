import datetime

from courtflow.common.v1 import caller_pb2 as _caller_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuditResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIT_RESULT_UNSPECIFIED: _ClassVar[AuditResult]
    AUDIT_RESULT_SUCCEEDED: _ClassVar[AuditResult]
    AUDIT_RESULT_DENIED: _ClassVar[AuditResult]
    AUDIT_RESULT_FAILED: _ClassVar[AuditResult]
AUDIT_RESULT_UNSPECIFIED: AuditResult
AUDIT_RESULT_SUCCEEDED: AuditResult
AUDIT_RESULT_DENIED: AuditResult
AUDIT_RESULT_FAILED: AuditResult

class Operation(_message.Message):
    __slots__ = ("id", "actor", "actor_display_name", "role", "court", "department", "action", "resource", "result", "error_reason", "client_address", "user_agent", "trace_id", "occur_time", "reporter", "detail")
    ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    ACTOR_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    COURT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ERROR_REASON_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    OCCUR_TIME_FIELD_NUMBER: _ClassVar[int]
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    actor: str
    actor_display_name: str
    role: _caller_pb2.Role
    court: str
    department: str
    action: str
    resource: str
    result: AuditResult
    error_reason: str
    client_address: str
    user_agent: str
    trace_id: str
    occur_time: _timestamp_pb2.Timestamp
    reporter: str
    detail: str
    def __init__(self, id: _Optional[str] = ..., actor: _Optional[str] = ..., actor_display_name: _Optional[str] = ..., role: _Optional[_Union[_caller_pb2.Role, str]] = ..., court: _Optional[str] = ..., department: _Optional[str] = ..., action: _Optional[str] = ..., resource: _Optional[str] = ..., result: _Optional[_Union[AuditResult, str]] = ..., error_reason: _Optional[str] = ..., client_address: _Optional[str] = ..., user_agent: _Optional[str] = ..., trace_id: _Optional[str] = ..., occur_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reporter: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class AuditRecord(_message.Message):
    __slots__ = ("name", "sequence", "operation", "hash", "previous_hash", "record_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_HASH_FIELD_NUMBER: _ClassVar[int]
    RECORD_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    sequence: int
    operation: Operation
    hash: str
    previous_hash: str
    record_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., sequence: _Optional[int] = ..., operation: _Optional[_Union[Operation, _Mapping]] = ..., hash: _Optional[str] = ..., previous_hash: _Optional[str] = ..., record_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
