"""When each SMS delivery was first tried (database time): a later try of an Alibaba SMS looks up
the provider's records from that day on, not only today's and yesterday's, so a retry after
days of outage or downtime still finds a first try whose reply was lost.

Revision ID: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
SCHEMA = "alerts"


def upgrade() -> None:
    op.add_column("sms_deliveries", sa.Column("first_try_time", sa.DateTime(timezone=True)), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
