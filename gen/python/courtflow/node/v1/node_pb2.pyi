import datetime

from buf.validate import validate_pb2 as _validate_pb2
from courtflow.common.v1 import caller_pb2 as _caller_pb2
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

class Stage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAGE_UNSPECIFIED: _ClassVar[Stage]
    STAGE_PRE_LITIGATION_MEDIATION: _ClassVar[Stage]
    STAGE_JUDICIAL_CONFIRMATION: _ClassVar[Stage]
    STAGE_FILING: _ClassVar[Stage]
    STAGE_PRE_TRIAL: _ClassVar[Stage]
    STAGE_ADJUDICATION: _ClassVar[Stage]
    STAGE_POST_JUDGMENT: _ClassVar[Stage]
    STAGE_EXECUTION: _ClassVar[Stage]

class NodeState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NODE_STATE_UNSPECIFIED: _ClassVar[NodeState]
    NODE_STATE_RUNNING: _ClassVar[NodeState]
    NODE_STATE_WARNING: _ClassVar[NodeState]
    NODE_STATE_OVERDUE: _ClassVar[NodeState]
    NODE_STATE_COMPLETED: _ClassVar[NodeState]

class OverdueAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OVERDUE_ACTION_UNSPECIFIED: _ClassVar[OverdueAction]
    OVERDUE_ACTION_WARN: _ClassVar[OverdueAction]
    OVERDUE_ACTION_LOCK: _ClassVar[OverdueAction]

class LockType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOCK_TYPE_UNSPECIFIED: _ClassVar[LockType]
    LOCK_TYPE_OVERDUE: _ClassVar[LockType]

class ApplicationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPLICATION_KIND_UNSPECIFIED: _ClassVar[ApplicationKind]
    APPLICATION_KIND_EXTENSION: _ClassVar[ApplicationKind]
    APPLICATION_KIND_SUSPENSION: _ClassVar[ApplicationKind]
    APPLICATION_KIND_RESUMPTION: _ClassVar[ApplicationKind]
    APPLICATION_KIND_DEDUCTION: _ClassVar[ApplicationKind]
    APPLICATION_KIND_UNLOCK: _ClassVar[ApplicationKind]
    APPLICATION_KIND_HEARING_EXCEPTION: _ClassVar[ApplicationKind]

class ApplicationState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPLICATION_STATE_UNSPECIFIED: _ClassVar[ApplicationState]
    APPLICATION_STATE_PENDING: _ClassVar[ApplicationState]
    APPLICATION_STATE_APPROVED: _ClassVar[ApplicationState]
    APPLICATION_STATE_REJECTED: _ClassVar[ApplicationState]
STAGE_UNSPECIFIED: Stage
STAGE_PRE_LITIGATION_MEDIATION: Stage
STAGE_JUDICIAL_CONFIRMATION: Stage
STAGE_FILING: Stage
STAGE_PRE_TRIAL: Stage
STAGE_ADJUDICATION: Stage
STAGE_POST_JUDGMENT: Stage
STAGE_EXECUTION: Stage
NODE_STATE_UNSPECIFIED: NodeState
NODE_STATE_RUNNING: NodeState
NODE_STATE_WARNING: NodeState
NODE_STATE_OVERDUE: NodeState
NODE_STATE_COMPLETED: NodeState
OVERDUE_ACTION_UNSPECIFIED: OverdueAction
OVERDUE_ACTION_WARN: OverdueAction
OVERDUE_ACTION_LOCK: OverdueAction
LOCK_TYPE_UNSPECIFIED: LockType
LOCK_TYPE_OVERDUE: LockType
APPLICATION_KIND_UNSPECIFIED: ApplicationKind
APPLICATION_KIND_EXTENSION: ApplicationKind
APPLICATION_KIND_SUSPENSION: ApplicationKind
APPLICATION_KIND_RESUMPTION: ApplicationKind
APPLICATION_KIND_DEDUCTION: ApplicationKind
APPLICATION_KIND_UNLOCK: ApplicationKind
APPLICATION_KIND_HEARING_EXCEPTION: ApplicationKind
APPLICATION_STATE_UNSPECIFIED: ApplicationState
APPLICATION_STATE_PENDING: ApplicationState
APPLICATION_STATE_APPROVED: ApplicationState
APPLICATION_STATE_REJECTED: ApplicationState

