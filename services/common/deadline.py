"""The deadline of the RPC being served, for the work done on its behalf.

The guard binds it (a contextvar, as the caller is; it travels into the thread pool with the
database work). A unit of work opened while it is bound gives PostgreSQL the time that is left
as the transaction's statement_timeout, and a call made to another service gets no more than
that: work the caller has given up on (the gateway forwards with at most 15 s) is cancelled
instead of running on for minutes — a past quarter's quality analysis counted from the history
takes over three at a province's size — and a user who asks again does not start a second one
beside it.
"""
from __future__ import annotations

import contextvars
import time

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("courtflow_deadline", default=None)
# The work stops this much before the caller does, so that the service's own answer — what was
# cancelled, and what to do about it — reaches the user instead of the gateway's bare timeout
# (「…未在时限内答复，请稍后重试」, which would have them ask the same again).
MARGIN_SECONDS = 0.5


def bind(seconds_left: float | None) -> contextvars.Token:
    """From the RPC's context (grpc's time_remaining(): None when the caller set no deadline)."""
    return _deadline.set(None if seconds_left is None else time.monotonic() + seconds_left)


def reset(token: contextvars.Token) -> None:
    _deadline.reset(token)


def remaining() -> float | None:
    """Seconds the work done for the RPC may take: until its caller gives up, less the margin;
    None outside an RPC or without a deadline."""
    at = _deadline.get()
    return None if at is None else max(0.0, at - time.monotonic() - MARGIN_SECONDS)


def within(seconds: float) -> float:
    """The timeout of a call made for the RPC: its own, or less when the caller wants the answer sooner."""
    left = remaining()
    return seconds if left is None else min(seconds, left)
