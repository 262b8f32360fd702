import datetime

from buf.validate import validate_pb2 as _validate_pb2
from courtflow.audit.v1 import audit_pb2 as _audit_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPORT_FORMAT_UNSPECIFIED: _ClassVar[ExportFormat]
    EXPORT_FORMAT_CSV: _ClassVar[ExportFormat]
    EXPORT_FORMAT_XLSX: _ClassVar[ExportFormat]

class UsageGrouping(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    USAGE_GROUPING_UNSPECIFIED: _ClassVar[UsageGrouping]
    USAGE_GROUPING_ACTOR: _ClassVar[UsageGrouping]
    USAGE_GROUPING_DEPARTMENT: _ClassVar[UsageGrouping]
    USAGE_GROUPING_COURT: _ClassVar[UsageGrouping]
EXPORT_FORMAT_UNSPECIFIED: ExportFormat
EXPORT_FORMAT_CSV: ExportFormat
EXPORT_FORMAT_XLSX: ExportFormat
USAGE_GROUPING_UNSPECIFIED: UsageGrouping
USAGE_GROUPING_ACTOR: UsageGrouping
USAGE_GROUPING_DEPARTMENT: UsageGrouping
USAGE_GROUPING_COURT: UsageGrouping

class ExportAuditRecordsRequest(_message.Message):
    __slots__ = ("format", "filter", "start_time", "end_time")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    format: ExportFormat
    filter: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, format: _Optional[_Union[ExportFormat, str]] = ..., filter: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExportAuditRecordsResponse(_message.Message):
    __slots__ = ("content", "content_type", "file_name", "record_count")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    file_name: str
    record_count: int
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ..., file_name: _Optional[str] = ..., record_count: _Optional[int] = ...) -> None: ...

class ListAuditUsageRequest(_message.Message):
    __slots__ = ("group_by", "start_time", "end_time")
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    group_by: UsageGrouping
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, group_by: _Optional[_Union[UsageGrouping, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AuditUsage(_message.Message):
    __slots__ = ("key", "display_name", "operations", "denied", "failed", "last_time")
    KEY_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    OPERATIONS_FIELD_NUMBER: _ClassVar[int]
    DENIED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    LAST_TIME_FIELD_NUMBER: _ClassVar[int]
    key: str
    display_name: str
    operations: int
    denied: int
    failed: int
    last_time: _timestamp_pb2.Timestamp
    def __init__(self, key: _Optional[str] = ..., display_name: _Optional[str] = ..., operations: _Optional[int] = ..., denied: _Optional[int] = ..., failed: _Optional[int] = ..., last_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListAuditUsageResponse(_message.Message):
    __slots__ = ("usage",)
    USAGE_FIELD_NUMBER: _ClassVar[int]
    usage: _containers.RepeatedCompositeFieldContainer[AuditUsage]
    def __init__(self, usage: _Optional[_Iterable[_Union[AuditUsage, _Mapping]]] = ...) -> None: ...

class ListAuditRecordsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "filter", "start_time", "end_time")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    filter: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., filter: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListAuditRecordsResponse(_message.Message):
    __slots__ = ("audit_records", "next_page_token")
    AUDIT_RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    audit_records: _containers.RepeatedCompositeFieldContainer[_audit_pb2.AuditRecord]
    next_page_token: str
    def __init__(self, audit_records: _Optional[_Iterable[_Union[_audit_pb2.AuditRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class VerifyAuditChainRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class VerifyAuditChainResponse(_message.Message):
    __slots__ = ("intact", "verified_records", "head_sequence", "checkpoints_verified", "first_bad_record", "problem", "message", "first_sequence")
    INTACT_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    HEAD_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINTS_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    FIRST_BAD_RECORD_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIRST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    intact: bool
    verified_records: int
    head_sequence: int
    checkpoints_verified: int
    first_bad_record: str
    problem: str
    message: str
    first_sequence: int
    def __init__(self, intact: _Optional[bool] = ..., verified_records: _Optional[int] = ..., head_sequence: _Optional[int] = ..., checkpoints_verified: _Optional[int] = ..., first_bad_record: _Optional[str] = ..., problem: _Optional[str] = ..., message: _Optional[str] = ..., first_sequence: _Optional[int] = ...) -> None: ...
