"""services/common/deadline.py: what is left of the RPC's deadline, for the database and for the
calls made on its behalf; and the guard's word for a statement the deadline cancelled."""
from __future__ import annotations

import psycopg2.errors
from sqlalchemy.exc import OperationalError

from services.common import deadline, guard


def test_calls_made_for_an_rpc_get_no_more_than_what_its_caller_has_left():
    assert deadline.remaining() is None and deadline.within(30.0) == 30.0   # outside an RPC
    token = deadline.bind(2.0)
    try:   # less the margin in which the service still answers for itself
        assert 1.0 < deadline.remaining() <= 2.0 - deadline.MARGIN_SECONDS
        assert deadline.within(30.0) <= 1.5 and deadline.within(1.0) == 1.0
    finally:
        deadline.reset(token)
    token = deadline.bind(None)   # a caller without a deadline (a stream, a direct client)
    try:
        assert deadline.remaining() is None and deadline.within(30.0) == 30.0
    finally:
        deadline.reset(token)
    token = deadline.bind(-1.0)   # already past: nothing is left, never a negative timeout
    try:
        assert deadline.remaining() == 0.0 and deadline.within(30.0) == 0.0
    finally:
        deadline.reset(token)


def test_a_statement_cancelled_at_the_deadline_is_deadline_exceeded_not_the_database_down():
    cancelled = OperationalError("SELECT …", {}, psycopg2.errors.QueryCanceled("canceling statement due to "
                                                                               "statement timeout"))
    assert guard._cancelled(cancelled) and guard._code_name(cancelled) == "DEADLINE_EXCEEDED"
    down = OperationalError("SELECT …", {}, psycopg2.OperationalError("server closed the connection"))
    assert not guard._cancelled(down) and guard._code_name(down) == "UNAVAILABLE"


def test_the_gateway_waits_longer_only_for_the_checks_of_the_whole_data():
    """15 s for every call (a caller's shorter deadline first); 600 s for the three checks that
    walk a court's or the province's whole data, as `courtflow verify --supervision` waits."""
    import time

    from gateway.access.permissions import TABLE
    from gateway.edge.proxy import FORWARD_TIMEOUT, LONG_FORWARD_TIMEOUTS, Call

    assert FORWARD_TIMEOUT == 15.0
    assert Call("/courtflow.stats.v1.StatsService/AnalyzeQuality", (), "").remaining() == 15.0
    assert set(LONG_FORWARD_TIMEOUTS) <= set(TABLE)   # methods the gateway serves, spelled right
    for method in ("VerifySupervision", "VerifyIntegrity"):
        checked = f"/courtflow.stats.v1.StatsService/{method}"
        assert Call(checked, (), "").remaining() == 600.0
        assert Call(checked, (), "", time.monotonic() + 30).remaining() <= 30.0
    assert Call("/courtflow.audit.v1.AuditService/VerifyAuditChain", (), "").remaining() == 600.0
