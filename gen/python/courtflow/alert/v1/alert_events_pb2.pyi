from courtflow.alert.v1 import alert_pb2 as _alert_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MessageDelivered(_message.Message):
    __slots__ = ("message", "recipient")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    message: _alert_pb2.Message
    recipient: str
    def __init__(self, message: _Optional[_Union[_alert_pb2.Message, _Mapping]] = ..., recipient: _Optional[str] = ...) -> None: ...
