"""Event envelopes and subjects.

Subjects are `courtflow.<producer>.v1.<event_snake>`; one JetStream stream per
producing service holds `courtflow.<producer>.v1.>`.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import uuid6
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


def new_event_id() -> uuid.UUID:
    return uuid.UUID(str(uuid6.uuid7()))


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
