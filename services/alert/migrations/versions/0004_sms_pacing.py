"""A NOTIFY on new inbox messages wakes the live streams of every replica. SMS deliveries sent together as one digest share its id (the provider's OutId); a person's
last SMS is found by (recipient, send_time) to keep the interval between SMS.

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004"
down_revision = "0003"
SCHEMA = "alerts"


def upgrade() -> None:
    op.add_column("sms_deliveries", sa.Column("digest_id", UUID(as_uuid=True)), schema=SCHEMA)
    op.create_index("sms_deliveries_last_sent", "sms_deliveries", ["recipient", "send_time"], schema=SCHEMA,
                    postgresql_where=sa.text("send_time IS NOT NULL"))
    op.create_index("messages_unread", "messages", ["recipient"], schema=SCHEMA,
                    postgresql_where=sa.text("NOT read"))
    op.execute(f"""
        CREATE FUNCTION "{SCHEMA}".messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('alerts_messages', ''); RETURN NULL; END $$""")
    op.execute(f"""
        CREATE TRIGGER messages_notify AFTER INSERT ON "{SCHEMA}".messages
        FOR EACH STATEMENT EXECUTE FUNCTION "{SCHEMA}".messages_notify()""")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
