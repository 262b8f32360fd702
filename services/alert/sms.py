"""SMS providers and the delivery loop.

Each SMS carries an out_id that stays the same on every try: the delivery id, or
a digest's id. A crash between the provider accepting it and the row being marked
sent, or a reply lost on the network, makes the loop try again with the same
out_id; a provider then must not send it twice (the logging provider drops a
repeated out_id; Alibaba Cloud does not, so its provider looks the out_id up
before a repeated try). Failures are retried with exponential backoff and jitter
up to a bound, then recorded as failed with the reason. When SMS may go, and
when several become one digest, is pacing.py's.
"""
from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Protocol

from sqlalchemy import func, select, text

from courtflow.alert.v1.alert_pb2 import DeliveryState

from services.alert import repository
from services.alert.models import SmsDeliveryRow
from services.alert.pacing import DIGEST, Pacing, QuietHours, digest as pacing_digest
from services.alert.recipients import directory
from services.common import metrics
from services.common.db import text_array, time_array
from services.common.events import new_event_id
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
    # 1 on the first try. A later try may follow a lost reply: a provider that does not drop a
    # repeated out_id by itself must look up whether it already took this one, from the day of
    # the first try on (real time; None where that is not known: then today and yesterday).
    attempt: int = 1
    first_try: datetime | None = None


class SmsProvider(Protocol):
    name: str

    def send(self, sms: OutgoingSms) -> None:
        """Hand one SMS to the provider; raise SmsError (permanent or not) when it is refused."""


class BatchSmsProvider(SmsProvider, Protocol):
    """A provider that takes a whole claimed batch in one call (a local one: nothing to wait
    for per message, so the sender's threads would only add cost)."""

    def send_many(self, messages: list[OutgoingSms]) -> list[SmsError | None]:
        """Hand over every SMS; for each, None or why it was refused."""


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
        self.send_many([sms])

    def send_many(self, messages: list[OutgoingSms]) -> list[SmsError | None]:
        """Appends the lines with one write and one fsync (durable before the sender records them
        sent, as a provider's acceptance would be)."""
        with self._lock:
            new = [sms for sms in dict((sms.out_id, sms) for sms in messages).values() if sms.out_id not in self._sent]
            if new:
                with open(self._path, "a", encoding="utf-8") as f:
                    f.write("".join(json.dumps({"out_id": sms.out_id, "mobile": sms.mobile, "text": sms.text,
                                                "template": sms.template, "params": sms.params},
                                               ensure_ascii=False) + "\n" for sms in new))
                    f.flush()
                    os.fsync(f.fileno())
                self._sent.update(sms.out_id for sms in new)
        return [None] * len(messages)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    # No retry sooner than this: a provider's record of an accepted SMS may take a moment to be
    # found, and a retry that looks too early would send it a second time (sms_http.py).
    floor_seconds: float = 30.0

    def delay(self, attempt: int) -> timedelta:
        # Full jitter: spreads retries of many deliveries after a provider outage.
        jitter = random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** attempt))
        return timedelta(seconds=max(self.floor_seconds, jitter))


NO_MOBILE = "收件人未登记手机号码"
# Long enough for a provider call with its timeout; a crashed sender's claims expire after it.
LEASE_SECONDS = 15
# No quiet hours, no interval, no digests: what tests of the provider path want.
NO_PACING = Pacing(quiet=QuietHours.parse(""), min_interval=timedelta(0), digest_above=1_000_000)


@dataclass(frozen=True)
class Unit:
    """What one provider call sends: one delivery, or a person's digest of several."""

    ids: tuple
    sms: OutgoingSms
    attempts: int


# The claim's writes, one statement each for the whole batch (array parameters, as the node
# service's sweeper marks its timers): per-row ORM updates cost a round trip a row.
_TABLE = SmsDeliveryRow.__table__.fullname
CLAIM = text(f"""
    UPDATE {_TABLE} AS d SET claimed_until = now() + make_interval(secs => :lease), attempts = d.attempts + 1,
        mobile = coalesce(d.mobile, c.mobile), digest_id = coalesce(d.digest_id, c.digest_id),
        first_try_time = coalesce(d.first_try_time, now())
    FROM unnest(CAST(:ids AS uuid[]), CAST(:mobiles AS text[]), CAST(:digests AS uuid[])) AS c(id, mobile, digest_id)
    WHERE d.id = c.id""")
WAIT = text(f"""
    UPDATE {_TABLE} AS d SET next_attempt_at = w.at
    FROM unnest(CAST(:ids AS uuid[]), CAST(:ats AS timestamptz[])) AS w(id, at) WHERE d.id = w.id""")
SENT = text(f"""
    UPDATE {_TABLE} SET state = :sent, send_time = :now, failure_reason = NULL, provider = :provider,
        claimed_until = NULL WHERE id = ANY(CAST(:ids AS uuid[]))""")


