"""Registration at receipt (收案, S1): a receive date on every case, and a filing date that is
absent until the filing decision.

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
SCHEMA = "cases"


def upgrade() -> None:
    op.add_column("cases", sa.Column("receive_date", sa.Date), schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.cases SET receive_date = filing_date")
    op.alter_column("cases", "receive_date", nullable=False, schema=SCHEMA)
    op.alter_column("cases", "filing_date", nullable=True, schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
