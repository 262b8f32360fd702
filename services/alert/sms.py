"""SMS providers and the delivery loop.

Each delivery row is sent at most once per provider idempotency key (the
delivery id, the provider's OutId): a crash between the provider accepting it
and the row being marked sent makes the loop try again with the same key, and
the provider drops the duplicate. Failures are retried with exponential backoff
and jitter up to a bound, then recorded as failed with the reason.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable, Protocol

from sqlalchemy import func, select

from courtflow.alert.v1.alert_pb2 import DeliveryState

from services.alert.models import RecipientRow, SmsDeliveryRow
from services.common import metrics
from services.common.uow import UnitOfWork

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or failed; `permanent` failures are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingSms:
    """One SMS as a provider receives it. `out_id` is the delivery id: the provider's idempotency
    key. Template-based APIs send `template` (a kind: WARNING, OVERDUE, ESCALATION, CLOSING_CHECK,
    DIGEST) and its `params` (case_number, node, due_date, days, handler, …); others send `text`."""

    out_id: str
    mobile: str
    text: str
    template: str = ""
    params: dict[str, str] = field(default_factory=dict)


class SmsProvider(Protocol):
    name: str

    def send(self, sms: OutgoingSms) -> None:
        """Hand one SMS to the provider; raise SmsError (permanent or not) when it is refused."""


class LoggingProvider:
    """Writes each SMS as a JSON line instead of sending it (the embedded default).

    Like real providers it is idempotent on out_id, so a retried delivery is logged once.
    """

    name = "log"

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._sent = set()
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self._sent.add(json.loads(line)["out_id"])

    def send(self, sms: OutgoingSms) -> None:
        with self._lock:
            if sms.out_id in self._sent:
                return
            with open(self._path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"out_id": sms.out_id, "mobile": sms.mobile, "text": sms.text,
                                    "template": sms.template, "params": sms.params}, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
            self._sent.add(sms.out_id)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0

    def delay(self, attempt: int) -> timedelta:
        # Full jitter: spreads retries of many deliveries after a provider outage.
        return timedelta(seconds=random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** attempt)))


# Long enough for a provider call with its timeout; a crashed sender's claims expire after it.
LEASE_SECONDS = 15


def claim(uow_factory: Callable[[], UnitOfWork], *, batch: int) -> list[tuple]:
    """Take due deliveries for sending. Due-ness is business time (quiet hours and retries follow
    the court's clock); the claim is a lease in database time, so it expires even when the
    business clock stands still."""
    with uow_factory() as uow:
        now = uow.clock.now()
        db_now = func.now()
        rows = list(uow.session.scalars(
            select(SmsDeliveryRow).where(
                SmsDeliveryRow.state == DeliveryState.DELIVERY_STATE_PENDING, SmsDeliveryRow.next_attempt_at <= now,
                (SmsDeliveryRow.claimed_until.is_(None)) | (SmsDeliveryRow.claimed_until < db_now))
            .order_by(SmsDeliveryRow.next_attempt_at).limit(batch).with_for_update(skip_locked=True)))
        claimed = []
        for row in rows:
            if row.mobile is None:
                recipient = uow.session.get(RecipientRow, row.recipient)
                row.mobile = recipient.mobile if recipient and recipient.mobile else None
            row.claimed_until = db_now + timedelta(seconds=LEASE_SECONDS)
            row.attempts += 1
            claimed.append((row.id, OutgoingSms(out_id=str(row.id), mobile=row.mobile or "", text=row.text,
                                                template=row.template, params=dict(row.params or {})),
                            row.attempts))
        uow.commit()
        return claimed


def record(uow_factory: Callable[[], UnitOfWork], delivery_id, *, provider: str, error: SmsError | None,
           attempts: int, policy: RetryPolicy) -> None:
    with uow_factory() as uow:
        row = uow.session.get(SmsDeliveryRow, delivery_id, with_for_update=True)
        now = uow.clock.now()
        row.provider, row.claimed_until = provider, None
        if error is None:
            row.state, row.send_time, row.failure_reason = DeliveryState.DELIVERY_STATE_SENT, now, None
        elif error.permanent or attempts >= policy.max_attempts:
            row.state, row.failure_reason = DeliveryState.DELIVERY_STATE_FAILED, str(error)[:500]
        else:
            # Backoff is an infrastructure wait, in database time like the claim itself; when the
            # message is due in the court's (business) time is left as it was.
            row.failure_reason, row.claimed_until = str(error)[:500], func.now() + policy.delay(attempts)
        uow.commit()
    metrics.SMS_SENT.labels(provider, "sent" if error is None else "error").inc()


class SmsSender:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], provider: SmsProvider, *,
                 policy: RetryPolicy = RetryPolicy(), batch: int = 100, interval: float = 1.0) -> None:
        self._uow = uow_factory
        self._provider = provider
        self._policy = policy
        self._batch = batch
        self._interval = interval
        self._stopping = False

    async def run(self) -> None:
        while not self._stopping:
            try:
                claimed = await asyncio.to_thread(claim, self._uow, batch=self._batch)
                for delivery_id, sms, attempts in claimed:
                    await asyncio.to_thread(self._send_one, delivery_id, sms, attempts)
            except Exception:
                log.exception("SMS loop failed; retrying")
                claimed = []
            if len(claimed) < self._batch:
                await asyncio.sleep(self._interval)

    def _send_one(self, delivery_id, sms: OutgoingSms, attempts: int) -> None:
        error = None
        if not sms.mobile:
            error = SmsError("收件人未登记手机号码")
        else:
            try:
                self._provider.send(sms)
            except SmsError as exc:
                error = exc
            except Exception as exc:  # network and the like: transient
                error = SmsError(f"{type(exc).__name__}: {exc}")
        record(self._uow, delivery_id, provider=self._provider.name, error=error, attempts=attempts,
               policy=self._policy)

    async def stop(self) -> None:
        self._stopping = True
