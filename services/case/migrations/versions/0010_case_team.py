"""The rest of a case's team beside its handler: judge assistant, clerk and panel members.

Revision ID: 0010
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
SCHEMA = "cases"


def upgrade() -> None:
    op.add_column("cases", sa.Column("assistant", sa.String(80), nullable=False, server_default=""), schema=SCHEMA)
    op.add_column("cases", sa.Column("clerk", sa.String(80), nullable=False, server_default=""), schema=SCHEMA)
    op.add_column("cases", sa.Column("panel", JSONB, nullable=False, server_default="[]"), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
