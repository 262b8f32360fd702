"""Clock generations on node states: an approved time-limit change may move a node back to running.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
SCHEMA = "stats"


def upgrade() -> None:
    op.add_column("node_states", sa.Column("generation", sa.Integer, nullable=False, server_default="0"),
                  schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
