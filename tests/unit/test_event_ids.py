"""Event and row ids: UUIDv7 that sort by creation and whose timestamp stays true under load."""
from __future__ import annotations

import os
import time
import uuid

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


def test_a_forked_child_does_not_reuse_the_parents_random_bits():
    new_event_id()   # the parent now holds unused random bytes
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: its next id, then out without running the parent's test teardown
        os.write(write, new_event_id().bytes)
        os._exit(0)
    os.close(write)
    child = uuid.UUID(bytes=os.read(read, 16))
    os.waitpid(pid, 0)
    parent = new_event_id()
    low_62 = (1 << 62) - 1
    assert child.int & low_62 != parent.int & low_62