def sample_deliveries(uow_factory: Callable[[], UnitOfWork]) -> None:
    """The SMS gauges: deliveries still to send (never tried, or to be tried again after an error)
    and those given up for good, with how long the oldest still to send has waited (quiet hours
    hold them back up to a night: the alert rules allow for that)."""
    pending_state, failed_state = DeliveryState.DELIVERY_STATE_PENDING, DeliveryState.DELIVERY_STATE_FAILED
    row = SmsDeliveryRow
    with uow_factory() as uow:
        now = uow.clock.now()
        counts = uow.session.execute(select(
            func.count().filter(row.state == pending_state, row.failure_reason.is_(None)),
            func.count().filter(row.state == pending_state, row.failure_reason.is_not(None)),
            func.count().filter(row.state == failed_state),
            func.min(row.create_time).filter(row.state == pending_state))
            .where(row.state.in_([pending_state, failed_state]))).one()
    for state, n in zip(("pending", "retrying", "failed"), counts[:3]):
        metrics.SMS_DELIVERIES.labels(state).set(n)
    metrics.SMS_OLDEST_PENDING.set(metrics.age(now, counts[3]))


def claim(uow_factory: Callable[[], UnitOfWork], *, batch: int, pacing: Pacing = NO_PACING,
          lease_seconds: float = LEASE_SECONDS) -> list[Unit]:
    """Take due deliveries for sending, paced per person. Due-ness is business time (quiet hours,
    intervals and retries follow the court's clock); the claim is a lease in database time, so it
    expires even when the business clock stands still. The lease must outlast the sending of the
    whole batch, or another sender could take a unit still waiting its turn here."""
    with uow_factory() as uow:
        now = uow.clock.now()
        if pacing.quiet.contains(now):
            return []   # nothing leaves at night, retries included; the morning takes it all up
        rows = repository.due_deliveries(uow.session, now=now, batch=batch)
        by_person: dict[str, list] = defaultdict(list)
        for row in rows:
            by_person[row.recipient].append(row)
        last_sent = repository.last_sent(uow.session, by_person) if by_person else {}
        units, claimed, waiting = [], [], []
        for user, group in by_person.items():
            earliest = pacing.earliest(now, last_sent.get(user))
            if earliest > now:   # they wait for the interval and then go together, as a digest
                waiting += [(row.id, earliest) for row in group]
                continue
            person_units, person_claims = _units(uow, user, group, pacing)
            units += person_units
            claimed += person_claims
        if claimed:
            uow.session.execute(CLAIM, {"lease": lease_seconds, "ids": text_array(c[0] for c in claimed),
                                        "mobiles": text_array(c[1] for c in claimed),
                                        "digests": text_array(c[2] for c in claimed)})
        if waiting:
            uow.session.execute(WAIT, {"ids": text_array(w[0] for w in waiting),
                                       "ats": time_array(w[1] for w in waiting)})
        uow.commit()
        return units


def _units(uow: UnitOfWork, user: str, group: list, pacing: Pacing) -> tuple[list[Unit], list[tuple]]:
    """The provider calls for one person's due deliveries, and the claims to write: (id, mobile
    filled in from the directory, digest id)."""
    person = directory(uow.session).person(user)
    mobile_now = person.mobile if person and person.mobile else None
    # A digest tried before goes again as the same digest (the same out_id), so a provider that
    # did take it drops the repeat, or finds it by looking up that out_id. So does a reminder
    # tried alone before: its first try may have reached the provider with only the reply lost,
    # and folded into a new digest it would reach the person twice. The rest, never tried, go one
    # by one or become a new digest.
    digests: dict = defaultdict(list)
    fresh, alone = [], []
    for row in group:
        (digests[row.digest_id] if row.digest_id else alone if row.attempts else fresh).append(row)
    new_digest = None
    if len(fresh) > pacing.digest_above:
        new_digest = new_event_id()
        digests[new_digest], fresh = fresh, []
    folded = {row.id for row in digests.get(new_digest, ())}
    claims = [(row.id, row.mobile or mobile_now, row.digest_id or (new_digest if row.id in folded else None))
              for row in group]
    singles = alone + fresh
    units = [Unit(ids=(row.id,), attempts=row.attempts + 1, sms=OutgoingSms(
        out_id=str(row.id), mobile=row.mobile or mobile_now or "", text=row.text, template=row.template,
        params=dict(row.params or {}), attempt=row.attempts + 1, first_try=row.first_try_time)) for row in singles]
    for digest_id, rows in digests.items():
        rows.sort(key=lambda r: r.create_time)
        addressee = person.display_name if person else user.removeprefix("users/")
        text_, params = pacing_digest(addressee, [(r.template, dict(r.params or {})) for r in rows])
        attempts = max(r.attempts for r in rows) + 1
        tried = [r.first_try_time for r in rows if r.first_try_time is not None]
        units.append(Unit(ids=tuple(r.id for r in rows), attempts=attempts, sms=OutgoingSms(
            out_id=str(digest_id), mobile=next((r.mobile for r in rows if r.mobile), mobile_now or ""), text=text_,
            template=DIGEST, params=params, attempt=attempts, first_try=min(tried, default=None))))
        metrics.SMS_DIGESTS.inc()
    return units, claims


