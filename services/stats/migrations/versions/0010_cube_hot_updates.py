"""The cube's counts updated in place (HOT): the partial indexes on the counts go — every update
of an indexed column writes new index entries, which was half of the projection's time under a
burst of overdue nodes — and the tables leave room on each page for the new row versions.
Rows of zeros are removed in the background instead (repository.prune_cube).

Revision ID: 0010
"""
from alembic import op

revision = "0010"
down_revision = "0009"
SCHEMA = "stats"


def upgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {SCHEMA}.cube_cases_empty")
    op.execute(f"DROP INDEX IF EXISTS {SCHEMA}.cube_nodes_empty")
    # New pages only (no rewrite under a lock); the pages filled before fill up as they are updated.
    op.execute(f"ALTER TABLE {SCHEMA}.cube_cases SET (fillfactor = 70)")
    op.execute(f"ALTER TABLE {SCHEMA}.cube_nodes SET (fillfactor = 70)")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