class Node(_message.Message):
    __slots__ = ("name", "node_type", "display_name", "stage", "category", "case_number", "department", "responsible", "state", "anchor_date", "due_date", "calendar_known", "explanation", "legal_basis", "deadline_time", "open_time", "warning_time", "overdue_time", "complete_time", "overdue_action", "lock", "suspended_since", "clock_generation", "change_count", "responsible_role", "supervisors", "withdrawn", "completed_on")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ANCHOR_DATE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_KNOWN_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_TIME_FIELD_NUMBER: _ClassVar[int]
    OPEN_TIME_FIELD_NUMBER: _ClassVar[int]
    WARNING_TIME_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_TIME_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_TIME_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ACTION_FIELD_NUMBER: _ClassVar[int]
    LOCK_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_SINCE_FIELD_NUMBER: _ClassVar[int]
    CLOCK_GENERATION_FIELD_NUMBER: _ClassVar[int]
    CHANGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ROLE_FIELD_NUMBER: _ClassVar[int]
    SUPERVISORS_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_ON_FIELD_NUMBER: _ClassVar[int]
    name: str
    node_type: str
    display_name: str
    stage: Stage
    category: str
    case_number: str
    department: str
    responsible: str
    state: NodeState
    anchor_date: _date_pb2.Date
    due_date: _date_pb2.Date
    calendar_known: bool
    explanation: _containers.RepeatedScalarFieldContainer[str]
    legal_basis: str
    deadline_time: _timestamp_pb2.Timestamp
    open_time: _timestamp_pb2.Timestamp
    warning_time: _timestamp_pb2.Timestamp
    overdue_time: _timestamp_pb2.Timestamp
    complete_time: _timestamp_pb2.Timestamp
    overdue_action: OverdueAction
    lock: NodeLock
    suspended_since: _date_pb2.Date
    clock_generation: int
    change_count: int
    responsible_role: str
    supervisors: _containers.RepeatedScalarFieldContainer[str]
    withdrawn: bool
    completed_on: _date_pb2.Date
    def __init__(self, name: _Optional[str] = ..., node_type: _Optional[str] = ..., display_name: _Optional[str] = ..., stage: _Optional[_Union[Stage, str]] = ..., category: _Optional[str] = ..., case_number: _Optional[str] = ..., department: _Optional[str] = ..., responsible: _Optional[str] = ..., state: _Optional[_Union[NodeState, str]] = ..., anchor_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., due_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., calendar_known: _Optional[bool] = ..., explanation: _Optional[_Iterable[str]] = ..., legal_basis: _Optional[str] = ..., deadline_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., open_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., warning_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., complete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue_action: _Optional[_Union[OverdueAction, str]] = ..., lock: _Optional[_Union[NodeLock, _Mapping]] = ..., suspended_since: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., clock_generation: _Optional[int] = ..., change_count: _Optional[int] = ..., responsible_role: _Optional[str] = ..., supervisors: _Optional[_Iterable[str]] = ..., withdrawn: _Optional[bool] = ..., completed_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class NodeLock(_message.Message):
    __slots__ = ("locked", "lock_type", "reason", "lock_date", "lock_time", "unlock_date", "unlock_time", "unlock_user", "unlock_application")
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    LOCK_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LOCK_DATE_FIELD_NUMBER: _ClassVar[int]
    LOCK_TIME_FIELD_NUMBER: _ClassVar[int]
    UNLOCK_DATE_FIELD_NUMBER: _ClassVar[int]
    UNLOCK_TIME_FIELD_NUMBER: _ClassVar[int]
    UNLOCK_USER_FIELD_NUMBER: _ClassVar[int]
    UNLOCK_APPLICATION_FIELD_NUMBER: _ClassVar[int]
    locked: bool
    lock_type: LockType
    reason: str
    lock_date: _date_pb2.Date
    lock_time: _timestamp_pb2.Timestamp
    unlock_date: _date_pb2.Date
    unlock_time: _timestamp_pb2.Timestamp
    unlock_user: str
    unlock_application: str
    def __init__(self, locked: _Optional[bool] = ..., lock_type: _Optional[_Union[LockType, str]] = ..., reason: _Optional[str] = ..., lock_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., lock_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., unlock_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., unlock_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., unlock_user: _Optional[str] = ..., unlock_application: _Optional[str] = ...) -> None: ...

class ApplicationWarning(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class Application(_message.Message):
    __slots__ = ("name", "kind", "reason_code", "reason", "materials", "extension", "start_date", "end_date", "state", "applicant", "create_time", "warnings", "required_approver", "approver", "approver_role", "approver_court", "decision_comment", "decide_time", "due_date_before", "due_date_after", "required_level")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    APPLICANT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_APPROVER_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    APPROVER_ROLE_FIELD_NUMBER: _ClassVar[int]
    APPROVER_COURT_FIELD_NUMBER: _ClassVar[int]
    DECISION_COMMENT_FIELD_NUMBER: _ClassVar[int]
    DECIDE_TIME_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_BEFORE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_AFTER_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_LEVEL_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: ApplicationKind
    reason_code: str
    reason: str
    materials: _containers.RepeatedScalarFieldContainer[str]
    extension: str
    start_date: _date_pb2.Date
    end_date: _date_pb2.Date
    state: ApplicationState
    applicant: str
    create_time: _timestamp_pb2.Timestamp
    warnings: _containers.RepeatedCompositeFieldContainer[ApplicationWarning]
    required_approver: str
    approver: str
    approver_role: _caller_pb2.Role
    approver_court: str
    decision_comment: str
    decide_time: _timestamp_pb2.Timestamp
    due_date_before: _date_pb2.Date
    due_date_after: _date_pb2.Date
    required_level: str
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[ApplicationKind, str]] = ..., reason_code: _Optional[str] = ..., reason: _Optional[str] = ..., materials: _Optional[_Iterable[str]] = ..., extension: _Optional[str] = ..., start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., end_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., state: _Optional[_Union[ApplicationState, str]] = ..., applicant: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., warnings: _Optional[_Iterable[_Union[ApplicationWarning, _Mapping]]] = ..., required_approver: _Optional[str] = ..., approver: _Optional[str] = ..., approver_role: _Optional[_Union[_caller_pb2.Role, str]] = ..., approver_court: _Optional[str] = ..., decision_comment: _Optional[str] = ..., decide_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_date_before: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., due_date_after: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., required_level: _Optional[str] = ...) -> None: ...

