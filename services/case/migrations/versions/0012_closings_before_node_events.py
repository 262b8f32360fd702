"""Which CLOSED events the node service can undo: those recorded before it kept, on each node,
the case event that completed it (node migration 0009, released with case migration 0011) are
marked, so that RevokeCaseClosing refuses them (CLOSING_NOT_TRACKED) instead of opening the case
again with every node still completed.

Every CLOSED event recorded before this migration is marked, those recorded under 0011 too: the
refusal is the safe side (the case stays as it was, and the court is told why); an administrator
who has checked that the nodes know such an event sets its `nodes_tracked` back to true. Events
recorded from now on are tracked (the column's default), old release's pods writing them too.

Revision ID: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
SCHEMA = "cases"
CLOSED = 14   # CaseEventType.CASE_EVENT_TYPE_CLOSED (the enum is stable: its numbers are the wire format)


def upgrade() -> None:
    op.add_column("case_events", sa.Column("nodes_tracked", sa.Boolean, nullable=False, server_default=sa.true()),
                  schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.case_events SET nodes_tracked = false WHERE event_type = {CLOSED}")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
