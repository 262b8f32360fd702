from courtflow.node.v1 import node_pb2 as _node_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NodeOpened(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ...) -> None: ...

class NodeWarned(_message.Message):
    __slots__ = ("node", "rung_days", "days_remaining")
    NODE_FIELD_NUMBER: _ClassVar[int]
    RUNG_DAYS_FIELD_NUMBER: _ClassVar[int]
    DAYS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    rung_days: int
    days_remaining: int
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., rung_days: _Optional[int] = ..., days_remaining: _Optional[int] = ...) -> None: ...

class NodeOverdue(_message.Message):
    __slots__ = ("node", "days_overdue", "warned_before")
    NODE_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    WARNED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    days_overdue: int
    warned_before: bool
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., days_overdue: _Optional[int] = ..., warned_before: _Optional[bool] = ...) -> None: ...

class NodeEscalated(_message.Message):
    __slots__ = ("node", "days_overdue", "level")
    NODE_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    days_overdue: int
    level: int
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., days_overdue: _Optional[int] = ..., level: _Optional[int] = ...) -> None: ...

class NodeDeadlineChanged(_message.Message):
    __slots__ = ("node", "previous_due_date", "reason", "application")
    NODE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    previous_due_date: _date_pb2.Date
    reason: str
    application: str
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., previous_due_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., reason: _Optional[str] = ..., application: _Optional[str] = ...) -> None: ...

class CalendarYearImported(_message.Message):
    __slots__ = ("calendar_year",)
    CALENDAR_YEAR_FIELD_NUMBER: _ClassVar[int]
    calendar_year: _node_pb2.CalendarYear
    def __init__(self, calendar_year: _Optional[_Union[_node_pb2.CalendarYear, _Mapping]] = ...) -> None: ...

class NodeReassigned(_message.Message):
    __slots__ = ("node", "previous_department", "previous_responsible")
    NODE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    previous_department: str
    previous_responsible: str
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., previous_department: _Optional[str] = ..., previous_responsible: _Optional[str] = ...) -> None: ...

class CaseHandedOver(_message.Message):
    __slots__ = ("case", "case_number", "handler", "previous_handler", "nodes", "role")
    CASE_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    HANDLER_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_HANDLER_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    case: str
    case_number: str
    handler: str
    previous_handler: str
    nodes: _containers.RepeatedCompositeFieldContainer[_node_pb2.Node]
    role: str
    def __init__(self, case: _Optional[str] = ..., case_number: _Optional[str] = ..., handler: _Optional[str] = ..., previous_handler: _Optional[str] = ..., nodes: _Optional[_Iterable[_Union[_node_pb2.Node, _Mapping]]] = ..., role: _Optional[str] = ...) -> None: ...

class NodeCompleted(_message.Message):
    __slots__ = ("node", "completed_on", "late")
    NODE_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_ON_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    completed_on: _date_pb2.Date
    late: bool
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., completed_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., late: _Optional[bool] = ...) -> None: ...

class ApplicationCreated(_message.Message):
    __slots__ = ("application", "node")
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    application: _node_pb2.Application
    node: _node_pb2.Node
    def __init__(self, application: _Optional[_Union[_node_pb2.Application, _Mapping]] = ..., node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ...) -> None: ...

class ApplicationDecided(_message.Message):
    __slots__ = ("application", "node")
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    application: _node_pb2.Application
    node: _node_pb2.Node
    def __init__(self, application: _Optional[_Union[_node_pb2.Application, _Mapping]] = ..., node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ...) -> None: ...

class NodeLocked(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ...) -> None: ...

class NodeUnlocked(_message.Message):
    __slots__ = ("node", "application")
    NODE_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    application: str
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., application: _Optional[str] = ...) -> None: ...

class NodeOpenAtClosing(_message.Message):
    __slots__ = ("node", "closed_on")
    NODE_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    closed_on: _date_pb2.Date
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., closed_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class NodeReopened(_message.Message):
    __slots__ = ("node", "closing_event", "reason")
    NODE_FIELD_NUMBER: _ClassVar[int]
    CLOSING_EVENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    closing_event: str
    reason: str
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ..., closing_event: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...
