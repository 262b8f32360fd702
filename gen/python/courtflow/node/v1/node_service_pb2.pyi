from buf.validate import validate_pb2 as _validate_pb2
from courtflow.node.v1 import node_pb2 as _node_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ImportCalendarYearRequest(_message.Message):
    __slots__ = ("calendar_year",)
    CALENDAR_YEAR_FIELD_NUMBER: _ClassVar[int]
    calendar_year: _node_pb2.CalendarYear
    def __init__(self, calendar_year: _Optional[_Union[_node_pb2.CalendarYear, _Mapping]] = ...) -> None: ...

class ImportCalendarYearResponse(_message.Message):
    __slots__ = ("calendar_year", "recomputed_nodes")
    CALENDAR_YEAR_FIELD_NUMBER: _ClassVar[int]
    RECOMPUTED_NODES_FIELD_NUMBER: _ClassVar[int]
    calendar_year: _node_pb2.CalendarYear
    recomputed_nodes: int
    def __init__(self, calendar_year: _Optional[_Union[_node_pb2.CalendarYear, _Mapping]] = ..., recomputed_nodes: _Optional[int] = ...) -> None: ...

class ListCalendarYearsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCalendarYearsResponse(_message.Message):
    __slots__ = ("calendar_years",)
    CALENDAR_YEARS_FIELD_NUMBER: _ClassVar[int]
    calendar_years: _containers.RepeatedCompositeFieldContainer[_node_pb2.CalendarYear]
    def __init__(self, calendar_years: _Optional[_Iterable[_Union[_node_pb2.CalendarYear, _Mapping]]] = ...) -> None: ...

class ListTimeLimitRulesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListTimeLimitRulesResponse(_message.Message):
    __slots__ = ("version", "time_limit_rules", "application_approvers", "deduction_reasons", "approver_levels")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_RULES_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_APPROVERS_FIELD_NUMBER: _ClassVar[int]
    DEDUCTION_REASONS_FIELD_NUMBER: _ClassVar[int]
    APPROVER_LEVELS_FIELD_NUMBER: _ClassVar[int]
    version: str
    time_limit_rules: _containers.RepeatedCompositeFieldContainer[TimeLimitRule]
    application_approvers: _containers.RepeatedCompositeFieldContainer[ApplicationApprover]
    deduction_reasons: _containers.RepeatedCompositeFieldContainer[DeductionReason]
    approver_levels: _containers.RepeatedCompositeFieldContainer[ApproverLevel]
    def __init__(self, version: _Optional[str] = ..., time_limit_rules: _Optional[_Iterable[_Union[TimeLimitRule, _Mapping]]] = ..., application_approvers: _Optional[_Iterable[_Union[ApplicationApprover, _Mapping]]] = ..., deduction_reasons: _Optional[_Iterable[_Union[DeductionReason, _Mapping]]] = ..., approver_levels: _Optional[_Iterable[_Union[ApproverLevel, _Mapping]]] = ...) -> None: ...

class TimeLimitRule(_message.Message):
    __slots__ = ("node_type", "display_name", "period", "period_label", "extensions")
    NODE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_LABEL_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    node_type: str
    display_name: str
    period: str
    period_label: str
    extensions: _containers.RepeatedCompositeFieldContainer[ExtensionStep]
    def __init__(self, node_type: _Optional[str] = ..., display_name: _Optional[str] = ..., period: _Optional[str] = ..., period_label: _Optional[str] = ..., extensions: _Optional[_Iterable[_Union[ExtensionStep, _Mapping]]] = ...) -> None: ...

