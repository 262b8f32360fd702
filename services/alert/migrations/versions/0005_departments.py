"""The departments of the org directory, for the vice-president in charge of each (分管院领导),
whom the escalation ladder tells.

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
SCHEMA = "alerts"


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("vice_president", sa.String(80), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
