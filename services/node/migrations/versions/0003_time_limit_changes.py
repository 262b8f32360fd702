"""Time-limit changes and locks (S4, S6, S11): applications with their approvals, and the clock's
inputs kept on each node (approved extensions, deducted or suspended spans), so that every date is
derived again from its inputs after any change.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision = "0003"
down_revision = "0002"
SCHEMA = "nodes"


def upgrade() -> None:
    node_columns = [
        sa.Column("overdue_action", sa.String(8), nullable=False, server_default="warn"),
        sa.Column("extensions", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("exclusions", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("suspended_since", sa.Date),
        sa.Column("suspension_application", sa.String(200)),
        sa.Column("clock_generation", sa.Integer, nullable=False, server_default="0"),
        sa.Column("change_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("lock_type", sa.SmallInteger),
        sa.Column("lock_reason", sa.Text),
        sa.Column("lock_date", sa.Date),
        sa.Column("lock_time", sa.DateTime(timezone=True)),
        sa.Column("unlock_date", sa.Date),
        sa.Column("unlock_time", sa.DateTime(timezone=True)),
        sa.Column("unlock_user", sa.String(80)),
        sa.Column("unlock_application", sa.String(200)),
    ]
    for column in node_columns:
        op.add_column("nodes", column, schema=SCHEMA)
    op.create_index("nodes_locked_case", "nodes", ["case_id"], schema=SCHEMA, postgresql_where=sa.text("locked"))
    op.create_table(
        "applications",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("node_id", UUID(as_uuid=True), nullable=False),
        sa.Column("node_type", sa.String(63), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("responsible", sa.String(80), nullable=False),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        sa.Column("reason_code", sa.String(63), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("materials", ARRAY(sa.String(200)), nullable=False),
        sa.Column("extension", sa.String(10), nullable=False),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("applicant", sa.String(80), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warnings", JSONB, nullable=False),
        sa.Column("required_level", sa.SmallInteger, nullable=False),
        sa.Column("approver", sa.String(80)),
        sa.Column("approver_role", sa.SmallInteger),
        sa.Column("approver_court", sa.String(12)),
        sa.Column("decision_comment", sa.String(1000)),
        sa.Column("decide_time", sa.DateTime(timezone=True)),
        sa.Column("due_date_before", sa.Date),
        sa.Column("due_date_after", sa.Date),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.UniqueConstraint("court", "request_id", name="applications_court_request_id"),
        schema=SCHEMA,
    )
    op.create_index("applications_node", "applications", ["node_id", "create_time"], schema=SCHEMA)
    op.create_index("applications_pending", "applications", ["court"], schema=SCHEMA,
                    postgresql_where=sa.text("state = 1"))


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
