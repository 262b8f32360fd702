from courtflow.alert.v1 import alert_pb2 as _alert_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReminderDelivered(_message.Message):
    __slots__ = ("key", "kind", "node", "case_number", "application", "messages")
    KEY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    key: str
    kind: _alert_pb2.ReminderKind
    node: str
    case_number: str
    application: str
    messages: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, key: _Optional[str] = ..., kind: _Optional[_Union[_alert_pb2.ReminderKind, str]] = ..., node: _Optional[str] = ..., case_number: _Optional[str] = ..., application: _Optional[str] = ..., messages: _Optional[_Iterable[str]] = ...) -> None: ...
