from courtflow.case.v1 import case_pb2 as _case_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
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

class CaseUpdated(_message.Message):
    __slots__ = ("case", "previous", "changed_fields", "reason", "effective_date")
    CASE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    case: _case_pb2.Case
    previous: _case_pb2.Case
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    reason: _case_pb2.CaseChangeReason
    effective_date: _date_pb2.Date
    def __init__(self, case: _Optional[_Union[_case_pb2.Case, _Mapping]] = ..., previous: _Optional[_Union[_case_pb2.Case, _Mapping]] = ..., changed_fields: _Optional[_Iterable[str]] = ..., reason: _Optional[_Union[_case_pb2.CaseChangeReason, str]] = ..., effective_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class CaseClosingRevoked(_message.Message):
    __slots__ = ("case", "previous", "closing_event", "reason", "corrector")
    CASE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    CLOSING_EVENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CORRECTOR_FIELD_NUMBER: _ClassVar[int]
    case: _case_pb2.Case
    previous: _case_pb2.Case
    closing_event: str
    reason: str
    corrector: str
    def __init__(self, case: _Optional[_Union[_case_pb2.Case, _Mapping]] = ..., previous: _Optional[_Union[_case_pb2.Case, _Mapping]] = ..., closing_event: _Optional[str] = ..., reason: _Optional[str] = ..., corrector: _Optional[str] = ...) -> None: ...
