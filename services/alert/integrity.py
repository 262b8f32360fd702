"""Integrity checks of the alert service (`courtflow verify`): nobody was reminded twice of the
same thing — the same rung of the same node's clock generation, the same decision.

A reminder's dedupe key names what it tells (service.node_key: the node, `|gN` from the second
clock generation on, the rung; then the person), and the messages and SMS tables are unique on
it; what is checked is what those constraints cannot see: keys written differently for the same
reminder, and what the SMS provider was actually handed (the embedded log provider's file).
For VerifyIntegrity the same checks run over a caller's scope (`answer`): messages and SMS of the
cases and nodes of its courts; an out id the log holds twice names no court, so only the whole
service is checked for it.
"""
from __future__ import annotations

import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import Connection, or_, select

from courtflow.common.v1 import integrity_pb2 as pb

from services.alert.models import MessageRow, SmsDeliveryRow
from services.common.integrity import EVERYTHING, Finding, Scope, findings_to_proto

BATCH = 1000
# The first clock generation's keys carry no generation; "|g0" would be the same reminder.
_FIRST_GENERATION = re.compile(r"\|g0(?=\|)")


def reminder(key: str) -> str:
    """The reminder a dedupe key stands for, written one way."""
    return _FIRST_GENERATION.sub("", key)


def message_keys(conn: Connection, scope: Scope = EVERYTHING) -> Iterator[str]:
    return iter(conn.execution_options(yield_per=5000).execute(
        select(MessageRow.dedupe_key).where(scope.names(MessageRow.case))).scalars())


def twice_in_inbox(keys: Iterable[str]) -> list[Finding]:
    """Inbox messages that tell a person the same reminder twice."""
    counts = Counter(reminder(k) for k in keys)
    return [Finding("reminders", key, f"同一提醒在站内消息中出现 {n} 次") for key, n in sorted(counts.items()) if n > 1]


def sms_log(path: Path) -> list[str]:
    """The out ids the log provider wrote, one per line, in order."""
    if not path.exists():
        return []
    return [json.loads(line)["out_id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def twice_by_sms(conn: Connection, out_ids: list[str], scope: Scope = EVERYTHING) -> list[Finding]:
    """SMS handed to the provider twice: one out id logged twice, or one reminder in two SMS (as
    itself and in a digest, or in two digests)."""
    found = [Finding("reminders", f"sms/{out_id}", f"同一短信（out_id {out_id}）发出 {n} 次")
             for out_id, n in sorted(Counter(out_ids).items()) if n > 1] if scope.whole_service else []
    sent: dict[str, set[str]] = defaultdict(set)
    ids = iter(sorted(set(out_ids)))
    while batch := list(itertools.islice(ids, BATCH)):
        rows = conn.execute(select(SmsDeliveryRow.id, SmsDeliveryRow.digest_id, SmsDeliveryRow.dedupe_key).where(
            or_(SmsDeliveryRow.id.in_(batch), SmsDeliveryRow.digest_id.in_(batch)), scope.names(SmsDeliveryRow.node)))
        wanted = set(batch)
        for delivery, digest, key in rows:
            sent[reminder(key)].update(str(x) for x in (delivery, digest) if x is not None and str(x) in wanted)
    found += [Finding("reminders", key, f"同一提醒以 {len(sms)} 条短信发出（{'、'.join(sorted(sms))}）")
              for key, sms in sorted(sent.items()) if len(sms) > 1]
    return found


def answer(conn: Connection, scope: Scope, emit, *, sms_log_path: Path | None) -> None:
    """This service's part of VerifyIntegrity (`sms_log_path`: the log provider's file, None when
    SMS go to a provider whose record is not ours to read)."""
    found = twice_in_inbox(message_keys(conn, scope))
    if sms_log_path is not None:
        found += twice_by_sms(conn, sms_log(sms_log_path), scope)
    emit(pb.CheckIntegrityResponse(findings=findings_to_proto(found), checks=["reminders"]))
