"""nodes schema: node instances, the due-queue and the messaging tables.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from services.common.migrate import create_messaging_tables

revision = "0001"
down_revision = None
SCHEMA = "nodes"


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "nodes",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("case_number", sa.String(64), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("responsible", sa.String(80), nullable=False),
        sa.Column("node_type", sa.String(63), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("stage", sa.SmallInteger, nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("legal_basis", sa.Text, nullable=False),
        sa.Column("catalog_version", sa.String(40), nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("anchor_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("calendar_known", sa.Boolean, nullable=False),
        sa.Column("explanation", JSONB, nullable=False),
        sa.Column("warning_rungs", ARRAY(sa.Integer), nullable=False),
        sa.Column("deadline_time", ts, nullable=False),
        sa.Column("warned", sa.Boolean, nullable=False),
        sa.Column("open_time", ts, nullable=False),
        sa.Column("warning_time", ts),
        sa.Column("overdue_time", ts),
        sa.Column("complete_time", ts),
        sa.Column("trace_context", JSONB, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("nodes_case", "nodes", ["case_id", "node_type"], unique=True, schema=SCHEMA)
    op.create_index("nodes_court_department", "nodes", ["court", "department"], schema=SCHEMA)
    op.create_index("nodes_court_responsible", "nodes", ["court", "responsible"], schema=SCHEMA)
    op.create_table(
        "due_timers",
        sa.Column("node_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("rung", sa.SmallInteger, primary_key=True),
        sa.Column("fire_at", ts, nullable=False),
        sa.Column("fired_at", ts),
        sa.Column("outcome", sa.String(20)),
        schema=SCHEMA,
    )
    op.create_index("due_timers_pending", "due_timers", ["fire_at"], schema=SCHEMA,
                    postgresql_where=sa.text("fired_at IS NULL"))
    create_messaging_tables(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
