"""Whether a node's last day rolls over rest days is a property of its rule (issue 15, item 4):
nodes keep it beside the custody flag, so that re-deriving a renewal's deadline never rolls it
past the day its seizure or freeze lapses. Every existing node rolled.

Revision ID: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
SCHEMA = "nodes"


def upgrade() -> None:
    op.add_column("nodes", sa.Column("rollover", sa.Boolean, nullable=False, server_default=sa.true()),
                  schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
