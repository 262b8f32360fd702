"""JetStream streams: one per producing service, plus the dead-letter stream.

Each service makes sure the streams it writes to and reads from exist, with the subjects and the
duplicate window CourtFlow needs, and with the replicas and retention of its settings
(COURTFLOW_STREAM_REPLICAS, COURTFLOW_STREAM_MAX_AGE_DAYS) when it creates them. It never shrinks
a stream that exists: replicas, retention and size limits an operator raised (R3, a longer
max_age, max_bytes) are kept across every restart; only what CourtFlow needs is added.
"""
from __future__ import annotations

import dataclasses
import logging

from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import BadRequestError

from services.common.events import stream_name

log = logging.getLogger(__name__)

PRODUCERS = ("case", "node", "alert", "gateway", "stats", "audit")
DEAD_LETTER_STREAM = "DEADLETTER"
DEAD_LETTER_PREFIX = "courtflow.deadletter"
# Long enough for a relay restart to be deduplicated by the server; consumers are idempotent anyway.
DUPLICATE_WINDOW_SECONDS = 600
RETENTION_DAYS = 30


@dataclasses.dataclass(frozen=True)
class StreamPolicy:
    """How new streams are made: replicas (3 on a three-node NATS cluster) and retention."""

    replicas: int = 1
    max_age_days: int = RETENTION_DAYS


def stream_config(producer: str, policy: StreamPolicy = StreamPolicy()) -> StreamConfig:
    return StreamConfig(
        name=stream_name(producer),
        subjects=[f"courtflow.{producer}.v1.>"],
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=policy.max_age_days * 86400,
        num_replicas=policy.replicas,
    )


def merged(existing: StreamConfig, wanted: StreamConfig) -> StreamConfig | None:
    """The existing stream's configuration with what CourtFlow needs added, never shrunk; None when
    nothing needs to change. Pure."""
    def larger(have, want, unlimited):
        # 0 or -1 mean "no limit" for NATS: nothing is larger than that.
        if have in (None, unlimited) or want in (None, unlimited):
            return unlimited if have in (None, unlimited) else have
        return max(have, want)

    subjects = list(dict.fromkeys([*(existing.subjects or []), *(wanted.subjects or [])]))
    result = dataclasses.replace(
        existing, subjects=subjects,
        num_replicas=max(existing.num_replicas or 1, wanted.num_replicas or 1),
        max_age=larger(existing.max_age, wanted.max_age, 0),
        duplicate_window=max(existing.duplicate_window or 0, wanted.duplicate_window or 0))
    return None if result == existing else result


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    try:
        await js.add_stream(config)
    except BadRequestError:
        # Exists with another configuration (an operator's, or an older version's): add what is
        # needed, keep whatever the operator made larger.
        existing = (await js.stream_info(config.name)).config
        update = merged(existing, config)
        if update is not None:
            await js.update_stream(update)


async def ensure_producer_stream(js: JetStreamContext, producer: str, policy: StreamPolicy = StreamPolicy()) -> None:
    await ensure_stream(js, stream_config(producer, policy))


async def ensure_dead_letter_stream(js: JetStreamContext, policy: StreamPolicy = StreamPolicy()) -> None:
    await ensure_stream(js, StreamConfig(name=DEAD_LETTER_STREAM, subjects=[f"{DEAD_LETTER_PREFIX}.>"],
                                         storage=StorageType.FILE, max_age=policy.max_age_days * 86400,
                                         num_replicas=policy.replicas))
