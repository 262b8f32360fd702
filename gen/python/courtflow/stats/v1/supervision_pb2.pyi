from buf.validate import validate_pb2 as _validate_pb2
from courtflow.case.v1 import case_pb2 as _case_pb2
from courtflow.node.v1 import node_pb2 as _node_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DateBasis(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATE_BASIS_UNSPECIFIED: _ClassVar[DateBasis]
    DATE_BASIS_RECEIVE: _ClassVar[DateBasis]
    DATE_BASIS_FILING: _ClassVar[DateBasis]
    DATE_BASIS_CLOSE: _ClassVar[DateBasis]
    DATE_BASIS_ARCHIVE: _ClassVar[DateBasis]

class Dimension(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIMENSION_UNSPECIFIED: _ClassVar[Dimension]
    DIMENSION_REGION: _ClassVar[Dimension]
    DIMENSION_COURT: _ClassVar[Dimension]
    DIMENSION_DEPARTMENT: _ClassVar[Dimension]
    DIMENSION_STAGE: _ClassVar[Dimension]
    DIMENSION_CATEGORY: _ClassVar[Dimension]
    DIMENSION_NODE_TYPE: _ClassVar[Dimension]
    DIMENSION_CASE_TYPE: _ClassVar[Dimension]
    DIMENSION_PROCEDURE: _ClassVar[Dimension]
    DIMENSION_HANDLER: _ClassVar[Dimension]
    DIMENSION_MONTH: _ClassVar[Dimension]

class NodeStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NODE_STATUS_UNSPECIFIED: _ClassVar[NodeStatus]
    NODE_STATUS_NORMAL: _ClassVar[NodeStatus]
    NODE_STATUS_WARNING: _ClassVar[NodeStatus]
    NODE_STATUS_OVERDUE: _ClassVar[NodeStatus]
DATE_BASIS_UNSPECIFIED: DateBasis
DATE_BASIS_RECEIVE: DateBasis
DATE_BASIS_FILING: DateBasis
DATE_BASIS_CLOSE: DateBasis
DATE_BASIS_ARCHIVE: DateBasis
DIMENSION_UNSPECIFIED: Dimension
DIMENSION_REGION: Dimension
DIMENSION_COURT: Dimension
DIMENSION_DEPARTMENT: Dimension
DIMENSION_STAGE: Dimension
DIMENSION_CATEGORY: Dimension
DIMENSION_NODE_TYPE: Dimension
DIMENSION_CASE_TYPE: Dimension
DIMENSION_PROCEDURE: Dimension
DIMENSION_HANDLER: Dimension
DIMENSION_MONTH: Dimension
NODE_STATUS_UNSPECIFIED: NodeStatus
NODE_STATUS_NORMAL: NodeStatus
NODE_STATUS_WARNING: NodeStatus
NODE_STATUS_OVERDUE: NodeStatus

class SupervisionQuery(_message.Message):
    __slots__ = ("filter", "date_basis", "start_date", "end_date", "as_of")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    DATE_BASIS_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    filter: str
    date_basis: DateBasis
    start_date: _date_pb2.Date
    end_date: _date_pb2.Date
    as_of: _date_pb2.Date
    def __init__(self, filter: _Optional[str] = ..., date_basis: _Optional[_Union[DateBasis, str]] = ..., start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., end_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class CaseMeasures(_message.Message):
    __slots__ = ("total", "abnormal", "normal", "warning", "overdue", "overdue_without_warning", "locked", "unlocked", "closed")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ABNORMAL_FIELD_NUMBER: _ClassVar[int]
    NORMAL_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_WITHOUT_WARNING_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    UNLOCKED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    total: int
    abnormal: int
    normal: int
    warning: int
    overdue: int
    overdue_without_warning: int
    locked: int
    unlocked: int
    closed: int
    def __init__(self, total: _Optional[int] = ..., abnormal: _Optional[int] = ..., normal: _Optional[int] = ..., warning: _Optional[int] = ..., overdue: _Optional[int] = ..., overdue_without_warning: _Optional[int] = ..., locked: _Optional[int] = ..., unlocked: _Optional[int] = ..., closed: _Optional[int] = ...) -> None: ...

class NodeMeasures(_message.Message):
    __slots__ = ("total", "open", "finished", "normal", "warning", "overdue", "overdue_without_warning", "locked", "unlocked")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    FINISHED_FIELD_NUMBER: _ClassVar[int]
    NORMAL_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_WITHOUT_WARNING_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    UNLOCKED_FIELD_NUMBER: _ClassVar[int]
    total: int
    open: int
    finished: int
    normal: int
    warning: int
    overdue: int
    overdue_without_warning: int
    locked: int
    unlocked: int
    def __init__(self, total: _Optional[int] = ..., open: _Optional[int] = ..., finished: _Optional[int] = ..., normal: _Optional[int] = ..., warning: _Optional[int] = ..., overdue: _Optional[int] = ..., overdue_without_warning: _Optional[int] = ..., locked: _Optional[int] = ..., unlocked: _Optional[int] = ...) -> None: ...

class GroupValue(_message.Message):
    __slots__ = ("dimension", "value", "label")
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    dimension: Dimension
    value: str
    label: str
    def __init__(self, dimension: _Optional[_Union[Dimension, str]] = ..., value: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class SupervisionCell(_message.Message):
    __slots__ = ("group", "cases", "nodes", "drill_down")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    CASES_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    DRILL_DOWN_FIELD_NUMBER: _ClassVar[int]
    group: _containers.RepeatedCompositeFieldContainer[GroupValue]
    cases: CaseMeasures
    nodes: NodeMeasures
    drill_down: SupervisionQuery
    def __init__(self, group: _Optional[_Iterable[_Union[GroupValue, _Mapping]]] = ..., cases: _Optional[_Union[CaseMeasures, _Mapping]] = ..., nodes: _Optional[_Union[NodeMeasures, _Mapping]] = ..., drill_down: _Optional[_Union[SupervisionQuery, _Mapping]] = ...) -> None: ...

class SupervisedCase(_message.Message):
    __slots__ = ("name", "case_number", "state", "case_type", "procedure", "cause", "parties", "court", "department", "handler", "receive_date", "filing_date", "close_date", "archive_date", "locked", "warning_nodes", "overdue_nodes", "locked_nodes")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CASE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    COURT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    HANDLER_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    FILING_DATE_FIELD_NUMBER: _ClassVar[int]
    CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    ARCHIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    WARNING_NODES_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_NODES_FIELD_NUMBER: _ClassVar[int]
    LOCKED_NODES_FIELD_NUMBER: _ClassVar[int]
    name: str
    case_number: str
    state: _case_pb2.CaseState
    case_type: _case_pb2.CaseType
    procedure: _case_pb2.Procedure
    cause: str
    parties: str
    court: str
    department: str
    handler: str
    receive_date: _date_pb2.Date
    filing_date: _date_pb2.Date
    close_date: _date_pb2.Date
    archive_date: _date_pb2.Date
    locked: bool
    warning_nodes: int
    overdue_nodes: int
    locked_nodes: int
    def __init__(self, name: _Optional[str] = ..., case_number: _Optional[str] = ..., state: _Optional[_Union[_case_pb2.CaseState, str]] = ..., case_type: _Optional[_Union[_case_pb2.CaseType, str]] = ..., procedure: _Optional[_Union[_case_pb2.Procedure, str]] = ..., cause: _Optional[str] = ..., parties: _Optional[str] = ..., court: _Optional[str] = ..., department: _Optional[str] = ..., handler: _Optional[str] = ..., receive_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., filing_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., close_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., archive_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., locked: _Optional[bool] = ..., warning_nodes: _Optional[int] = ..., overdue_nodes: _Optional[int] = ..., locked_nodes: _Optional[int] = ...) -> None: ...

class SupervisedNode(_message.Message):
    __slots__ = ("name", "display_name", "stage", "category", "node_type", "state", "status", "department", "responsible", "due_date", "days_overdue", "days_remaining", "warning_date", "overdue_date", "lock_date", "lock_reason", "lock_type", "unlock_date", "locked", "case", "withdrawn")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    NODE_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    DAYS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    WARNING_DATE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_DATE_FIELD_NUMBER: _ClassVar[int]
    LOCK_DATE_FIELD_NUMBER: _ClassVar[int]
    LOCK_REASON_FIELD_NUMBER: _ClassVar[int]
    LOCK_TYPE_FIELD_NUMBER: _ClassVar[int]
    UNLOCK_DATE_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    CASE_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    stage: _node_pb2.Stage
    category: str
    node_type: str
    state: _node_pb2.NodeState
    status: NodeStatus
    department: str
    responsible: str
    due_date: _date_pb2.Date
    days_overdue: int
    days_remaining: int
    warning_date: _date_pb2.Date
    overdue_date: _date_pb2.Date
    lock_date: _date_pb2.Date
    lock_reason: str
    lock_type: _node_pb2.LockType
    unlock_date: _date_pb2.Date
    locked: bool
    case: SupervisedCase
    withdrawn: bool
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., stage: _Optional[_Union[_node_pb2.Stage, str]] = ..., category: _Optional[str] = ..., node_type: _Optional[str] = ..., state: _Optional[_Union[_node_pb2.NodeState, str]] = ..., status: _Optional[_Union[NodeStatus, str]] = ..., department: _Optional[str] = ..., responsible: _Optional[str] = ..., due_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., days_overdue: _Optional[int] = ..., days_remaining: _Optional[int] = ..., warning_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., overdue_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., lock_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., lock_reason: _Optional[str] = ..., lock_type: _Optional[_Union[_node_pb2.LockType, str]] = ..., unlock_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., locked: _Optional[bool] = ..., case: _Optional[_Union[SupervisedCase, _Mapping]] = ..., withdrawn: _Optional[bool] = ...) -> None: ...

class SupervisionDifference(_message.Message):
    __slots__ = ("name", "field", "read_model", "source")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    READ_MODEL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    name: str
    field: str
    read_model: str
    source: str
    def __init__(self, name: _Optional[str] = ..., field: _Optional[str] = ..., read_model: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...
