"""Retention: records older than the retention period are removed up to a signed anchor, from
which the chain is verified.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
SCHEMA = "audit"


def upgrade() -> None:
    op.create_table(
        "anchors",
        sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("removed_records", sa.BigInteger, nullable=False),
        sa.Column("removed_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
