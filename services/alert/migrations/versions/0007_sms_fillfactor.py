"""Room on each page of sms_deliveries for the sender's claim: the claim changes no indexed
column, so with free space on the row's page PostgreSQL updates it in place (a HOT update)
instead of adding an entry to each of the table's five indexes. Every SMS is claimed at least
once, in bursts of thousands.

Revision ID: 0007
"""
from alembic import op

revision = "0007"
down_revision = "0006"
SCHEMA = "alerts"


def upgrade() -> None:
    op.execute(f'ALTER TABLE "{SCHEMA}".sms_deliveries SET (fillfactor = 70)')


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
