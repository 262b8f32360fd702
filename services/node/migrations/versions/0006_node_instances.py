"""Repeating nodes: a rule marked `repeats` opens a node for every opening event (each hearing,
each file borrowing), numbered per case; the first keeps the plain code as its id.

Revision ID: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
SCHEMA = "nodes"


def upgrade() -> None:
    op.add_column("nodes", sa.Column("instance", sa.SmallInteger, nullable=False, server_default="1"), schema=SCHEMA)
    op.drop_index("nodes_case", "nodes", schema=SCHEMA)
    op.create_index("nodes_case", "nodes", ["case_id", "node_type", "instance"], unique=True, schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
