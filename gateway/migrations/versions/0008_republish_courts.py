"""Publish every court (CourtChanged, new in this release) and every department (DepartmentChanged)
of the directory once more, for projections that start now.

The stats service keeps the courts' and departments' names and levels from this release on, so
that its answers and reports say 「东江市中级人民法院」 and 「民事审判第一庭」 rather than ids. Its
consumer reads the GATEWAY stream from the start, but the stream keeps 30 days
(services/common/streams.py): courts and departments loaded earlier would be missing, and no
court was ever published before. The events go through the outbox like any change; the other
projections (alert) take the departments as the same values again. Like 0006 for users.

Revision ID: 0008
"""
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from courtflow.gateway.v1.gateway_events_pb2 import CourtChanged, DepartmentChanged
from courtflow.gateway.v1.gateway_pb2 import Court, Department
from services.common.events import build_envelope, new_event_id, subject_for

revision = "0008"
down_revision = "0007"
SCHEMA = "gateway"


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(timezone.utc)
    insert = sa.text(f"INSERT INTO {SCHEMA}.outbox (id, aggregate_type, aggregate_id, event_type, subject, payload, "
                     f"headers, created_at) VALUES (:id, :aggregate_type, :aggregate_id, :event_type, :subject, "
                     f":payload, CAST(:headers AS jsonb), :created_at)")

    def publish(payload, *, court: str, aggregate_type: str, aggregate_id: str) -> None:
        event_id = new_event_id()
        env = build_envelope(payload, event_id=event_id, producer="gateway", court=court,
                             aggregate_type=aggregate_type, aggregate_id=aggregate_id, occurred_at=now)
        conn.execute(insert, dict(id=event_id, aggregate_type=aggregate_type, aggregate_id=aggregate_id,
                                  event_type=payload.DESCRIPTOR.full_name, subject=subject_for("gateway", payload),
                                  payload=env.SerializeToString(), headers=json.dumps({}), created_at=now))

    courts = conn.execute(sa.text(f"SELECT id, display_name, level, parent_id FROM {SCHEMA}.courts "
                                  f"ORDER BY id")).mappings().all()
    for c in courts:
        name = f"courts/{c['id']}"
        publish(CourtChanged(court=Court(name=name, display_name=c["display_name"], level=c["level"],
                                         parent=f"courts/{c['parent_id']}" if c["parent_id"] else "")),
                court=c["id"], aggregate_type="court", aggregate_id=name)
    departments = conn.execute(sa.text(f"SELECT name, court_id, display_name, kind, vice_president "
                                       f"FROM {SCHEMA}.departments ORDER BY name")).mappings().all()
    for d in departments:
        vp = d["vice_president"]
        publish(DepartmentChanged(department=Department(name=d["name"], display_name=d["display_name"],
                                                        kind=d["kind"], vice_president=f"users/{vp}" if vp else "")),
                court=d["court_id"], aggregate_type="department", aggregate_id=d["name"])


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