class ExtensionStep(_message.Message):
    __slots__ = ("max", "max_label", "to", "to_label", "approver_level", "approver", "lead_days")
    MAX_FIELD_NUMBER: _ClassVar[int]
    MAX_LABEL_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TO_LABEL_FIELD_NUMBER: _ClassVar[int]
    APPROVER_LEVEL_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    LEAD_DAYS_FIELD_NUMBER: _ClassVar[int]
    max: str
    max_label: str
    to: str
    to_label: str
    approver_level: str
    approver: str
    lead_days: int
    def __init__(self, max: _Optional[str] = ..., max_label: _Optional[str] = ..., to: _Optional[str] = ..., to_label: _Optional[str] = ..., approver_level: _Optional[str] = ..., approver: _Optional[str] = ..., lead_days: _Optional[int] = ...) -> None: ...

class ApplicationApprover(_message.Message):
    __slots__ = ("kind", "approver_level", "approver")
    KIND_FIELD_NUMBER: _ClassVar[int]
    APPROVER_LEVEL_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    kind: _node_pb2.ApplicationKind
    approver_level: str
    approver: str
    def __init__(self, kind: _Optional[_Union[_node_pb2.ApplicationKind, str]] = ..., approver_level: _Optional[str] = ..., approver: _Optional[str] = ...) -> None: ...

class DeductionReason(_message.Message):
    __slots__ = ("code", "label", "max", "max_label", "restarts")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    MAX_LABEL_FIELD_NUMBER: _ClassVar[int]
    RESTARTS_FIELD_NUMBER: _ClassVar[int]
    code: str
    label: str
    max: str
    max_label: str
    restarts: bool
    def __init__(self, code: _Optional[str] = ..., label: _Optional[str] = ..., max: _Optional[str] = ..., max_label: _Optional[str] = ..., restarts: _Optional[bool] = ...) -> None: ...

