"""Locks held on cases by overdue nodes (S11): the case service learns them from NodeLocked and
NodeUnlocked and refuses business events while any is held.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0003"
down_revision = "0002"
SCHEMA = "cases"


def upgrade() -> None:
    op.create_table(
        "case_locks",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("node", sa.String(200), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("lock_time", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