class CalendarYear(_message.Message):
    __slots__ = ("name", "year", "holidays", "workdays", "source", "import_user", "import_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    HOLIDAYS_FIELD_NUMBER: _ClassVar[int]
    WORKDAYS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    IMPORT_USER_FIELD_NUMBER: _ClassVar[int]
    IMPORT_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    year: int
    holidays: _containers.RepeatedCompositeFieldContainer[_date_pb2.Date]
    workdays: _containers.RepeatedCompositeFieldContainer[_date_pb2.Date]
    source: str
    import_user: str
    import_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., year: _Optional[int] = ..., holidays: _Optional[_Iterable[_Union[_date_pb2.Date, _Mapping]]] = ..., workdays: _Optional[_Iterable[_Union[_date_pb2.Date, _Mapping]]] = ..., source: _Optional[str] = ..., import_user: _Optional[str] = ..., import_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class HearingViolation(_message.Message):
    __slots__ = ("rule", "field", "message")
    RULE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    rule: str
    field: str
    message: str
    def __init__(self, rule: _Optional[str] = ..., field: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class NodeRule(_message.Message):
    __slots__ = ("name", "display_name", "stage", "category", "process", "period", "warning_rungs", "overdue_action", "legal_basis", "responsible_role", "supervisors", "override_court", "catalog_version", "default_period", "default_warning_rungs", "default_overdue_action", "update_user", "update_time", "setting")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    WARNING_RUNGS_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ACTION_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_ROLE_FIELD_NUMBER: _ClassVar[int]
    SUPERVISORS_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_COURT_FIELD_NUMBER: _ClassVar[int]
    CATALOG_VERSION_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_WARNING_RUNGS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_OVERDUE_ACTION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_USER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    SETTING_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    stage: Stage
    category: str
    process: str
    period: str
    warning_rungs: _containers.RepeatedScalarFieldContainer[int]
    overdue_action: OverdueAction
    legal_basis: str
    responsible_role: str
    supervisors: _containers.RepeatedScalarFieldContainer[str]
    override_court: str
    catalog_version: str
    default_period: str
    default_warning_rungs: _containers.RepeatedScalarFieldContainer[int]
    default_overdue_action: OverdueAction
    update_user: str
    update_time: _timestamp_pb2.Timestamp
    setting: bool
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., stage: _Optional[_Union[Stage, str]] = ..., category: _Optional[str] = ..., process: _Optional[str] = ..., period: _Optional[str] = ..., warning_rungs: _Optional[_Iterable[int]] = ..., overdue_action: _Optional[_Union[OverdueAction, str]] = ..., legal_basis: _Optional[str] = ..., responsible_role: _Optional[str] = ..., supervisors: _Optional[_Iterable[str]] = ..., override_court: _Optional[str] = ..., catalog_version: _Optional[str] = ..., default_period: _Optional[str] = ..., default_warning_rungs: _Optional[_Iterable[int]] = ..., default_overdue_action: _Optional[_Union[OverdueAction, str]] = ..., update_user: _Optional[str] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., setting: _Optional[bool] = ...) -> None: ...

class StageView(_message.Message):
    __slots__ = ("name", "stage", "categories", "available_categories", "override_court")
    NAME_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_COURT_FIELD_NUMBER: _ClassVar[int]
    name: str
    stage: Stage
    categories: _containers.RepeatedScalarFieldContainer[str]
    available_categories: _containers.RepeatedScalarFieldContainer[str]
    override_court: str
    def __init__(self, name: _Optional[str] = ..., stage: _Optional[_Union[Stage, str]] = ..., categories: _Optional[_Iterable[str]] = ..., available_categories: _Optional[_Iterable[str]] = ..., override_court: _Optional[str] = ...) -> None: ...
