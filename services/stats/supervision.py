"""The supervision platform's one query (P1–P6), without I/O: what a request asks, in checked
terms, and the words and filters an answer carries. repository.py turns it into SQL.

A query covers cases (with their nodes) in the caller's scope, selected by a filter of
`field = value` terms, a range of one of the case's dates, and the day whose situation is asked
(`as_of`). Terms are of three kinds:

- case terms (region, court, handler, case_type, procedure, month, closed) select cases;
- node terms (stage, category, node_type, responsible, department, status, open, locked,
  unlocked, overdue_without_warning) select nodes, and a case when it has a node they select;
- `abnormal` selects a case with a node (among those the node terms select) in warning, overdue
  or locked — or, false, a case with none.

A summary counts, per group, the cases and nodes so selected; each cell's drill-down is the
query with the group's values added as terms, and each measure adds one term more
(MEASURE_FILTERS): so a drill-down lists exactly the cases or nodes its number counts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from courtflow.case.v1.case_pb2 import CaseType, Procedure
from courtflow.node.v1.node_pb2 import Stage
from courtflow.stats.v1 import supervision_pb2 as pb

from services.common.dates import from_date, optional_date
from services.common.errors import invalid_field
from services.common.labels import CASE_TYPES, PROCEDURES, STAGES, word
from services.common.paging import parse_filter

D = pb.Dimension
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def _enum(enum, prefix: str):
    def convert(text: str) -> int:
        value = enum.Value(f"{prefix}{text.upper()}")
        if not value:
            raise ValueError(text)
        return value
    return convert


def _bool(text: str) -> bool:
    if text not in ("true", "false"):
        raise ValueError(text)
    return text == "true"


def _month(text: str) -> str:
    if not MONTH.fullmatch(text):
        raise ValueError(text)
    return text


def _court(text: str) -> str:
    if not re.fullmatch(r"[0-9]{2,12}", text):
        raise ValueError(text)
    return text


CASE_TERMS = {"region": _court, "court": _court, "handler": str, "case_type": _enum(CaseType, "CASE_TYPE_"),
              "procedure": _enum(Procedure, "PROCEDURE_"), "month": _month, "closed": _bool}
NODE_TERMS = {"stage": _enum(Stage, "STAGE_"), "category": str, "node_type": str, "responsible": str,
              "department": str, "status": _enum(pb.NodeStatus, "NODE_STATUS_"), "open": _bool, "locked": _bool,
              "unlocked": _bool, "overdue_without_warning": _bool}
TERMS = {**CASE_TERMS, **NODE_TERMS, "abnormal": _bool}

# The term that narrows a cell's drill-down to one measure's cases or nodes.
MEASURE_FILTERS = {
    "cases.total": "", "cases.abnormal": "abnormal = true", "cases.normal": "abnormal = false",
    "cases.warning": "status = WARNING", "cases.overdue": "status = OVERDUE",
    "cases.overdue_without_warning": "overdue_without_warning = true", "cases.locked": "locked = true",
    "cases.unlocked": "unlocked = true", "cases.closed": "closed = true",
    "nodes.total": "", "nodes.open": "open = true", "nodes.finished": "open = false",
    "nodes.normal": "status = NORMAL", "nodes.warning": "status = WARNING", "nodes.overdue": "status = OVERDUE",
    "nodes.overdue_without_warning": "overdue_without_warning = true", "nodes.locked": "locked = true",
    "nodes.unlocked": "unlocked = true",
}

# Group dimensions: the term each one's values are (for drill-downs), and whether it is the node's.
DIMENSION_TERMS = {D.DIMENSION_REGION: "region", D.DIMENSION_COURT: "court", D.DIMENSION_DEPARTMENT: "department",
                   D.DIMENSION_STAGE: "stage", D.DIMENSION_CATEGORY: "category", D.DIMENSION_NODE_TYPE: "node_type",
                   D.DIMENSION_CASE_TYPE: "case_type", D.DIMENSION_PROCEDURE: "procedure",
                   D.DIMENSION_HANDLER: "handler", D.DIMENSION_MONTH: "month"}
BASIS_COLUMNS = {pb.DATE_BASIS_RECEIVE: "receive_date", pb.DATE_BASIS_FILING: "filing_date",
                 pb.DATE_BASIS_CLOSE: "close_date", pb.DATE_BASIS_ARCHIVE: "archive_date"}
BASIS_WORDS = {pb.DATE_BASIS_RECEIVE: "收案日期", pb.DATE_BASIS_FILING: "立案日期", pb.DATE_BASIS_CLOSE: "结案日期",
               pb.DATE_BASIS_ARCHIVE: "归档日期"}


@dataclass(frozen=True)
class Query:
    terms: dict = field(default_factory=dict)
    basis: int = pb.DATE_BASIS_FILING
    start: date | None = None
    end: date | None = None
    as_of: date | None = None       # None: today (the live read model)

    @property
    def basis_column(self) -> str:
        return BASIS_COLUMNS[self.basis]

    def case_terms(self) -> dict:
        return {k: v for k, v in self.terms.items() if k in CASE_TERMS}

    def node_terms(self) -> dict:
        return {k: v for k, v in self.terms.items() if k in NODE_TERMS}


def parse_query(q: pb.SupervisionQuery, *, today: date, field_name: str = "query") -> Query:
    """A request's query, checked; bad input is refused naming the field, in Chinese."""
    terms = parse_filter(q.filter, TERMS, f"{field_name}.filter")
    basis = q.date_basis or pb.DATE_BASIS_FILING
    if basis not in BASIS_COLUMNS:
        raise invalid_field(f"{field_name}.date_basis", "未知的日期口径")
    start = optional_date(q.start_date, f"{field_name}.start_date")
    end = optional_date(q.end_date, f"{field_name}.end_date")
    if start and end and start > end:
        raise invalid_field(f"{field_name}.end_date", f"截止日期 {end} 早于起始日期 {start}")
    as_of = optional_date(q.as_of, f"{field_name}.as_of")
    if as_of is not None and as_of > today:
        raise invalid_field(f"{field_name}.as_of", f"统计日 {as_of} 晚于今天 {today}：只能查询已经发生的情况")
    return Query(terms, basis, start, end, None if as_of == today else as_of)


