"""Dates of a case that hearing scheduling (S5) checks against: service of the complaint copy,
the evidence notice and the summons, and scheduled and held hearings, learned from case events.

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004"
down_revision = "0003"
SCHEMA = "nodes"


def upgrade() -> None:
    op.create_table(
        "case_dates",
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("case_dates_case", "case_dates", ["case_id", "kind"], schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
