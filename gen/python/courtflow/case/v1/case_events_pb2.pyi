from courtflow.case.v1 import case_pb2 as _case_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CaseReceived(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: _case_pb2.Case
    def __init__(self, case: _Optional[_Union[_case_pb2.Case, _Mapping]] = ...) -> None: ...

class CaseFiled(_message.Message):
    __slots__ = ("case",)
    CASE_FIELD_NUMBER: _ClassVar[int]
    case: _case_pb2.Case
    def __init__(self, case: _Optional[_Union[_case_pb2.Case, _Mapping]] = ...) -> None: ...

class CaseEventRecorded(_message.Message):
    __slots__ = ("case", "case_event")
    CASE_FIELD_NUMBER: _ClassVar[int]
    CASE_EVENT_FIELD_NUMBER: _ClassVar[int]
    case: _case_pb2.Case
    case_event: _case_pb2.CaseEvent
    def __init__(self, case: _Optional[_Union[_case_pb2.Case, _Mapping]] = ..., case_event: _Optional[_Union[_case_pb2.CaseEvent, _Mapping]] = ...) -> None: ...
