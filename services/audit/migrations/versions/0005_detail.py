"""What a change changed (old → new, and why), kept with its audit record; hashed only when set,
so the records written before verify as they were.

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
SCHEMA = "audit"


def upgrade() -> None:
    op.add_column("records", sa.Column("detail", sa.String(2000), nullable=False, server_default=""), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
