"""Issue 15, item 5: periods do not include time in transit (在途时间); a document posted before a
period ends is in time (民事诉讼法第八十五条, 刑事诉讼法第一百零五条). A case event may carry the day
its document was posted (CaseEvent.posted_date); a node it completes is done on that day.
Real calendar: the judgment-service period from 2026-09-21 rolls over National Day to 10-08."""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from courtflow.node.v1.node_pb2 import Node, NodeState
from courtflow.stats.v1.supervision_pb2 import NodeStatus

from services.case.domain import check_posted_date
from services.common.clock import LEGAL_TZ
from services.common.dates import from_date
from services.common.errors import InvalidArgument
from services.node.service import done_on
from services.stats.projection import status_of

DUE = date(2026, 10, 8)   # serve_judgment_civil from 2026-09-21: 10 days, rolled over National Day


@pytest.mark.parametrize("on, posted, done, in_time", [
    # Posted on the last day, received four days later: in time (民诉法 85).
    (date(2026, 10, 12), date(2026, 10, 8), date(2026, 10, 8), True),
    # Posted during the holiday the period rolled over: in time.
    (date(2026, 10, 9), date(2026, 10, 3), date(2026, 10, 3), True),
    # Posted after the period ended: late, by its posting day.
    (date(2026, 10, 14), date(2026, 10, 9), date(2026, 10, 9), False),
    # Not posted (served in person): the event's own day.
    (date(2026, 10, 12), None, date(2026, 10, 12), False),
    (date(2026, 10, 8), None, date(2026, 10, 8), True),
])
def test_a_document_posted_within_the_period_is_in_time_civil_procedure_law_85(on, posted, done, in_time):
    node = SimpleNamespace(due_date=DUE, explanation=["届满日：2026-10-08（星期四）"])
    assert done_on(node, on=on, posted=posted) == done
    assert (done <= DUE) is in_time
    if posted is not None:
        assert ("在期限内交邮，不算过期" in node.explanation[-1]) is in_time
        assert "民事诉讼法第八十五条" in node.explanation[-1]
    else:
        assert len(node.explanation) == 1


def _completed(completed_on: date | None) -> Node:
    node = Node(state=NodeState.NODE_STATE_COMPLETED, due_date=from_date(DUE))
    node.complete_time.FromDatetime(datetime(2026, 10, 12, 10, tzinfo=LEGAL_TZ))
    if completed_on is not None:
        node.completed_on.CopyFrom(from_date(completed_on))
    return node


def test_the_statistics_count_a_posted_document_as_done_in_time_civil_procedure_law_85():
    """Recorded on 10-12, four days after the due date, but posted on 10-08: not 超期完成."""
    assert status_of(_completed(date(2026, 10, 8))) == NodeStatus.NODE_STATUS_NORMAL
    assert status_of(_completed(date(2026, 10, 9))) == NodeStatus.NODE_STATUS_OVERDUE
    # A node completed before the legal day was kept: judged by the day it was recorded, as before.
    assert status_of(_completed(None)) == NodeStatus.NODE_STATUS_OVERDUE


@pytest.mark.parametrize("posted, words", [
    (date(2026, 10, 13), "晚于事件日期"),
    (date(2026, 9, 1), "早于收案日期"),
])
def test_a_posting_date_outside_the_case_is_refused_naming_the_field(posted, words):
    with pytest.raises(InvalidArgument) as refused:
        check_posted_date(posted, occur_date=date(2026, 10, 12), receive_date=date(2026, 9, 10))
    assert refused.value.violations[0].field == "case_event.posted_date"
    assert words in refused.value.violations[0].description
