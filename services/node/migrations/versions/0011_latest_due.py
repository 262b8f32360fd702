"""A node may fall due on the earlier of its period's end and a day before a date its opening
event names (issue 15, item 9: a hearing summons three days after scheduling, but at the latest
three days before the hearing). Nodes keep that day beside their other clock inputs, so that
re-deriving the deadline keeps it. Existing nodes have none. And the legal day a node was done
(item 5): the posting date of a document sent by post, time in transit not counted (民事诉讼法第八十五
条); existing completed nodes were done on their completing event's day, which only the node's
completion time records, so they keep none.

Revision ID: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
SCHEMA = "nodes"


def upgrade() -> None:
    op.add_column("nodes", sa.Column("latest_due", sa.Date, nullable=True), schema=SCHEMA)
    op.add_column("nodes", sa.Column("completed_on", sa.Date, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
