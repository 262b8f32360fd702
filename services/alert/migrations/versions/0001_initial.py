"""alerts schema: recipients, messages, SMS deliveries and the messaging tables.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from services.common.migrate import create_messaging_tables

revision = "0001"
down_revision = None
SCHEMA = "alerts"


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "recipients",
        sa.Column("user", sa.String(80), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("mobile", sa.String(20), nullable=False),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("role", sa.SmallInteger, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("update_time", ts, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "messages",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("dedupe_key", sa.String(400), nullable=False, unique=True),
        sa.Column("recipient", sa.String(80), nullable=False),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("case", sa.String(200), nullable=False),
        sa.Column("node", sa.String(300), nullable=False),
        sa.Column("case_number", sa.String(64), nullable=False),
        sa.Column("read", sa.Boolean, nullable=False),
        sa.Column("create_time", ts, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("messages_recipient", "messages", ["recipient", "id"], schema=SCHEMA)
    op.create_table(
        "sms_deliveries",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("dedupe_key", sa.String(400), nullable=False, unique=True),
        sa.Column("recipient", sa.String(80), nullable=False),
        sa.Column("node", sa.String(300), nullable=False),
        sa.Column("mobile", sa.String(20)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("attempts", sa.SmallInteger, nullable=False),
        sa.Column("provider", sa.String(40)),
        sa.Column("failure_reason", sa.String(500)),
        sa.Column("next_attempt_at", ts, nullable=False),
        sa.Column("create_time", ts, nullable=False),
        sa.Column("send_time", ts),
        schema=SCHEMA,
    )
    op.create_index("sms_deliveries_recipient", "sms_deliveries", ["recipient", "id"], schema=SCHEMA)
    op.create_index("sms_deliveries_due", "sms_deliveries", ["next_attempt_at"], schema=SCHEMA,
                    postgresql_where=sa.text("state = 1"))
    create_messaging_tables(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
