"""Each node keeps its case's people (handler, judge assistant, clerk, panel), who see it within
their own scope, and the case events that opened and completed it, so that a revoked closing
re-opens exactly the nodes that closing completed and withdraws those it opened.

Nodes opened before this migration know no team (their responsible person sees them, as before,
until the case next changes) and no opening or completing event (a revoked closing leaves them
as they are). A case's nodes are found through nodes_case (case_id first): no further index.

Revision ID: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0009"
down_revision = "0008"
SCHEMA = "nodes"


def upgrade() -> None:
    op.add_column("nodes", sa.Column("team", ARRAY(sa.String(80)), nullable=False, server_default="{}"),
                  schema=SCHEMA)
    op.add_column("nodes", sa.Column("opened_by", sa.String(200)), schema=SCHEMA)
    op.add_column("nodes", sa.Column("completed_by", sa.String(200)), schema=SCHEMA)
    op.add_column("nodes", sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.false()),
                  schema=SCHEMA)
    op.execute(f"CREATE INDEX nodes_team ON {SCHEMA}.nodes USING gin (team)")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
