import datetime

from buf.validate import validate_pb2 as _validate_pb2
from courtflow.alert.v1 import alert_pb2 as _alert_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MarkMessageReadRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class MarkMessageReadResponse(_message.Message):
    __slots__ = ("message", "unread_count")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    UNREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    message: _alert_pb2.Message
    unread_count: int
    def __init__(self, message: _Optional[_Union[_alert_pb2.Message, _Mapping]] = ..., unread_count: _Optional[int] = ...) -> None: ...

class MarkAllMessagesReadRequest(_message.Message):
    __slots__ = ("parent", "filter")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    parent: str
    filter: str
    def __init__(self, parent: _Optional[str] = ..., filter: _Optional[str] = ...) -> None: ...

class MarkAllMessagesReadResponse(_message.Message):
    __slots__ = ("marked_count", "unread_count")
    MARKED_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    marked_count: int
    unread_count: int
    def __init__(self, marked_count: _Optional[int] = ..., unread_count: _Optional[int] = ...) -> None: ...

class StreamMessagesRequest(_message.Message):
    __slots__ = ("parent", "after")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    parent: str
    after: str
    def __init__(self, parent: _Optional[str] = ..., after: _Optional[str] = ...) -> None: ...

class StreamMessagesResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: _alert_pb2.Message
    def __init__(self, message: _Optional[_Union[_alert_pb2.Message, _Mapping]] = ...) -> None: ...

class GetDeliveryStatsRequest(_message.Message):
    __slots__ = ("start_time", "end_time")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeliveryCount(_message.Message):
    __slots__ = ("channel", "state", "count")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    channel: str
    state: str
    count: int
    def __init__(self, channel: _Optional[str] = ..., state: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class GetDeliveryStatsResponse(_message.Message):
    __slots__ = ("counts",)
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.RepeatedCompositeFieldContainer[DeliveryCount]
    def __init__(self, counts: _Optional[_Iterable[_Union[DeliveryCount, _Mapping]]] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "filter")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    filter: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., filter: _Optional[str] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ("messages", "next_page_token", "unread_count")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    UNREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[_alert_pb2.Message]
    next_page_token: str
    unread_count: int
    def __init__(self, messages: _Optional[_Iterable[_Union[_alert_pb2.Message, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., unread_count: _Optional[int] = ...) -> None: ...

class ListSmsDeliveriesRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSmsDeliveriesResponse(_message.Message):
    __slots__ = ("sms_deliveries", "next_page_token")
    SMS_DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    sms_deliveries: _containers.RepeatedCompositeFieldContainer[_alert_pb2.SmsDelivery]
    next_page_token: str
    def __init__(self, sms_deliveries: _Optional[_Iterable[_Union[_alert_pb2.SmsDelivery, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
