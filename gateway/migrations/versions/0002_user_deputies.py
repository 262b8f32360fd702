"""Users can be marked absent and name a deputy, who then receives their reminders (A1).

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
SCHEMA = "gateway"


def upgrade() -> None:
    op.add_column("users", sa.Column("absent", sa.Boolean, nullable=False, server_default=sa.false()), schema=SCHEMA)
    op.add_column("users", sa.Column("deputy", sa.String(63), nullable=False, server_default=""), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
