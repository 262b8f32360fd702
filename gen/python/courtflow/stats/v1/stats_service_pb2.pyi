from buf.validate import validate_pb2 as _validate_pb2
from courtflow.common.v1 import integrity_pb2 as _integrity_pb2
from courtflow.stats.v1 import quality_pb2 as _quality_pb2
from courtflow.stats.v1 import report_pb2 as _report_pb2
from courtflow.stats.v1 import stats_pb2 as _stats_pb2
from courtflow.stats.v1 import supervision_pb2 as _supervision_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.type import date_pb2 as _date_pb2
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

class SummarizeSupervisionRequest(_message.Message):
    __slots__ = ("parent", "query", "group_by")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    parent: str
    query: _supervision_pb2.SupervisionQuery
    group_by: _containers.RepeatedScalarFieldContainer[_supervision_pb2.Dimension]
    def __init__(self, parent: _Optional[str] = ..., query: _Optional[_Union[_supervision_pb2.SupervisionQuery, _Mapping]] = ..., group_by: _Optional[_Iterable[_Union[_supervision_pb2.Dimension, str]]] = ...) -> None: ...

class SummarizeSupervisionResponse(_message.Message):
    __slots__ = ("cells", "case_totals", "node_totals", "measure_filters", "as_of")
    class MeasureFiltersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CELLS_FIELD_NUMBER: _ClassVar[int]
    CASE_TOTALS_FIELD_NUMBER: _ClassVar[int]
    NODE_TOTALS_FIELD_NUMBER: _ClassVar[int]
    MEASURE_FILTERS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    cells: _containers.RepeatedCompositeFieldContainer[_supervision_pb2.SupervisionCell]
    case_totals: _supervision_pb2.CaseMeasures
    node_totals: _supervision_pb2.NodeMeasures
    measure_filters: _containers.ScalarMap[str, str]
    as_of: _date_pb2.Date
    def __init__(self, cells: _Optional[_Iterable[_Union[_supervision_pb2.SupervisionCell, _Mapping]]] = ..., case_totals: _Optional[_Union[_supervision_pb2.CaseMeasures, _Mapping]] = ..., node_totals: _Optional[_Union[_supervision_pb2.NodeMeasures, _Mapping]] = ..., measure_filters: _Optional[_Mapping[str, str]] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class ListSupervisedCasesRequest(_message.Message):
    __slots__ = ("parent", "query", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    query: _supervision_pb2.SupervisionQuery
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., query: _Optional[_Union[_supervision_pb2.SupervisionQuery, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSupervisedCasesResponse(_message.Message):
    __slots__ = ("cases", "next_page_token")
    CASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[_supervision_pb2.SupervisedCase]
    next_page_token: str
    def __init__(self, cases: _Optional[_Iterable[_Union[_supervision_pb2.SupervisedCase, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListSupervisedNodesRequest(_message.Message):
    __slots__ = ("parent", "query", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    query: _supervision_pb2.SupervisionQuery
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., query: _Optional[_Union[_supervision_pb2.SupervisionQuery, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSupervisedNodesResponse(_message.Message):
    __slots__ = ("nodes", "next_page_token")
    NODES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[_supervision_pb2.SupervisedNode]
    next_page_token: str
    def __init__(self, nodes: _Optional[_Iterable[_Union[_supervision_pb2.SupervisedNode, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AnalyzeQualityRequest(_message.Message):
    __slots__ = ("parent", "query", "group_by", "recurring_months", "recurring_threshold")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    RECURRING_MONTHS_FIELD_NUMBER: _ClassVar[int]
    RECURRING_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    parent: str
    query: _supervision_pb2.SupervisionQuery
    group_by: _containers.RepeatedScalarFieldContainer[_supervision_pb2.Dimension]
    recurring_months: int
    recurring_threshold: int
    def __init__(self, parent: _Optional[str] = ..., query: _Optional[_Union[_supervision_pb2.SupervisionQuery, _Mapping]] = ..., group_by: _Optional[_Iterable[_Union[_supervision_pb2.Dimension, str]]] = ..., recurring_months: _Optional[int] = ..., recurring_threshold: _Optional[int] = ...) -> None: ...

class AnalyzeQualityResponse(_message.Message):
    __slots__ = ("indicators", "totals", "stage_durations", "recurring_problems", "definitions", "start_date", "end_date", "months")
    class DefinitionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    STAGE_DURATIONS_FIELD_NUMBER: _ClassVar[int]
    RECURRING_PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    MONTHS_FIELD_NUMBER: _ClassVar[int]
    indicators: _containers.RepeatedCompositeFieldContainer[_quality_pb2.QualityIndicators]
    totals: _quality_pb2.QualityIndicators
    stage_durations: _containers.RepeatedCompositeFieldContainer[_quality_pb2.StageDuration]
    recurring_problems: _containers.RepeatedCompositeFieldContainer[_quality_pb2.RecurringProblem]
    definitions: _containers.ScalarMap[str, str]
    start_date: _date_pb2.Date
    end_date: _date_pb2.Date
    months: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, indicators: _Optional[_Iterable[_Union[_quality_pb2.QualityIndicators, _Mapping]]] = ..., totals: _Optional[_Union[_quality_pb2.QualityIndicators, _Mapping]] = ..., stage_durations: _Optional[_Iterable[_Union[_quality_pb2.StageDuration, _Mapping]]] = ..., recurring_problems: _Optional[_Iterable[_Union[_quality_pb2.RecurringProblem, _Mapping]]] = ..., definitions: _Optional[_Mapping[str, str]] = ..., start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., end_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., months: _Optional[_Iterable[str]] = ...) -> None: ...

class VerifySupervisionRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class VerifySupervisionResponse(_message.Message):
    __slots__ = ("consistent", "cases_checked", "nodes_checked", "differences")
    CONSISTENT_FIELD_NUMBER: _ClassVar[int]
    CASES_CHECKED_FIELD_NUMBER: _ClassVar[int]
    NODES_CHECKED_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    consistent: bool
    cases_checked: int
    nodes_checked: int
    differences: _containers.RepeatedCompositeFieldContainer[_supervision_pb2.SupervisionDifference]
    def __init__(self, consistent: _Optional[bool] = ..., cases_checked: _Optional[int] = ..., nodes_checked: _Optional[int] = ..., differences: _Optional[_Iterable[_Union[_supervision_pb2.SupervisionDifference, _Mapping]]] = ...) -> None: ...

class VerifyIntegrityRequest(_message.Message):
    __slots__ = ("parent", "stuck_after_seconds")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    STUCK_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    parent: str
    stuck_after_seconds: int
    def __init__(self, parent: _Optional[str] = ..., stuck_after_seconds: _Optional[int] = ...) -> None: ...

class VerifyIntegrityResponse(_message.Message):
    __slots__ = ("consistent", "checks", "findings")
    CONSISTENT_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    consistent: bool
    checks: _containers.RepeatedCompositeFieldContainer[IntegrityCheck]
    findings: _containers.RepeatedCompositeFieldContainer[_integrity_pb2.IntegrityFinding]
    def __init__(self, consistent: _Optional[bool] = ..., checks: _Optional[_Iterable[_Union[IntegrityCheck, _Mapping]]] = ..., findings: _Optional[_Iterable[_Union[_integrity_pb2.IntegrityFinding, _Mapping]]] = ...) -> None: ...

class IntegrityCheck(_message.Message):
    __slots__ = ("check", "title", "finding_count")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FINDING_COUNT_FIELD_NUMBER: _ClassVar[int]
    check: str
    title: str
    finding_count: int
    def __init__(self, check: _Optional[str] = ..., title: _Optional[str] = ..., finding_count: _Optional[int] = ...) -> None: ...
