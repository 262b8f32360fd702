"""Proto ↔ domain for the stats service."""
from __future__ import annotations

import dataclasses
from datetime import date

from courtflow.node.v1.node_pb2 import NodeState
from courtflow.stats.v1 import quality_pb2, stats_pb2, stats_service_pb2, supervision_pb2
from courtflow.stats.v1.supervision_pb2 import NodeStatus

from services.common.dates import from_date
from services.common.integrity import CHECKS, findings_to_proto
from services.common.names import CaseName
from services.stats import integrity, quality, supervision
from services.stats.models import NodeCountRow


def statistic_to_proto(r: NodeCountRow) -> stats_pb2.NodeStatistic:
    return stats_pb2.NodeStatistic(court=r.court, department=r.department, stage=r.stage, open_count=r.open_count,
                                   warning_count=r.warning_count, overdue_count=r.overdue_count,
                                   overdue_without_warning_count=r.overdue_without_warning_count)


def _measures(row, prefix: str, message):
    fields = [f.name for f in message.DESCRIPTOR.fields]
    values = {f: getattr(row, f"{prefix}_{f}") for f in fields if hasattr(row, f"{prefix}_{f}")}
    return message(**values)


def _case_measures(row) -> supervision_pb2.CaseMeasures:
    m = _measures(row, "cases", supervision_pb2.CaseMeasures)
    m.normal = m.total - m.abnormal
    return m


def _node_measures(row) -> supervision_pb2.NodeMeasures:
    m = _measures(row, "nodes", supervision_pb2.NodeMeasures)
    m.finished = m.total - m.open
    return m


def summary_to_proto(summary) -> stats_service_pb2.SummarizeSupervisionResponse:
    out = stats_service_pb2.SummarizeSupervisionResponse(
        case_totals=_case_measures(summary.totals), node_totals=_node_measures(summary.totals),
        measure_filters=supervision.MEASURE_FILTERS, as_of=from_date(summary.as_of))
    for row in summary.rows:
        cell = out.cells.add(cases=_case_measures(row), nodes=_node_measures(row))
        terms = dict(summary.query.terms)
        for i, dimension in enumerate(summary.dimensions):
            value, text, label = supervision.group_value(dimension, getattr(row, f"g{i}"), summary.names)
            cell.group.add(dimension=dimension, value=text, label=label)
            terms[supervision.DIMENSION_TERMS[dimension]] = value
        drill = dataclasses.replace(summary.query, terms=terms)
        cell.drill_down.CopyFrom(supervision.to_proto_query(drill, as_of=summary.as_of))
    return out


def _case(row, prefix: str = "", **counts) -> supervision_pb2.SupervisedCase:
    """The case columns of a row (named `prefix` + column, as a node row carries its case's)."""
    c = lambda column: getattr(row, prefix + column)  # noqa: E731
    return supervision_pb2.SupervisedCase(
        name=str(CaseName(c("court"), c("case_id"))), case_number=c("case_number"), state=c("state"),
        case_type=c("case_type"), procedure=c("procedure"), cause=c("cause"), parties=c("parties"),
        court=c("court"), department=c("department"), handler=c("handler"),
        receive_date=_date(c("receive_date")), filing_date=_date(c("filing_date")),
        close_date=_date(c("close_date")), archive_date=_date(c("archive_date")), **counts)


def supervised_case(row) -> supervision_pb2.SupervisedCase:
    return _case(row, locked=row.locked_nodes > 0, warning_nodes=row.warning_nodes,
                 overdue_nodes=row.overdue_nodes, locked_nodes=row.locked_nodes)


def supervised_node(row, *, as_of: date) -> supervision_pb2.SupervisedNode:
    days_overdue = 0
    if row.status == NodeStatus.NODE_STATUS_OVERDUE and row.due_date is not None:
        days_overdue = ((row.complete_date or as_of) - row.due_date).days
    days_remaining = 0
    if row.state == NodeState.NODE_STATE_WARNING and row.due_date is not None:
        days_remaining = max((row.due_date - as_of).days, 0)
    case = _case(row, "case_")
    return supervision_pb2.SupervisedNode(
        name=row.node, display_name=row.display_name, stage=row.stage, category=row.category,
        node_type=row.node_type, state=row.state, status=row.status, department=row.department,
        responsible=row.responsible, due_date=_date(row.due_date), days_overdue=max(days_overdue, 0),
        days_remaining=days_remaining, warning_date=_date(row.warning_date), overdue_date=_date(row.overdue_date),
        lock_date=_date(row.lock_date), lock_reason=row.lock_reason, lock_type=row.lock_type,
        unlock_date=_date(row.unlock_date) if not row.locked else None, locked=row.locked, case=case,
        withdrawn=row.withdrawn)


def _date(d: date | None):
    return from_date(d) if d is not None else None


def _indicators(row) -> quality_pb2.QualityIndicators:
    q = quality_pb2.QualityIndicators(
        received=row.received, closed=row.closed, closed_with_limit=row.closed_with_limit,
        closed_within_limit=row.closed_within_limit, open=row.open, open_over_12_months=row.open_over_12_months,
        extended=row.extended,
        average_trial_days=round(float(row.average_trial_days), 1) if row.average_trial_days is not None else 0.0)
    q.closed_to_received = quality.ratio(q.closed, q.received)
    q.within_limit_rate = quality.ratio(q.closed_within_limit, q.closed_with_limit)
    q.over_12_months_ratio = quality.ratio(q.open_over_12_months, q.open)
    q.extension_rate = quality.ratio(q.extended, q.closed_with_limit)
    return q


def quality_to_proto(result) -> stats_service_pb2.AnalyzeQualityResponse:
    a = result.analysis
    out = stats_service_pb2.AnalyzeQualityResponse(
        totals=_indicators(result.totals), definitions=quality.DEFINITIONS, start_date=from_date(a.start),
        end_date=from_date(a.end), months=a.months)
    for row in result.rows:
        indicators = out.indicators.add()
        indicators.CopyFrom(_indicators(row))
        for i, dimension in enumerate(a.dimensions):
            _, text, label = supervision.group_value(dimension, getattr(row, f"g{i}"), result.names)
            indicators.group.add(dimension=dimension, value=text, label=label)
    for row in result.stages:
        out.stage_durations.add(stage=row.stage, cases=row.cases, median_days=round(float(row.median_days), 1),
                                p90_days=round(float(row.p90_days), 1))
    for dimension, value, series in result.recurring:
        _, text, label = supervision.group_value(dimension, value, result.names)
        out.recurring_problems.add(dimension=dimension, value=text, label=label, monthly_overdue=series,
                                   months_with_overdue=sum(1 for n in series if n))
    return out


def verification_to_proto(found) -> stats_service_pb2.VerifySupervisionResponse:
    return stats_service_pb2.VerifySupervisionResponse(
        consistent=not found.differences, cases_checked=found.cases_checked, nodes_checked=found.nodes_checked,
        differences=[supervision_pb2.SupervisionDifference(name=n, field=f, read_model=ours, source=theirs)
                     for n, f, ours, theirs in found.differences[:integrity.MAX_LISTED]])


def integrity_to_proto(report) -> stats_service_pb2.VerifyIntegrityResponse:
    return stats_service_pb2.VerifyIntegrityResponse(
        consistent=not any(report.counts.values()),
        checks=[stats_service_pb2.IntegrityCheck(check=c, title=CHECKS[c], finding_count=report.counts[c])
                for c in report.checks],
        findings=findings_to_proto(report.findings))
