"""A BRIN index on the node history's times: the history is written in time order, so a few
pages of summaries find the rows of a period (Q2's recurring problems by month) and tell whether
the read model has reached a day (a month end's snapshot waits for it), at almost no cost to the
projection's inserts.

Revision ID: 0012
"""
from alembic import op

revision = "0012"
down_revision = "0011"
SCHEMA = "stats"


def upgrade() -> None:
    op.execute(f"CREATE INDEX IF NOT EXISTS node_history_at ON {SCHEMA}.node_history USING brin (at)")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
