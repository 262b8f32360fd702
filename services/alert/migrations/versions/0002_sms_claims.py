"""SMS deliveries are claimed with a lease in database time, apart from when they are due
(business time, which tests and demos move).

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
SCHEMA = "alerts"


def upgrade() -> None:
    op.add_column("sms_deliveries", sa.Column("claimed_until", sa.DateTime(timezone=True)), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
