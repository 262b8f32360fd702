"""Per-caller rate limits of the gateway (issue 4, item 5). Pure: time is passed in.

A token bucket per caller: `rate` requests per second on average, bursts of up to `burst`.
Buckets live in this gateway process, so with N gateway replicas behind a balancer a caller may
make up to N times the rate; the limit protects the services from one runaway client or script,
it is not an accounting quota.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, *, rate: float, burst: int, max_callers: int = 100_000) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate, self.burst = rate, burst
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self._max = max_callers

    def allow(self, caller: str, now: float) -> float:
        """0 when the call may go ahead (and is counted); otherwise the seconds until it may."""
        bucket = self._buckets.get(caller)
        if bucket is None:
            bucket = self._buckets[caller] = Bucket(tokens=self.burst, updated=now)
            if len(self._buckets) > self._max:
                self._buckets.popitem(last=False)  # the longest idle caller starts afresh later
        else:
            self._buckets.move_to_end(caller)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate
