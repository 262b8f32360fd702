"""JetStream streams: one per producing service, plus the dead-letter stream."""
from __future__ import annotations

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


def stream_config(producer: str) -> StreamConfig:
    return StreamConfig(
        name=stream_name(producer),
        subjects=[f"courtflow.{producer}.v1.>"],
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=RETENTION_DAYS * 86400,
    )


async def ensure_stream(js: JetStreamContext, config: StreamConfig) -> None:
    try:
        await js.add_stream(config)
    except BadRequestError:
        # Exists with another configuration (an older version): bring it up to date.
        await js.update_stream(config)


async def ensure_producer_stream(js: JetStreamContext, producer: str) -> None:
    await ensure_stream(js, stream_config(producer))


async def ensure_dead_letter_stream(js: JetStreamContext) -> None:
    await ensure_stream(js, StreamConfig(name=DEAD_LETTER_STREAM, subjects=[f"{DEAD_LETTER_PREFIX}.>"],
                                         storage=StorageType.FILE, max_age=RETENTION_DAYS * 86400))
