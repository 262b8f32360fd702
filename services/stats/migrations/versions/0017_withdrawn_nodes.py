"""A node the node service withdrew (已撤回: a corrected case attribute or an undone closing means
its limit does not apply to the case) is marked as such in the read model and its history, so that
it carries no figure: it is not overdue, not locked or unlocked (its lock was released because the
node no longer applies, not by an approved unlock application), and Q2 neither counts a case as
bound by a withdrawn trial limit nor times a stage by a withdrawal.

Rows written before this migration say false: the read model cannot tell which of its nodes were
withdrawn. `courtflow verify --supervision` lists any such node (its `withdrawn` figure differs
from the node service's).

Revision ID: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
SCHEMA = "stats"


def upgrade() -> None:
    for table in ("nodes", "node_history"):
        op.add_column(table, sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.false()),
                      schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
