from buf.validate import validate_pb2 as _validate_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReportKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPORT_KIND_UNSPECIFIED: _ClassVar[ReportKind]
    REPORT_KIND_HIGH: _ClassVar[ReportKind]
    REPORT_KIND_INTERMEDIATE: _ClassVar[ReportKind]
    REPORT_KIND_BASIC: _ClassVar[ReportKind]

class ReportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPORT_FORMAT_UNSPECIFIED: _ClassVar[ReportFormat]
    REPORT_FORMAT_XLSX: _ClassVar[ReportFormat]
    REPORT_FORMAT_CSV: _ClassVar[ReportFormat]
REPORT_KIND_UNSPECIFIED: ReportKind
REPORT_KIND_HIGH: ReportKind
REPORT_KIND_INTERMEDIATE: ReportKind
REPORT_KIND_BASIC: ReportKind
REPORT_FORMAT_UNSPECIFIED: ReportFormat
REPORT_FORMAT_XLSX: ReportFormat
REPORT_FORMAT_CSV: ReportFormat

class ExportSupervisionReportRequest(_message.Message):
    __slots__ = ("parent", "period", "region", "items", "format")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    period: str
    region: str
    items: _containers.RepeatedScalarFieldContainer[str]
    format: ReportFormat
    def __init__(self, parent: _Optional[str] = ..., period: _Optional[str] = ..., region: _Optional[str] = ..., items: _Optional[_Iterable[str]] = ..., format: _Optional[_Union[ReportFormat, str]] = ...) -> None: ...

class ExportSupervisionReportResponse(_message.Message):
    __slots__ = ("content", "content_type", "file_name", "kind", "row_count")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    file_name: str
    kind: ReportKind
    row_count: int
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ..., file_name: _Optional[str] = ..., kind: _Optional[_Union[ReportKind, str]] = ..., row_count: _Optional[int] = ...) -> None: ...
