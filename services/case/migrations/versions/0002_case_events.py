"""Business events of cases, as court systems push them.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0002"
down_revision = "0001"
SCHEMA = "cases"


def upgrade() -> None:
    op.create_table(
        "case_events",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("event_type", sa.SmallInteger, nullable=False),
        sa.Column("occur_date", sa.Date, nullable=False),
        sa.Column("document", sa.String(63), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("recorder", sa.String(80), nullable=False),
        sa.Column("record_time", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("court", "request_id", name="case_events_court_request_id"),
        schema=SCHEMA,
    )
    op.create_index("case_events_case", "case_events", ["case_id", "occur_date"], schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
