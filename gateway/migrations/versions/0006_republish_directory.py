"""Publish every user of the directory once more (UserChanged), for projections that start now.

The case service keeps its own copy of the directory from this release on, to give a case only
to a judge of its own court and department. Its consumer reads the GATEWAY stream from the start,
but the stream keeps 30 days (services/common/streams.py): people loaded earlier would be missing,
and every case given to them refused. The events go through the outbox like any change; the other
projections (node, alert) take them as the same values again.

Revision ID: 0006
"""
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from courtflow.gateway.v1.gateway_events_pb2 import UserChanged
from courtflow.gateway.v1.gateway_pb2 import User
from services.common.events import build_envelope, new_event_id, subject_for

revision = "0006"
down_revision = "0005"
SCHEMA = "gateway"


def upgrade() -> None:
    conn = op.get_bind()
    users = conn.execute(sa.text(f"SELECT username, display_name, role, court_id, department, mobile, active, "
                                 f"absent, deputy FROM {SCHEMA}.users ORDER BY username")).mappings().all()
    now = datetime.now(timezone.utc)
    insert = sa.text(f"INSERT INTO {SCHEMA}.outbox (id, aggregate_type, aggregate_id, event_type, subject, payload, "
                     f"headers, created_at) VALUES (:id, 'user', :aggregate_id, :event_type, :subject, :payload, "
                     f"CAST(:headers AS jsonb), :created_at)")
    for u in users:
        name = f"users/{u['username']}"
        payload = UserChanged(user=User(name=name, display_name=u["display_name"], role=u["role"],
                                        court=f"courts/{u['court_id']}", department=u["department"],
                                        active=u["active"], absent=u["absent"],
                                        deputy=f"users/{u['deputy']}" if u["deputy"] else ""),
                              mobile=u["mobile"])
        event_id = new_event_id()
        env = build_envelope(payload, event_id=event_id, producer="gateway", court=u["court_id"],
                             aggregate_type="user", aggregate_id=name, occurred_at=now)
        conn.execute(insert, dict(id=event_id, aggregate_id=name, event_type=payload.DESCRIPTOR.full_name,
                                  subject=subject_for("gateway", payload), payload=env.SerializeToString(),
                                  headers=json.dumps({}), created_at=now))


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
