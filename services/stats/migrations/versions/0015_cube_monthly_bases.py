"""The cube's monthly rollups count a case once per month it has a date in, under every basis
whose date falls in that month (cube.py), instead of once per basis: 收案 and 立案 fall in one
month for most cases, so a node change moves a fifth fewer rows of the cube (646,000 rows instead
of 783,000 at 100,000 cases; the projection's batches in process 1,850–2,050 node changes a
second instead of 1,600–1,850). The questions read a basis's rows as before
(`bases IN cube.bases_with(basis)`).

The live cube is counted again from the read model under the new definition once the schema is at
head (as 0007 filled it: minutes at a million cases; the projection and the cube's questions wait
on the tables meanwhile).
The snapshots are left as counted: their one-basis rows are read the same way.

Revision ID: 0015
"""
from alembic import op

from services.common.migrate import recount_later

revision = "0015"
down_revision = "0014"
SCHEMA = "stats"


def upgrade() -> None:
    recount_later(op, SCHEMA, "cube")   # at head, as 0007's count


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
