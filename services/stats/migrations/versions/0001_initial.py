"""stats schema: node states, node counters and the messaging tables.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from services.common.migrate import create_messaging_tables

revision = "0001"
down_revision = None
SCHEMA = "stats"


def upgrade() -> None:
    op.create_table(
        "node_states",
        sa.Column("node", sa.String(300), primary_key=True),
        sa.Column("cell", sa.String(200), nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("overdue_without_warning", sa.Boolean, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "node_counts",
        sa.Column("cell", sa.String(200), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("stage", sa.SmallInteger, nullable=False),
        sa.Column("open_count", sa.BigInteger, nullable=False),
        sa.Column("warning_count", sa.BigInteger, nullable=False),
        sa.Column("overdue_count", sa.BigInteger, nullable=False),
        sa.Column("overdue_without_warning_count", sa.BigInteger, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("node_counts_court", "node_counts", ["court"], schema=SCHEMA)
    create_messaging_tables(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
