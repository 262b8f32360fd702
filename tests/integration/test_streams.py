"""JetStream streams are made as the settings say and never shrunk (issue 20, item 7): an
operator's longer retention and larger limits survive every service start, and what CourtFlow
needs (its subjects, a retention at least its own) is added."""
from __future__ import annotations

import asyncio
import dataclasses
import uuid

import nats
from nats.js.api import StorageType, StreamConfig

from services.common.streams import StreamPolicy, ensure_producer_stream, merged, stream_config

DAY = 86400


def test_an_operators_larger_settings_are_kept_and_ours_added():
    ours = stream_config("node", StreamPolicy(replicas=1, max_age_days=30))
    theirs = StreamConfig(name="NODE", subjects=["courtflow.node.v1.>", "mirror.>"], storage=StorageType.FILE,
                          max_age=90 * DAY, num_replicas=3, max_bytes=10 ** 9, duplicate_window=600)
    assert merged(theirs, ours) is None   # nothing to change: nothing is shrunk
    short = StreamConfig(name="NODE", subjects=["other.>"], max_age=7 * DAY, num_replicas=1, duplicate_window=60)
    grown = merged(short, stream_config("node", StreamPolicy(replicas=3, max_age_days=30)))
    assert grown.subjects == ["other.>", "courtflow.node.v1.>"] and grown.max_age == 30 * DAY
    assert grown.num_replicas == 3 and grown.duplicate_window == 600
    unlimited = StreamConfig(name="NODE", subjects=["courtflow.node.v1.>"], max_age=0, num_replicas=1,
                             duplicate_window=600)
    assert merged(unlimited, ours) is None   # 0: kept for ever, longer than any retention


def test_a_restart_keeps_what_an_operator_set_on_a_real_server(nats_servers):
    url, _ = nats_servers.new("streams")
    producer = f"t{uuid.uuid4().hex[:6]}"

    async def run():
        nc = await nats.connect(url)
        js = nc.jetstream()
        try:
            await ensure_producer_stream(js, producer, StreamPolicy(max_age_days=30))
            name = stream_config(producer).name
            info = await js.stream_info(name)
            assert info.config.max_age == 30 * DAY and info.config.duplicate_window == 600
            # The operator keeps events for a year and caps the size.
            await js.update_stream(dataclasses.replace(info.config, max_age=365 * DAY, max_bytes=2 ** 30))
            await ensure_producer_stream(js, producer, StreamPolicy(max_age_days=30))   # a service starts again
            kept = (await js.stream_info(name)).config
            return kept.max_age, kept.max_bytes
        finally:
            await nc.close()

    assert asyncio.run(run()) == (365 * DAY, 2 ** 30)
