"""Failed logins of usernames nobody holds, locked out like a user's: an unknown username used to
never lock, which told a guesser which usernames exist.

Revision ID: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
SCHEMA = "gateway"


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(63), primary_key=True),
        sa.Column("failed_logins", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False, index=True),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
