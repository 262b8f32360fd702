"""Periods the court sets in a notice (issue 15, items 14 and 15): the days of an evidence period
(举证期限, 民诉法解释: bounded by procedure) or of a 公示催告 period (at least sixty days), and the
bill's payment date, which a 公示催告 period must end at least fifteen days after. Existing events
set none (0 days: the procedure's usual evidence period).

Revision ID: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
SCHEMA = "cases"


def upgrade() -> None:
    op.add_column("case_events", sa.Column("period_days", sa.SmallInteger, nullable=False, server_default="0"),
                  schema=SCHEMA)
    op.add_column("case_events", sa.Column("bill_payment_date", sa.Date, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
