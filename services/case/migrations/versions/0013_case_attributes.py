"""Case attributes that select time limits (issue 15, items 16 and 17): 涉外 (a foreign-related civil
case has no trial time limit, 民事诉讼法涉外编) and 自诉 (a private prosecution whose defendant is not
detained has six months, 刑事诉讼法第二百一十二条第二款). Existing cases are neither. And an event's
posting date (交邮日期, item 5): time in transit is not counted (民事诉讼法第八十五条).

Revision ID: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
SCHEMA = "cases"


def upgrade() -> None:
    for column in ("foreign_related", "private_prosecution"):
        op.add_column("cases", sa.Column(column, sa.Boolean, nullable=False, server_default=sa.false()), schema=SCHEMA)
    op.add_column("case_events", sa.Column("posted_date", sa.Date, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
