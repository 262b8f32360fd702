"""A department names the vice-president in charge of it (分管院领导), whom the escalation ladder
tells before the others.

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
SCHEMA = "gateway"


def upgrade() -> None:
    op.add_column("departments", sa.Column("vice_president", sa.String(63), nullable=False, server_default=""),
                  schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
