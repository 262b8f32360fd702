"""cases schema: cases and the messaging tables.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from services.common.migrate import create_messaging_tables

revision = "0001"
down_revision = None
SCHEMA = "cases"


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("case_number", sa.String(64), nullable=False),
        sa.Column("case_type", sa.SmallInteger, nullable=False),
        sa.Column("procedure", sa.SmallInteger, nullable=False),
        sa.Column("cause", sa.String(100), nullable=False),
        sa.Column("parties", JSONB, nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("handler", sa.String(80), nullable=False),
        sa.Column("filing_date", sa.Date, nullable=False),
        sa.Column("custody", sa.Boolean, nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("court", "case_number", name="cases_court_case_number"),
        sa.UniqueConstraint("court", "request_id", name="cases_court_request_id"),
        schema=SCHEMA,
    )
    op.create_index("cases_court_handler", "cases", ["court", "handler"], schema=SCHEMA)
    op.create_index("cases_court_department", "cases", ["court", "department"], schema=SCHEMA)
    create_messaging_tables(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
