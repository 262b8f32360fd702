"""audit schema: hash-chained records, the chain head and the messaging tables.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from services.common.migrate import create_messaging_tables

revision = "0001"
down_revision = None
SCHEMA = "audit"


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "records",
        sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("operation_id", sa.String(64), nullable=False, unique=True),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("actor_display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.SmallInteger, nullable=False),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("action", sa.String(200), nullable=False),
        sa.Column("resource", sa.String(300), nullable=False),
        sa.Column("result", sa.SmallInteger, nullable=False),
        sa.Column("error_reason", sa.String(200), nullable=False),
        sa.Column("client_address", sa.String(100), nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=False),
        sa.Column("trace_id", sa.String(32), nullable=False),
        sa.Column("reporter", sa.String(20), nullable=False),
        sa.Column("occur_time", ts, nullable=False),
        sa.Column("record_time", ts, nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        schema=SCHEMA,
    )
    for name, column in (("records_actor", "actor"), ("records_court", "court"), ("records_action", "action")):
        op.create_index(name, "records", [column, "sequence"], schema=SCHEMA)
    op.create_table(
        "chain_head",
        sa.Column("id", sa.SmallInteger, primary_key=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        schema=SCHEMA,
    )
    op.execute(f"INSERT INTO {SCHEMA}.chain_head (id, sequence, hash) VALUES (1, 0, '{'0' * 64}')")
    create_messaging_tables(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
