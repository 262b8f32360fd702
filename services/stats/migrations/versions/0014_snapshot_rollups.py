"""Which of the cube's rollups each snapshot holds: a month end's counts by department the month
(rollup 10) and open or closed (11, kept in snapshots only) too, so that a basic court's work
report for a past month (by department: the month's cases received and closed, 期末未结) is summed
from the snapshot instead of counted from every node's history (3.8 s at a million cases). The
snapshots kept so far hold rollups 1–7 and say so; they are left as counted (a snapshot is the
month as the platform saw it when it was over).

Revision ID: 0014
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
SCHEMA = "stats"


def upgrade() -> None:
    op.add_column("cube_snapshots", sa.Column("rollups", postgresql.ARRAY(sa.SmallInteger), nullable=False,
                                              server_default="{1,2,3,4,5,6,7}"), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
