"""Built-in login: password hashes, failure counts and lockout on users; login sessions.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
SCHEMA = "gateway"


def upgrade() -> None:
    op.add_column("users", sa.Column("password_hash", sa.String(255)), schema=SCHEMA)
    op.add_column("users", sa.Column("failed_logins", sa.SmallInteger, nullable=False, server_default="0"),
                  schema=SCHEMA)
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True)), schema=SCHEMA)
    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("username", sa.String(63), nullable=False, index=True),
        sa.Column("refresh_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("family_id", sa.Uuid, nullable=False, index=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expire_time", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("revoked_time", sa.DateTime(timezone=True)),
        sa.Column("revoke_reason", sa.String(20), nullable=False, server_default=""),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
