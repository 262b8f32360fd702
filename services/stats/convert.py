"""Proto ↔ domain for the stats service."""
from __future__ import annotations

from courtflow.stats.v1 import stats_pb2

from services.stats.models import NodeCountRow


def statistic_to_proto(r: NodeCountRow) -> stats_pb2.NodeStatistic:
    return stats_pb2.NodeStatistic(court=r.court, department=r.department, stage=r.stage, open_count=r.open_count,
                                   warning_count=r.warning_count, overdue_count=r.overdue_count,
                                   overdue_without_warning_count=r.overdue_without_warning_count)
