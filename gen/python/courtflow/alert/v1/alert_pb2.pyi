import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReminderKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REMINDER_KIND_UNSPECIFIED: _ClassVar[ReminderKind]
    REMINDER_KIND_WARNING: _ClassVar[ReminderKind]
    REMINDER_KIND_OVERDUE: _ClassVar[ReminderKind]
    REMINDER_KIND_CLOSING_CHECK: _ClassVar[ReminderKind]
    REMINDER_KIND_ESCALATION: _ClassVar[ReminderKind]
    REMINDER_KIND_APPROVAL_REQUESTED: _ClassVar[ReminderKind]
    REMINDER_KIND_APPLICATION_DECIDED: _ClassVar[ReminderKind]
    REMINDER_KIND_NODE_LOCKED: _ClassVar[ReminderKind]
    REMINDER_KIND_NODE_UNLOCKED: _ClassVar[ReminderKind]
    REMINDER_KIND_CASE_ASSIGNED: _ClassVar[ReminderKind]

class DeliveryState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_STATE_UNSPECIFIED: _ClassVar[DeliveryState]
    DELIVERY_STATE_PENDING: _ClassVar[DeliveryState]
    DELIVERY_STATE_SENT: _ClassVar[DeliveryState]
    DELIVERY_STATE_FAILED: _ClassVar[DeliveryState]
REMINDER_KIND_UNSPECIFIED: ReminderKind
REMINDER_KIND_WARNING: ReminderKind
REMINDER_KIND_OVERDUE: ReminderKind
REMINDER_KIND_CLOSING_CHECK: ReminderKind
REMINDER_KIND_ESCALATION: ReminderKind
REMINDER_KIND_APPROVAL_REQUESTED: ReminderKind
REMINDER_KIND_APPLICATION_DECIDED: ReminderKind
REMINDER_KIND_NODE_LOCKED: ReminderKind
REMINDER_KIND_NODE_UNLOCKED: ReminderKind
REMINDER_KIND_CASE_ASSIGNED: ReminderKind
DELIVERY_STATE_UNSPECIFIED: DeliveryState
DELIVERY_STATE_PENDING: DeliveryState
DELIVERY_STATE_SENT: DeliveryState
DELIVERY_STATE_FAILED: DeliveryState

class Message(_message.Message):
    __slots__ = ("name", "kind", "title", "body", "case", "node", "case_number", "read", "create_time", "application")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CASE_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    READ_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: ReminderKind
    title: str
    body: str
    case: str
    node: str
    case_number: str
    read: bool
    create_time: _timestamp_pb2.Timestamp
    application: str
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[ReminderKind, str]] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., case: _Optional[str] = ..., node: _Optional[str] = ..., case_number: _Optional[str] = ..., read: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., application: _Optional[str] = ...) -> None: ...

class SmsDelivery(_message.Message):
    __slots__ = ("name", "node", "masked_mobile", "text", "state", "attempts", "provider", "failure_reason", "create_time", "send_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    MASKED_MOBILE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    SEND_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    node: str
    masked_mobile: str
    text: str
    state: DeliveryState
    attempts: int
    provider: str
    failure_reason: str
    create_time: _timestamp_pb2.Timestamp
    send_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., node: _Optional[str] = ..., masked_mobile: _Optional[str] = ..., text: _Optional[str] = ..., state: _Optional[_Union[DeliveryState, str]] = ..., attempts: _Optional[int] = ..., provider: _Optional[str] = ..., failure_reason: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., send_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