def record(uow_factory: Callable[[], UnitOfWork], unit: Unit, *, provider: str, error: SmsError | None,
           policy: RetryPolicy) -> None:
    record_all(uow_factory, [(unit, error)], provider=provider, policy=policy)


def record_all(uow_factory: Callable[[], UnitOfWork], results: list[tuple[Unit, SmsError | None]], *,
               provider: str, policy: RetryPolicy) -> None:
    """What became of a batch of sends, in one transaction: sent, failed for good, or to be retried."""
    sent = [row_id for unit, error in results if error is None for row_id in unit.ids]
    outcome = {row_id: (unit, error) for unit, error in results if error is not None for row_id in unit.ids}
    with uow_factory() as uow:
        now = uow.clock.now()
        if sent:
            uow.session.execute(SENT, {"sent": DeliveryState.DELIVERY_STATE_SENT, "now": now, "provider": provider,
                                       "ids": text_array(sent)})
        # Failures are few: row by row, each with its reason and its own backoff.
        failed = repository.deliveries_for_update(uow.session, list(outcome)) if outcome else ()
        for row in failed:
            unit, error = outcome[row.id]
            row.provider, row.claimed_until = provider, None
            if error.permanent or unit.attempts >= policy.max_attempts:
                row.state, row.failure_reason = DeliveryState.DELIVERY_STATE_FAILED, str(error)[:500]
            else:
                # Backoff is an infrastructure wait, in database time like the claim itself; when
                # the message is due in the court's (business) time is left as it was.
                row.failure_reason, row.claimed_until = str(error)[:500], func.now() + policy.delay(unit.attempts)
        uow.commit()
    for unit, error in results:
        metrics.SMS_SENT.labels(provider, "sent" if error is None else "error").inc(len(unit.ids))


class SmsSender:
    """Claims due deliveries and sends them, `concurrency` provider calls at a time (a provider
    call waits on the network; one at a time would cap a morning's digests at a few per second)."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], provider: SmsProvider, *,
                 policy: RetryPolicy = RetryPolicy(), pacing: Pacing = NO_PACING, batch: int | None = None,
                 concurrency: int = 16, interval: float = 1.0) -> None:
        self._uow = uow_factory
        self._provider = provider
        self._policy = policy
        self._pacing = pacing
        self._interval = interval
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sms")
        self._send_many = getattr(provider, "send_many", None)
        if self._send_many is not None:
            # One provider call a batch: it ends within one lease, however many it holds.
            self._batch = batch or 500
            self._lease = LEASE_SECONDS
        else:
            # Each provider call ends within a lease; a batch is sent in ceil(batch / concurrency)
            # rounds. The batch stays small: a crashed sender's claims wait out the whole lease
            # before another sender takes them (30 s here).
            self._batch = batch or 32
            self._lease = LEASE_SECONDS * math.ceil(self._batch / concurrency)
        self._stopping = False

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                claimed = await asyncio.to_thread(claim, self._uow, batch=self._batch, pacing=self._pacing,
                                                  lease_seconds=self._lease)
                if self._send_many is not None:
                    errors = await loop.run_in_executor(self._pool, self._send_batch, claimed)
                else:
                    errors = await asyncio.gather(*(loop.run_in_executor(self._pool, self._send_one, unit)
                                                    for unit in claimed))
                if claimed:
                    # One transaction for the batch's outcomes. A crash before it leaves the batch
                    # to be claimed again, with the same out_ids: sent once all the same.
                    await asyncio.to_thread(record_all, self._uow, list(zip(claimed, errors)),
                                            provider=self._provider.name, policy=self._policy)
            except Exception:
                log.exception("SMS loop failed; retrying")
                claimed = []
            if len(claimed) < self._batch:
                await asyncio.sleep(self._interval)

    def _send_batch(self, units: list[Unit]) -> list[SmsError | None]:
        errors: list[SmsError | None] = [None if u.sms.mobile else SmsError(NO_MOBILE) for u in units]
        ready = [i for i, u in enumerate(units) if u.sms.mobile]
        try:
            results = self._send_many([units[i].sms for i in ready])
        except Exception as exc:  # transient, like a failed call to a remote provider
            results = [SmsError(f"{type(exc).__name__}: {exc}")] * len(ready)
        for i, result in zip(ready, results):
            errors[i] = result
        return errors

    def _send_one(self, unit: Unit) -> SmsError | None:
        sms, error = unit.sms, None
        if not sms.mobile:
            error = SmsError(NO_MOBILE)
        else:
            try:
                self._provider.send(sms)
            except SmsError as exc:
                error = exc
            except Exception as exc:  # network and the like: transient
                error = SmsError(f"{type(exc).__name__}: {exc}")
        return error

    async def stop(self) -> None:
        self._stopping = True
        self._pool.shutdown(wait=False)