def parse_dimensions(values) -> list[int]:
    dims = list(values)
    for i, d in enumerate(dims):
        if d not in DIMENSION_TERMS:
            raise invalid_field(f"group_by[{i}]", "未知的分组维度")
    return dims


# Terms whose values are enum values, written by name without the enum's prefix (FILING, CIVIL).
ENUM_TERMS = {"stage": (Stage, "STAGE_"), "case_type": (CaseType, "CASE_TYPE_"),
              "procedure": (Procedure, "PROCEDURE_"), "status": (pb.NodeStatus, "NODE_STATUS_")}


def enum_text(term: str, value: int) -> str:
    enum, prefix = ENUM_TERMS[term]
    return enum.Name(value).removeprefix(prefix)


def filter_text(terms: dict) -> str:
    """Terms as a filter the query parses back: `court = "440101" AND stage = FILING`."""
    parts = []
    for name, value in terms.items():
        if isinstance(value, bool):
            parts.append(f"{name} = {'true' if value else 'false'}")
        elif name in ENUM_TERMS:
            parts.append(f"{name} = {enum_text(name, value)}")
        else:
            parts.append(f'{name} = "{str(value).replace(chr(34), chr(92) + chr(34))}"')
    return " AND ".join(parts)


def to_proto_query(q: Query, *, as_of: date) -> pb.SupervisionQuery:
    out = pb.SupervisionQuery(filter=filter_text(q.terms), date_basis=q.basis, as_of=from_date(as_of))
    if q.start:
        out.start_date.CopyFrom(from_date(q.start))
    if q.end:
        out.end_date.CopyFrom(from_date(q.end))
    return out


# Dimensions whose values are courts or departments of the org directory: labelled by their names.
NAMED_DIMENSIONS = (D.DIMENSION_REGION, D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT)


def group_value(dimension: int, raw, names: Mapping[str, str] | None = None) -> tuple[object, str, str]:
    """(term value, value as text, label) of one group value read from the database. `names` maps
    court ids and department names to their names in the org directory (a region is its
    intermediate court): the label of a region, court or department, which falls back to the id."""
    if raw is None:
        return None, "", "（无）"
    words = {D.DIMENSION_STAGE: STAGES, D.DIMENSION_CASE_TYPE: CASE_TYPES, D.DIMENSION_PROCEDURE: PROCEDURES}
    if dimension in words:
        return raw, enum_text(DIMENSION_TERMS[dimension], raw), word(words[dimension], raw)
    if dimension == D.DIMENSION_MONTH:
        return raw, raw, f"{int(raw[:4])}年{int(raw[5:])}月"
    if names and dimension in NAMED_DIMENSIONS:
        return raw, str(raw), names.get(str(raw)) or str(raw)
    return raw, str(raw), str(raw)


def cutoff_day(as_of: date) -> date:
    """The first day after as_of: statuses are as they stood before it began."""
    return as_of + timedelta(days=1)
