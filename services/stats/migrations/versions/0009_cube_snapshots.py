"""Period-end snapshots of the cube (services/stats/cube.py: snapshots): a month's figures as
they stood at its end, counted from the read model's history, so that "the situation on 30
September" is summed from a few thousand rows instead of every node's history.

New tables only; the stats service fills them in the background (service.take_snapshots), newest
month end first, so an upgraded system answers recent month ends from them within minutes.

Revision ID: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
SCHEMA = "stats"
KEY = ("rollup", "bases", "court", "month", "closed", "case_type", "procedure", "department", "stage")


def _key_columns() -> list[sa.Column]:
    return [sa.Column("day", sa.Date, nullable=False),
            sa.Column("rollup", sa.SmallInteger, nullable=False), sa.Column("bases", sa.SmallInteger, nullable=False),
            sa.Column("court", sa.String(12), nullable=False), sa.Column("month", sa.String(7), nullable=False),
            sa.Column("closed", sa.SmallInteger, nullable=False),
            sa.Column("case_type", sa.SmallInteger, nullable=False),
            sa.Column("procedure", sa.SmallInteger, nullable=False),
            sa.Column("department", sa.String(120), nullable=False),
            sa.Column("stage", sa.SmallInteger, nullable=False), sa.Column("region", sa.String(12), nullable=False)]


def upgrade() -> None:
    op.create_table("cube_snapshots", sa.Column("day", sa.Date, primary_key=True),
                    sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False), schema=SCHEMA)
    # The day leads the key: a question reads one day's rows of one rollup.
    op.create_table("cube_snapshot_cases", *_key_columns(), sa.Column("mask", sa.BigInteger, nullable=False),
                    sa.Column("cases", sa.BigInteger, nullable=False),
                    sa.Column("closed_cases", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint("day", *KEY, "mask"), schema=SCHEMA)
    op.create_table("cube_snapshot_nodes", *_key_columns(), sa.Column("node_class", sa.SmallInteger, nullable=False),
                    sa.Column("nodes", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint("day", *KEY, "node_class"), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
