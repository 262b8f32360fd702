"""The supervision platform's read model: a row per case and per node, and each node's history.

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004"
down_revision = "0003"
SCHEMA = "stats"


def _status_columns() -> list[sa.Column]:
    return [
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("responsible", sa.String(80), nullable=False),
        sa.Column("status", sa.SmallInteger, nullable=False),
        sa.Column("overdue_without_warning", sa.Boolean, nullable=False),
        sa.Column("ever_locked", sa.Boolean, nullable=False),
        sa.Column("due_date", sa.Date),
        sa.Column("warning_date", sa.Date),
        sa.Column("overdue_date", sa.Date),
        sa.Column("complete_date", sa.Date),
        sa.Column("lock_date", sa.Date),
        sa.Column("unlock_date", sa.Date),
        sa.Column("lock_reason", sa.String(500), nullable=False),
        sa.Column("lock_type", sa.SmallInteger, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("handler", sa.String(80), nullable=False),
        sa.Column("case_number", sa.String(80), nullable=False),
        sa.Column("case_type", sa.SmallInteger, nullable=False),
        sa.Column("procedure", sa.SmallInteger, nullable=False),
        sa.Column("cause", sa.String(200), nullable=False),
        sa.Column("parties", sa.String(1000), nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("custody", sa.Boolean, nullable=False),
        sa.Column("receive_date", sa.Date),
        sa.Column("filing_date", sa.Date),
        sa.Column("judgment_date", sa.Date),
        sa.Column("effective_date", sa.Date),
        sa.Column("close_date", sa.Date),
        sa.Column("archive_date", sa.Date),
        sa.Column("version", sa.DateTime(timezone=True), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("cases_court_department", "cases", ["court", "department"], schema=SCHEMA)
    op.create_index("cases_court_filing", "cases", ["court", "filing_date"], schema=SCHEMA)
    op.create_table(
        "nodes",
        sa.Column("node", sa.String(300), primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("stage", sa.SmallInteger, nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("node_type", sa.String(60), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        *_status_columns(),
        schema=SCHEMA,
    )
    op.create_index("nodes_view_case", "nodes", ["case_id"], schema=SCHEMA)
    op.create_index("nodes_view_court_department", "nodes", ["court", "department"], schema=SCHEMA)
    op.create_table(
        "node_history",
        sa.Column("node", sa.String(300), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("generation", sa.Integer, primary_key=True),
        sa.Column("state", sa.SmallInteger, primary_key=True),
        sa.Column("locked", sa.Boolean, primary_key=True),
        *_status_columns(),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
