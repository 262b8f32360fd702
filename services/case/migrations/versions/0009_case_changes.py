"""Changes of a running case (UpdateCase): reassignment, transfer, custody, corrections.

Revision ID: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0009"
down_revision = "0008"
SCHEMA = "cases"


def upgrade() -> None:
    op.create_table(
        "case_changes",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.SmallInteger, nullable=False),
        sa.Column("before", JSONB, nullable=False),
        sa.Column("after", JSONB, nullable=False),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("changer", sa.String(80), nullable=False),
        sa.Column("change_time", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("court", "request_id", name="case_changes_court_request_id"),
        schema=SCHEMA,
    )
    op.create_index("case_changes_case", "case_changes", ["case_id", "change_time"], schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
