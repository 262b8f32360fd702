import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Stage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAGE_UNSPECIFIED: _ClassVar[Stage]
    STAGE_PRE_LITIGATION_MEDIATION: _ClassVar[Stage]
    STAGE_JUDICIAL_CONFIRMATION: _ClassVar[Stage]
    STAGE_FILING: _ClassVar[Stage]
    STAGE_PRE_TRIAL: _ClassVar[Stage]
    STAGE_ADJUDICATION: _ClassVar[Stage]
    STAGE_POST_JUDGMENT: _ClassVar[Stage]
    STAGE_EXECUTION: _ClassVar[Stage]

class NodeState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NODE_STATE_UNSPECIFIED: _ClassVar[NodeState]
    NODE_STATE_RUNNING: _ClassVar[NodeState]
    NODE_STATE_WARNING: _ClassVar[NodeState]
    NODE_STATE_OVERDUE: _ClassVar[NodeState]
    NODE_STATE_COMPLETED: _ClassVar[NodeState]
STAGE_UNSPECIFIED: Stage
STAGE_PRE_LITIGATION_MEDIATION: Stage
STAGE_JUDICIAL_CONFIRMATION: Stage
STAGE_FILING: Stage
STAGE_PRE_TRIAL: Stage
STAGE_ADJUDICATION: Stage
STAGE_POST_JUDGMENT: Stage
STAGE_EXECUTION: Stage
NODE_STATE_UNSPECIFIED: NodeState
NODE_STATE_RUNNING: NodeState
NODE_STATE_WARNING: NodeState
NODE_STATE_OVERDUE: NodeState
NODE_STATE_COMPLETED: NodeState

class Node(_message.Message):
    __slots__ = ("name", "node_type", "display_name", "stage", "category", "case_number", "department", "responsible", "state", "anchor_date", "due_date", "calendar_known", "explanation", "legal_basis", "deadline_time", "open_time", "warning_time", "overdue_time", "complete_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_DATE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_KNOWN_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_TIME_FIELD_NUMBER: _ClassVar[int]
    OPEN_TIME_FIELD_NUMBER: _ClassVar[int]
    WARNING_TIME_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_TIME_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    node_type: str
    display_name: str
    stage: Stage
    category: str
    case_number: str
    department: str
    responsible: str
    state: NodeState
    anchor_date: _date_pb2.Date
    due_date: _date_pb2.Date
    calendar_known: bool
    explanation: _containers.RepeatedScalarFieldContainer[str]
    legal_basis: str
    deadline_time: _timestamp_pb2.Timestamp
    open_time: _timestamp_pb2.Timestamp
    warning_time: _timestamp_pb2.Timestamp
    overdue_time: _timestamp_pb2.Timestamp
    complete_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., node_type: _Optional[str] = ..., display_name: _Optional[str] = ..., stage: _Optional[_Union[Stage, str]] = ..., category: _Optional[str] = ..., case_number: _Optional[str] = ..., department: _Optional[str] = ..., responsible: _Optional[str] = ..., state: _Optional[_Union[NodeState, str]] = ..., anchor_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., due_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., calendar_known: _Optional[bool] = ..., explanation: _Optional[_Iterable[str]] = ..., legal_basis: _Optional[str] = ..., deadline_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., open_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., warning_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., complete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CalendarYear(_message.Message):
    __slots__ = ("name", "year", "holidays", "workdays", "source", "import_user", "import_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    HOLIDAYS_FIELD_NUMBER: _ClassVar[int]
    WORKDAYS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    IMPORT_USER_FIELD_NUMBER: _ClassVar[int]
    IMPORT_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    year: int
    holidays: _containers.RepeatedCompositeFieldContainer[_date_pb2.Date]
    workdays: _containers.RepeatedCompositeFieldContainer[_date_pb2.Date]
    source: str
    import_user: str
    import_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., year: _Optional[int] = ..., holidays: _Optional[_Iterable[_Union[_date_pb2.Date, _Mapping]]] = ..., workdays: _Optional[_Iterable[_Union[_date_pb2.Date, _Mapping]]] = ..., source: _Optional[str] = ..., import_user: _Optional[str] = ..., import_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
