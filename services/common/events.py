"""Event envelopes and subjects.

Subjects are `courtflow.<producer>.v1.<event_snake>`; one JetStream stream per
producing service holds `courtflow.<producer>.v1.>`.
"""
from __future__ import annotations

import os
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from google.protobuf import any_pb2
from google.protobuf.message import Message

from courtflow.common.v1.envelope_pb2 import EventEnvelope

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def event_snake(message_name: str) -> str:
    return _CAMEL.sub("_", message_name).lower()


def subject_for(producer: str, payload: Message) -> str:
    return f"courtflow.{producer}.v1.{event_snake(payload.DESCRIPTOR.name)}"


def stream_name(producer: str) -> str:
    return producer.upper()


class _Uuid7:
    """UUIDv7 (RFC 9562) whose timestamp stays true under load: ids of one millisecond are
    ordered by a 12-bit counter (method 1), and only past 4,096 in a millisecond does the
    timestamp move on. (The uuid6 package instead adds a millisecond per id, so a process
    making a few thousand ids a second stamped them seconds ahead of the clock — and ids are
    read as creation times: the inbox stream's look-back, the benchmarks.) 62 random bits keep
    ids of different processes apart.

    The random bits come from the OS generator 4 KiB at a time: two `getrandom` calls per id,
    each letting go of the GIL while holding the id lock, were a sixth of the alert service's
    profile in a reminder burst. A forked child drops the parent's bytes, so the two never hand
    out the same ones."""

    _POOL = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ms = 0
        self._counter = 0
        self._random = b""
        self._taken = 0
        os.register_at_fork(after_in_child=self._forget_random)

    def _forget_random(self) -> None:
        self._lock = threading.Lock()
        self._random, self._taken = b"", 0

    def __call__(self) -> uuid.UUID:
        with self._lock:
            if self._taken + 10 > len(self._random):
                self._random, self._taken = os.urandom(self._POOL), 0
            bits = int.from_bytes(self._random[self._taken:self._taken + 10])
            self._taken += 10
            ms = time.time_ns() // 1_000_000
            if ms > self._ms:
                # A random start leaves room to count while keeping ids hard to guess.
                self._ms, self._counter = ms, bits >> 70
            elif self._counter < 0xFFF:
                self._counter += 1
            else:
                self._ms, self._counter = self._ms + 1, 0
            ms, counter = self._ms, self._counter
        return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | (bits & _LOW_62))


_LOW_62 = (1 << 62) - 1
new_event_id = _Uuid7()


def build_envelope(payload: Message, *, event_id: uuid.UUID, producer: str, court: str,
                   aggregate_type: str, aggregate_id: str, occurred_at: datetime) -> EventEnvelope:
    env = EventEnvelope(id=str(event_id), type=payload.DESCRIPTOR.full_name, court=court,
                        aggregate_type=aggregate_type, aggregate_id=aggregate_id, producer=producer)
    env.occurred_at.FromDatetime(occurred_at)
    packed = any_pb2.Any()
    packed.Pack(payload)
    env.payload.CopyFrom(packed)
    return env


@dataclass(frozen=True)
class Event:
    """A received event: the envelope and its unpacked payload."""

    envelope: EventEnvelope
    payload: Message
    subject: str

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(self.envelope.id)


class UnknownEventType(Exception):
    pass


def decode(data: bytes, subject: str, types: dict[str, type[Message]]) -> Event:
    env = EventEnvelope.FromString(data)
    type_name = env.payload.TypeName()
    cls = types.get(type_name)
    if cls is None:
        raise UnknownEventType(f"no handler for event type {type_name!r} on {subject}")
    payload = cls()
    env.payload.Unpack(payload)
    return Event(env, payload, subject)
