import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CaseType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CASE_TYPE_UNSPECIFIED: _ClassVar[CaseType]
    CASE_TYPE_CIVIL: _ClassVar[CaseType]
    CASE_TYPE_CRIMINAL: _ClassVar[CaseType]
    CASE_TYPE_ADMINISTRATIVE: _ClassVar[CaseType]
    CASE_TYPE_EXECUTION: _ClassVar[CaseType]
    CASE_TYPE_STATE_COMPENSATION: _ClassVar[CaseType]

class Procedure(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROCEDURE_UNSPECIFIED: _ClassVar[Procedure]
    PROCEDURE_FIRST_INSTANCE_ORDINARY: _ClassVar[Procedure]
    PROCEDURE_SIMPLIFIED: _ClassVar[Procedure]
    PROCEDURE_SMALL_CLAIMS: _ClassVar[Procedure]
    PROCEDURE_FAST_TRACK: _ClassVar[Procedure]
    PROCEDURE_SECOND_INSTANCE: _ClassVar[Procedure]
    PROCEDURE_RETRIAL: _ClassVar[Procedure]
    PROCEDURE_SPECIAL: _ClassVar[Procedure]
    PROCEDURE_EXECUTION: _ClassVar[Procedure]
    PROCEDURE_EXECUTION_OBJECTION: _ClassVar[Procedure]

class CaseState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CASE_STATE_UNSPECIFIED: _ClassVar[CaseState]
    CASE_STATE_FILED: _ClassVar[CaseState]
    CASE_STATE_CLOSED: _ClassVar[CaseState]
    CASE_STATE_ARCHIVED: _ClassVar[CaseState]

class PartyRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARTY_ROLE_UNSPECIFIED: _ClassVar[PartyRole]
    PARTY_ROLE_PLAINTIFF: _ClassVar[PartyRole]
    PARTY_ROLE_DEFENDANT: _ClassVar[PartyRole]
    PARTY_ROLE_THIRD_PARTY: _ClassVar[PartyRole]
    PARTY_ROLE_APPELLANT: _ClassVar[PartyRole]
    PARTY_ROLE_APPELLEE: _ClassVar[PartyRole]
    PARTY_ROLE_EXECUTION_APPLICANT: _ClassVar[PartyRole]
    PARTY_ROLE_EXECUTION_RESPONDENT: _ClassVar[PartyRole]

class CaseEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CASE_EVENT_TYPE_UNSPECIFIED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_ASSIGNED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_HANDLER_CHANGED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_DOCUMENT_SERVED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_HEARING_SCHEDULED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_HEARING_HELD: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_MEDIATION_CONCLUDED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_APPEALED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_TRANSFERRED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_EFFECTIVE: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_DELIVERED_FOR_EXECUTION: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_TRANSFERRED_FOR_EXECUTION: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_SUBMITTED_TO_COMMITTEE: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_CLOSED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_ARCHIVED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_SUSPENDED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_RESUMED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_PUBLIC_NOTICE_STARTED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_PUBLIC_NOTICE_ENDED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_APPRAISAL_STARTED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_APPRAISAL_ENDED: _ClassVar[CaseEventType]
    CASE_EVENT_TYPE_FILED: _ClassVar[CaseEventType]
CASE_TYPE_UNSPECIFIED: CaseType
CASE_TYPE_CIVIL: CaseType
CASE_TYPE_CRIMINAL: CaseType
CASE_TYPE_ADMINISTRATIVE: CaseType
CASE_TYPE_EXECUTION: CaseType
CASE_TYPE_STATE_COMPENSATION: CaseType
PROCEDURE_UNSPECIFIED: Procedure
PROCEDURE_FIRST_INSTANCE_ORDINARY: Procedure
PROCEDURE_SIMPLIFIED: Procedure
PROCEDURE_SMALL_CLAIMS: Procedure
PROCEDURE_FAST_TRACK: Procedure
PROCEDURE_SECOND_INSTANCE: Procedure
PROCEDURE_RETRIAL: Procedure
PROCEDURE_SPECIAL: Procedure
PROCEDURE_EXECUTION: Procedure
PROCEDURE_EXECUTION_OBJECTION: Procedure
CASE_STATE_UNSPECIFIED: CaseState
CASE_STATE_FILED: CaseState
CASE_STATE_CLOSED: CaseState
CASE_STATE_ARCHIVED: CaseState
PARTY_ROLE_UNSPECIFIED: PartyRole
PARTY_ROLE_PLAINTIFF: PartyRole
PARTY_ROLE_DEFENDANT: PartyRole
PARTY_ROLE_THIRD_PARTY: PartyRole
PARTY_ROLE_APPELLANT: PartyRole
PARTY_ROLE_APPELLEE: PartyRole
PARTY_ROLE_EXECUTION_APPLICANT: PartyRole
PARTY_ROLE_EXECUTION_RESPONDENT: PartyRole
CASE_EVENT_TYPE_UNSPECIFIED: CaseEventType
CASE_EVENT_TYPE_ASSIGNED: CaseEventType
CASE_EVENT_TYPE_HANDLER_CHANGED: CaseEventType
CASE_EVENT_TYPE_DOCUMENT_SERVED: CaseEventType
CASE_EVENT_TYPE_HEARING_SCHEDULED: CaseEventType
CASE_EVENT_TYPE_HEARING_HELD: CaseEventType
CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED: CaseEventType
CASE_EVENT_TYPE_MEDIATION_CONCLUDED: CaseEventType
CASE_EVENT_TYPE_APPEALED: CaseEventType
CASE_EVENT_TYPE_TRANSFERRED: CaseEventType
CASE_EVENT_TYPE_EFFECTIVE: CaseEventType
CASE_EVENT_TYPE_DELIVERED_FOR_EXECUTION: CaseEventType
CASE_EVENT_TYPE_TRANSFERRED_FOR_EXECUTION: CaseEventType
CASE_EVENT_TYPE_SUBMITTED_TO_COMMITTEE: CaseEventType
CASE_EVENT_TYPE_CLOSED: CaseEventType
CASE_EVENT_TYPE_ARCHIVED: CaseEventType
CASE_EVENT_TYPE_SUSPENDED: CaseEventType
CASE_EVENT_TYPE_RESUMED: CaseEventType
CASE_EVENT_TYPE_PUBLIC_NOTICE_STARTED: CaseEventType
CASE_EVENT_TYPE_PUBLIC_NOTICE_ENDED: CaseEventType
CASE_EVENT_TYPE_APPRAISAL_STARTED: CaseEventType
CASE_EVENT_TYPE_APPRAISAL_ENDED: CaseEventType
CASE_EVENT_TYPE_FILED: CaseEventType

class Party(_message.Message):
    __slots__ = ("role", "display_name")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    role: PartyRole
    display_name: str
    def __init__(self, role: _Optional[_Union[PartyRole, str]] = ..., display_name: _Optional[str] = ...) -> None: ...

class Case(_message.Message):
    __slots__ = ("name", "case_number", "case_type", "procedure", "cause", "parties", "department", "handler", "filing_date", "custody", "state", "locked", "create_time", "update_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CASE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    HANDLER_FIELD_NUMBER: _ClassVar[int]
    FILING_DATE_FIELD_NUMBER: _ClassVar[int]
    CUSTODY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    case_number: str
    case_type: CaseType
    procedure: Procedure
    cause: str
    parties: _containers.RepeatedCompositeFieldContainer[Party]
    department: str
    handler: str
    filing_date: _date_pb2.Date
    custody: bool
    state: CaseState
    locked: bool
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., case_number: _Optional[str] = ..., case_type: _Optional[_Union[CaseType, str]] = ..., procedure: _Optional[_Union[Procedure, str]] = ..., cause: _Optional[str] = ..., parties: _Optional[_Iterable[_Union[Party, _Mapping]]] = ..., department: _Optional[str] = ..., handler: _Optional[str] = ..., filing_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., custody: _Optional[bool] = ..., state: _Optional[_Union[CaseState, str]] = ..., locked: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CaseEvent(_message.Message):
    __slots__ = ("name", "event_type", "occur_date", "document", "detail", "recorder", "record_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OCCUR_DATE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    RECORDER_FIELD_NUMBER: _ClassVar[int]
    RECORD_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    event_type: CaseEventType
    occur_date: _date_pb2.Date
    document: str
    detail: str
    recorder: str
    record_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., event_type: _Optional[_Union[CaseEventType, str]] = ..., occur_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., document: _Optional[str] = ..., detail: _Optional[str] = ..., recorder: _Optional[str] = ..., record_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
