"""The hearing date of a HEARING_SCHEDULED event (S5).

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
SCHEMA = "cases"


def upgrade() -> None:
    op.add_column("case_events", sa.Column("hearing_date", sa.Date), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
