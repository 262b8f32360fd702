"""What the quality indicators (Q2) need beside the read model: the day a node opened (time per
stage) and which changes approved an extension of a limit (延长审限率).

Revision ID: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
SCHEMA = "stats"


def upgrade() -> None:
    op.add_column("nodes", sa.Column("open_date", sa.Date), schema=SCHEMA)
    op.add_column("node_history", sa.Column("extended", sa.Boolean, nullable=False, server_default=sa.false()),
                  schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
