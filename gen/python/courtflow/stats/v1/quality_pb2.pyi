from courtflow.node.v1 import node_pb2 as _node_pb2
from courtflow.stats.v1 import supervision_pb2 as _supervision_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QualityIndicators(_message.Message):
    __slots__ = ("group", "received", "closed", "closed_to_received", "closed_with_limit", "closed_within_limit", "within_limit_rate", "average_trial_days", "open", "open_over_12_months", "over_12_months_ratio", "extended", "extension_rate")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_TO_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_WITH_LIMIT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_WITHIN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    WITHIN_LIMIT_RATE_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_TRIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    OPEN_FIELD_NUMBER: _ClassVar[int]
    OPEN_OVER_12_MONTHS_FIELD_NUMBER: _ClassVar[int]
    OVER_12_MONTHS_RATIO_FIELD_NUMBER: _ClassVar[int]
    EXTENDED_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_RATE_FIELD_NUMBER: _ClassVar[int]
    group: _containers.RepeatedCompositeFieldContainer[_supervision_pb2.GroupValue]
    received: int
    closed: int
    closed_to_received: float
    closed_with_limit: int
    closed_within_limit: int
    within_limit_rate: float
    average_trial_days: float
    open: int
    open_over_12_months: int
    over_12_months_ratio: float
    extended: int
    extension_rate: float
    def __init__(self, group: _Optional[_Iterable[_Union[_supervision_pb2.GroupValue, _Mapping]]] = ..., received: _Optional[int] = ..., closed: _Optional[int] = ..., closed_to_received: _Optional[float] = ..., closed_with_limit: _Optional[int] = ..., closed_within_limit: _Optional[int] = ..., within_limit_rate: _Optional[float] = ..., average_trial_days: _Optional[float] = ..., open: _Optional[int] = ..., open_over_12_months: _Optional[int] = ..., over_12_months_ratio: _Optional[float] = ..., extended: _Optional[int] = ..., extension_rate: _Optional[float] = ...) -> None: ...

class StageDuration(_message.Message):
    __slots__ = ("stage", "cases", "median_days", "p90_days")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CASES_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_DAYS_FIELD_NUMBER: _ClassVar[int]
    P90_DAYS_FIELD_NUMBER: _ClassVar[int]
    stage: _node_pb2.Stage
    cases: int
    median_days: float
    p90_days: float
    def __init__(self, stage: _Optional[_Union[_node_pb2.Stage, str]] = ..., cases: _Optional[int] = ..., median_days: _Optional[float] = ..., p90_days: _Optional[float] = ...) -> None: ...

class RecurringProblem(_message.Message):
    __slots__ = ("dimension", "value", "label", "monthly_overdue", "months_with_overdue")
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    MONTHS_WITH_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    dimension: _supervision_pb2.Dimension
    value: str
    label: str
    monthly_overdue: _containers.RepeatedScalarFieldContainer[int]
    months_with_overdue: int
    def __init__(self, dimension: _Optional[_Union[_supervision_pb2.Dimension, str]] = ..., value: _Optional[str] = ..., label: _Optional[str] = ..., monthly_overdue: _Optional[_Iterable[int]] = ..., months_with_overdue: _Optional[int] = ...) -> None: ...
