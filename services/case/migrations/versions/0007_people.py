"""The org directory's people, projected from the gateway's UserChanged events, so that a case
is given only to a judge of its own court and department (a case given another court's judge
sent its reminders, with its case number, to that court).

Revision ID: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
SCHEMA = "cases"


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("user", sa.String(80), primary_key=True),
        sa.Column("role", sa.SmallInteger, nullable=False),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