class ApproverLevel(_message.Message):
    __slots__ = ("level", "label")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    level: str
    label: str
    def __init__(self, level: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class GetNodeRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetNodeResponse(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: _node_pb2.Node
    def __init__(self, node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ...) -> None: ...

class ListNodesRequest(_message.Message):
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

class ListNodesResponse(_message.Message):
    __slots__ = ("nodes", "next_page_token")
    NODES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[_node_pb2.Node]
    next_page_token: str
    def __init__(self, nodes: _Optional[_Iterable[_Union[_node_pb2.Node, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateApplicationRequest(_message.Message):
    __slots__ = ("parent", "application", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    application: _node_pb2.Application
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., application: _Optional[_Union[_node_pb2.Application, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateApplicationResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: _node_pb2.Application
    def __init__(self, application: _Optional[_Union[_node_pb2.Application, _Mapping]] = ...) -> None: ...

class GetApplicationRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetApplicationResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: _node_pb2.Application
    def __init__(self, application: _Optional[_Union[_node_pb2.Application, _Mapping]] = ...) -> None: ...

class ListApplicationsRequest(_message.Message):
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

class ListApplicationsResponse(_message.Message):
    __slots__ = ("applications", "next_page_token")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[_node_pb2.Application]
    next_page_token: str
    def __init__(self, applications: _Optional[_Iterable[_Union[_node_pb2.Application, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ApproveApplicationRequest(_message.Message):
    __slots__ = ("name", "comment")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    comment: str
    def __init__(self, name: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class ApproveApplicationResponse(_message.Message):
    __slots__ = ("application", "node")
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    application: _node_pb2.Application
    node: _node_pb2.Node
    def __init__(self, application: _Optional[_Union[_node_pb2.Application, _Mapping]] = ..., node: _Optional[_Union[_node_pb2.Node, _Mapping]] = ...) -> None: ...

class RejectApplicationRequest(_message.Message):
    __slots__ = ("name", "comment")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    comment: str
    def __init__(self, name: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RejectApplicationResponse(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: _node_pb2.Application
    def __init__(self, application: _Optional[_Union[_node_pb2.Application, _Mapping]] = ...) -> None: ...

class ValidateHearingRequest(_message.Message):
    __slots__ = ("parent", "hearing_date", "notice_served_date")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    HEARING_DATE_FIELD_NUMBER: _ClassVar[int]
    NOTICE_SERVED_DATE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    hearing_date: _date_pb2.Date
    notice_served_date: _date_pb2.Date
    def __init__(self, parent: _Optional[str] = ..., hearing_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., notice_served_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class ValidateHearingResponse(_message.Message):
    __slots__ = ("violations", "accepted", "exception_application")
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    EXCEPTION_APPLICATION_FIELD_NUMBER: _ClassVar[int]
    violations: _containers.RepeatedCompositeFieldContainer[_node_pb2.HearingViolation]
    accepted: bool
    exception_application: str
    def __init__(self, violations: _Optional[_Iterable[_Union[_node_pb2.HearingViolation, _Mapping]]] = ..., accepted: _Optional[bool] = ..., exception_application: _Optional[str] = ...) -> None: ...

class GetNodeRuleRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetNodeRuleResponse(_message.Message):
    __slots__ = ("node_rule",)
    NODE_RULE_FIELD_NUMBER: _ClassVar[int]
    node_rule: _node_pb2.NodeRule
    def __init__(self, node_rule: _Optional[_Union[_node_pb2.NodeRule, _Mapping]] = ...) -> None: ...

class ListNodeRulesRequest(_message.Message):
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

class ListNodeRulesResponse(_message.Message):
    __slots__ = ("node_rules", "next_page_token")
    NODE_RULES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    node_rules: _containers.RepeatedCompositeFieldContainer[_node_pb2.NodeRule]
    next_page_token: str
    def __init__(self, node_rules: _Optional[_Iterable[_Union[_node_pb2.NodeRule, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateNodeRuleRequest(_message.Message):
    __slots__ = ("node_rule", "update_mask")
    NODE_RULE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    node_rule: _node_pb2.NodeRule
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, node_rule: _Optional[_Union[_node_pb2.NodeRule, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateNodeRuleResponse(_message.Message):
    __slots__ = ("node_rule",)
    NODE_RULE_FIELD_NUMBER: _ClassVar[int]
    node_rule: _node_pb2.NodeRule
    def __init__(self, node_rule: _Optional[_Union[_node_pb2.NodeRule, _Mapping]] = ...) -> None: ...

class ReevaluateNodeRuleRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ReevaluateNodeRuleResponse(_message.Message):
    __slots__ = ("node_rule", "reevaluated_nodes", "changed_due_dates")
    NODE_RULE_FIELD_NUMBER: _ClassVar[int]
    REEVALUATED_NODES_FIELD_NUMBER: _ClassVar[int]
    CHANGED_DUE_DATES_FIELD_NUMBER: _ClassVar[int]
    node_rule: _node_pb2.NodeRule
    reevaluated_nodes: int
    changed_due_dates: int
    def __init__(self, node_rule: _Optional[_Union[_node_pb2.NodeRule, _Mapping]] = ..., reevaluated_nodes: _Optional[int] = ..., changed_due_dates: _Optional[int] = ...) -> None: ...

class ListStageViewsRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListStageViewsResponse(_message.Message):
    __slots__ = ("stage_views",)
    STAGE_VIEWS_FIELD_NUMBER: _ClassVar[int]
    stage_views: _containers.RepeatedCompositeFieldContainer[_node_pb2.StageView]
    def __init__(self, stage_views: _Optional[_Iterable[_Union[_node_pb2.StageView, _Mapping]]] = ...) -> None: ...

class UpdateStageViewRequest(_message.Message):
    __slots__ = ("stage_view", "update_mask")
    STAGE_VIEW_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    stage_view: _node_pb2.StageView
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, stage_view: _Optional[_Union[_node_pb2.StageView, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateStageViewResponse(_message.Message):
    __slots__ = ("stage_view",)
    STAGE_VIEW_FIELD_NUMBER: _ClassVar[int]
    stage_view: _node_pb2.StageView
    def __init__(self, stage_view: _Optional[_Union[_node_pb2.StageView, _Mapping]] = ...) -> None: ...
