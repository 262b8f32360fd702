"""Per-court rule overrides (R4) and the node categories each stage shows (P2).

An override row sets any of period, warning rungs and overdue action of one catalogue rule for
a court and the courts below it; NULL means "as above" (the next court up, then the catalogue).

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0005"
down_revision = "0004"
SCHEMA = "nodes"


def upgrade() -> None:
    op.create_table(
        "rule_overrides",
        sa.Column("court", sa.String(12), primary_key=True),
        sa.Column("code", sa.String(63), primary_key=True),
        sa.Column("period", sa.String(10)),
        sa.Column("warning_rungs", ARRAY(sa.Integer)),
        sa.Column("overdue_action", sa.String(8)),
        sa.Column("update_user", sa.String(80), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "stage_views",
        sa.Column("court", sa.String(12), primary_key=True),
        sa.Column("stage", sa.SmallInteger, primary_key=True),
        sa.Column("categories", ARRAY(sa.String(100)), nullable=False),
        sa.Column("update_user", sa.String(80), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
