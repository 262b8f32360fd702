import datetime

from buf.validate import validate_pb2 as _validate_pb2
from courtflow.case.v1 import case_pb2 as _case_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CheckIntegrityRequest(_message.Message):
    __slots__ = ("parent", "stuck_after_seconds", "operations")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    STUCK_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    OPERATIONS_FIELD_NUMBER: _ClassVar[int]
    parent: str
    stuck_after_seconds: int
    operations: _containers.RepeatedCompositeFieldContainer[ReportedOperation]
    def __init__(self, parent: _Optional[str] = ..., stuck_after_seconds: _Optional[int] = ..., operations: _Optional[_Iterable[_Union[ReportedOperation, _Mapping]]] = ...) -> None: ...

class CheckIntegrityResponse(_message.Message):
    __slots__ = ("findings", "checks", "cases", "case_nodes", "filing_expectations", "reported_operations", "node_type_names")
    class NodeTypeNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    CASES_FIELD_NUMBER: _ClassVar[int]
    CASE_NODES_FIELD_NUMBER: _ClassVar[int]
    FILING_EXPECTATIONS_FIELD_NUMBER: _ClassVar[int]
    REPORTED_OPERATIONS_FIELD_NUMBER: _ClassVar[int]
    NODE_TYPE_NAMES_FIELD_NUMBER: _ClassVar[int]
    findings: _containers.RepeatedCompositeFieldContainer[IntegrityFinding]
    checks: _containers.RepeatedScalarFieldContainer[str]
    cases: _containers.RepeatedCompositeFieldContainer[CaseIntegrity]
    case_nodes: _containers.RepeatedCompositeFieldContainer[CaseNodes]
    filing_expectations: _containers.RepeatedCompositeFieldContainer[FilingExpectation]
    reported_operations: _containers.RepeatedCompositeFieldContainer[ReportedOperation]
    node_type_names: _containers.ScalarMap[str, str]
    def __init__(self, findings: _Optional[_Iterable[_Union[IntegrityFinding, _Mapping]]] = ..., checks: _Optional[_Iterable[str]] = ..., cases: _Optional[_Iterable[_Union[CaseIntegrity, _Mapping]]] = ..., case_nodes: _Optional[_Iterable[_Union[CaseNodes, _Mapping]]] = ..., filing_expectations: _Optional[_Iterable[_Union[FilingExpectation, _Mapping]]] = ..., reported_operations: _Optional[_Iterable[_Union[ReportedOperation, _Mapping]]] = ..., node_type_names: _Optional[_Mapping[str, str]] = ...) -> None: ...

class IntegrityFinding(_message.Message):
    __slots__ = ("check", "name", "problem")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROBLEM_FIELD_NUMBER: _ClassVar[int]
    check: str
    name: str
    problem: str
    def __init__(self, check: _Optional[str] = ..., name: _Optional[str] = ..., problem: _Optional[str] = ...) -> None: ...

class CaseIntegrity(_message.Message):
    __slots__ = ("name", "exists", "case_type", "procedure", "filed", "locked", "foreign_related", "private_prosecution", "held_locks")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXISTS_FIELD_NUMBER: _ClassVar[int]
    CASE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    FILED_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELD_NUMBER: _ClassVar[int]
    FOREIGN_RELATED_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_PROSECUTION_FIELD_NUMBER: _ClassVar[int]
    HELD_LOCKS_FIELD_NUMBER: _ClassVar[int]
    name: str
    exists: bool
    case_type: _case_pb2.CaseType
    procedure: _case_pb2.Procedure
    filed: bool
    locked: bool
    foreign_related: bool
    private_prosecution: bool
    held_locks: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., exists: _Optional[bool] = ..., case_type: _Optional[_Union[_case_pb2.CaseType, str]] = ..., procedure: _Optional[_Union[_case_pb2.Procedure, str]] = ..., filed: _Optional[bool] = ..., locked: _Optional[bool] = ..., foreign_related: _Optional[bool] = ..., private_prosecution: _Optional[bool] = ..., held_locks: _Optional[_Iterable[str]] = ...) -> None: ...

class CaseNodes(_message.Message):
    __slots__ = ("case", "node_types", "locked_nodes")
    CASE_FIELD_NUMBER: _ClassVar[int]
    NODE_TYPES_FIELD_NUMBER: _ClassVar[int]
    LOCKED_NODES_FIELD_NUMBER: _ClassVar[int]
    case: str
    node_types: _containers.RepeatedScalarFieldContainer[str]
    locked_nodes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, case: _Optional[str] = ..., node_types: _Optional[_Iterable[str]] = ..., locked_nodes: _Optional[_Iterable[str]] = ...) -> None: ...

class FilingExpectation(_message.Message):
    __slots__ = ("case_type", "procedure", "foreign_related", "private_prosecution", "node_types")
    CASE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROCEDURE_FIELD_NUMBER: _ClassVar[int]
    FOREIGN_RELATED_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_PROSECUTION_FIELD_NUMBER: _ClassVar[int]
    NODE_TYPES_FIELD_NUMBER: _ClassVar[int]
    case_type: _case_pb2.CaseType
    procedure: _case_pb2.Procedure
    foreign_related: bool
    private_prosecution: bool
    node_types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, case_type: _Optional[_Union[_case_pb2.CaseType, str]] = ..., procedure: _Optional[_Union[_case_pb2.Procedure, str]] = ..., foreign_related: _Optional[bool] = ..., private_prosecution: _Optional[bool] = ..., node_types: _Optional[_Iterable[str]] = ...) -> None: ...

class ReportedOperation(_message.Message):
    __slots__ = ("operation_id", "resource", "report_time", "reporter")
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    REPORT_TIME_FIELD_NUMBER: _ClassVar[int]
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    operation_id: str
    resource: str
    report_time: _timestamp_pb2.Timestamp
    reporter: str
    def __init__(self, operation_id: _Optional[str] = ..., resource: _Optional[str] = ..., report_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reporter: _Optional[str] = ...) -> None: ...
