"""Q2's snapshot of one of the last days, once the day is older than the last STATS_SNAPSHOT_DAYS,
is kept as its difference from the next day's, as the cube's is (0016), instead of being dropped:
a period ending on any past day since is then summed from the day's chain of deltas up to a
snapshot kept whole (the same days as the cube's: the month ends and the 8th, 16th and 24th of
their months), not counted from every node's status as of that day (192 s for a province-wide
question at a million cases). The registry says which rows are whole; the snapshots kept so far
(month ends, and the last days) are.

A rolling update is safe: the release before reads any day in the registry as whole, but the
first deltas come from days taken by this release, once they are older than the last
STATS_SNAPSHOT_DAYS (31 by default), long after the release before has gone.

Revision ID: 0021
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
SCHEMA = "stats"


def upgrade() -> None:
    op.add_column("quality_snapshots", sa.Column("delta", sa.Boolean, nullable=False, server_default=sa.false()),
                  schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
