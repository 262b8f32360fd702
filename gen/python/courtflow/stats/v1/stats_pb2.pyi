from courtflow.node.v1 import node_pb2 as _node_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NodeStatistic(_message.Message):
    __slots__ = ("court", "department", "stage", "open_count", "warning_count", "overdue_count", "overdue_without_warning_count")
    COURT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    OPEN_COUNT_FIELD_NUMBER: _ClassVar[int]
    WARNING_COUNT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_COUNT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_WITHOUT_WARNING_COUNT_FIELD_NUMBER: _ClassVar[int]
    court: str
    department: str
    stage: _node_pb2.Stage
    open_count: int
    warning_count: int
    overdue_count: int
    overdue_without_warning_count: int
    def __init__(self, court: _Optional[str] = ..., department: _Optional[str] = ..., stage: _Optional[_Union[_node_pb2.Stage, str]] = ..., open_count: _Optional[int] = ..., warning_count: _Optional[int] = ..., overdue_count: _Optional[int] = ..., overdue_without_warning_count: _Optional[int] = ...) -> None: ...
