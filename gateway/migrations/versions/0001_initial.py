"""gateway schema: courts, departments, users, API tokens and the messaging tables.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from services.common.migrate import create_messaging_tables

revision = "0001"
down_revision = None
SCHEMA = "gateway"


def upgrade() -> None:
    op.create_table(
        "courts",
        sa.Column("id", sa.String(12), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("parent_id", sa.String(12)),
        sa.Column("abbreviation", sa.String(10), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "departments",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("court_id", sa.String(12), nullable=False, index=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(63), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.SmallInteger, nullable=False),
        sa.Column("court_id", sa.String(12), nullable=False, index=True),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("mobile", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(63), nullable=False, index=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True)),
        schema=SCHEMA,
    )
    create_messaging_tables(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
