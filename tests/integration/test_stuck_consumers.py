"""`courtflow verify`'s stuck check (services/common/integrity.stuck_consumers) against a real NATS:
a durable consumer with events waiting is named; the ephemeral consumer a process left behind
when it died (its watch of the shared clock, which the server deletes only after its inactivity
threshold) is not. The chaos soak kills services and NATS: such a leftover once held its drain
for three and a half minutes, and `verify` run sooner would have called it stuck."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone

import nats
from nats.js.api import AckPolicy, ConsumerConfig

from services.common.integrity import stuck_consumers
from services.common.streams import StreamPolicy, ensure_producer_stream
from support import eventually_async


def test_only_durable_consumers_with_waiting_events_are_stuck(nats_servers):
    url, _ = nats_servers.new("stuck")
    producer = f"t{uuid.uuid4().hex[:6]}"
    stream = producer.upper()

    async def run():
        nc = await nats.connect(url)
        js = nc.jetstream()
        try:
            await ensure_producer_stream(js, producer, StreamPolicy())
            await js.add_consumer(stream, ConsumerConfig(durable_name=f"stats-{producer}", ack_policy=AckPolicy.EXPLICIT))
            # A watch whose process is gone: an ephemeral push consumer nobody listens to.
            await js.add_consumer(stream, ConsumerConfig(deliver_subject=f"gone.{producer}", ack_policy=AckPolicy.NONE,
                                                         inactive_threshold=300))
            await js.publish(f"courtflow.{producer}.v1.node_warned", b"x")

            async def both_hold_it() -> bool:
                waiting = [c.num_pending + c.num_ack_pending for c in await js.consumers_info(stream)]
                return len(waiting) == 2 and all(waiting)
            # The positive signal before "only the durable one": both hold the event.
            await eventually_async(both_hold_it, what="the event counted for both consumers")
            found = await stuck_consumers(js, older_than=timedelta(0), now=datetime.now(timezone.utc))
            assert [f.name for f in found] == [f"{stream}/stats-{producer}"]
        finally:
            await nc.close()

    asyncio.run(run())
