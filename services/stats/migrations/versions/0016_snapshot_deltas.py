"""A past day's cube snapshot, once the day is older than the last STATS_SNAPSHOT_DAYS, is kept
as its difference from the next day's (a delta: a few rows where the day's snapshot is a fifth of
the cube) instead of being dropped, so that any past day since is summed from its chain of deltas
up to a snapshot kept whole (cube.chain_days) rather than counted from every node's history
(226 s for a province-wide question at a million cases). The registry says which rows are whole.

Revision ID: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
SCHEMA = "stats"


def upgrade() -> None:
    op.add_column("cube_snapshots", sa.Column("delta", sa.Boolean, nullable=False, server_default=sa.false()),
                  schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
