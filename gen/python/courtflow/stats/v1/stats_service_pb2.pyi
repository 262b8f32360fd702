from buf.validate import validate_pb2 as _validate_pb2
from courtflow.stats.v1 import stats_pb2 as _stats_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListNodeStatisticsRequest(_message.Message):
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

class ListNodeStatisticsResponse(_message.Message):
    __slots__ = ("node_statistics", "next_page_token")
    NODE_STATISTICS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    node_statistics: _containers.RepeatedCompositeFieldContainer[_stats_pb2.NodeStatistic]
    next_page_token: str
    def __init__(self, node_statistics: _Optional[_Iterable[_Union[_stats_pb2.NodeStatistic, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
