"""A service's own copy of the gateway's org directory (DESIGN rule 2: another service's data
comes by its events). The node and case services keep who holds which role where, each in its own
`people` table; the alert service keeps a fuller copy (mobile, absence, deputy) of its own."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from courtflow.gateway.v1.gateway_events_pb2 import UserChanged


def upsert_person(session: Session, row_type: type, event: UserChanged) -> None:
    """Record a person as the directory now has them: role, court, department, whether active."""
    u = event.user
    values = dict(role=u.role, court=u.court.removeprefix("courts/"), department=u.department, active=u.active)
    session.execute(pg_insert(row_type).values(user=u.name, **values)
                    .on_conflict_do_update(index_elements=[row_type.user], set_=values))
