"""Event and row ids: UUIDv7 that sort by creation and whose timestamp stays true under load."""
from __future__ import annotations

import time

from services.common.events import new_event_id


def test_ids_sort_in_creation_order_and_are_unique():
    ids = [new_event_id() for _ in range(50_000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {7}


def test_a_burst_of_ids_keeps_the_clocks_time():
    # Thousands of ids a millisecond: the counter orders them, the timestamp does not run ahead.
    before = time.time_ns() // 1_000_000
    ids = [new_event_id() for _ in range(100_000)]
    after = time.time_ns() // 1_000_000
    stamps = [i.int >> 80 for i in ids]
    assert before <= stamps[0] and stamps[-1] <= after + 1, (stamps[0] - before, stamps[-1] - after)
