"""The dead letters of the retired consumer `stats-node` (the counters' own until their work moved
into `stats-supervision-node`, which applies the counters too) become its successor's: once the
retired durable is deleted, nobody reads its replay subject, and `courtflow dead-letters replay`
would put such a letter back where it is lost. A letter the successor kept for the same event
already stands for both.

Revision ID: 0018
"""
from alembic import op

revision = "0018"
down_revision = "0017"
SCHEMA = "stats"
RETIRED, SUCCESSOR = "stats-node", "stats-supervision-node"


def upgrade() -> None:
    op.execute(f"""UPDATE "{SCHEMA}".dead_letters AS d SET consumer = '{SUCCESSOR}'
        WHERE d.consumer = '{RETIRED}' AND NOT EXISTS (
            SELECT 1 FROM "{SCHEMA}".dead_letters AS s WHERE s.consumer = '{SUCCESSOR}' AND s.event_id = d.event_id)""")
    op.execute(f"""DELETE FROM "{SCHEMA}".dead_letters WHERE consumer = '{RETIRED}'""")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
