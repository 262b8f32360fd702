"""The supervision platform's cube (services/stats/cube.py): cases and nodes already counted per
rollup row, so that a province-wide page sums thousands of rows instead of reading millions of
nodes; filled here from the read model as it stands, and kept by the projection afterwards.

Revision ID: 0007
"""
import sqlalchemy as sa
from alembic import op

from services.common.migrate import recount_later

revision = "0007"
down_revision = "0006"
SCHEMA = "stats"
KEY = ("rollup", "bases", "court", "month", "closed", "case_type", "procedure", "department", "stage")


def _key_columns() -> list[sa.Column]:
    return [sa.Column("rollup", sa.SmallInteger, nullable=False), sa.Column("bases", sa.SmallInteger, nullable=False),
            sa.Column("court", sa.String(12), nullable=False), sa.Column("month", sa.String(7), nullable=False),
            sa.Column("closed", sa.SmallInteger, nullable=False),
            sa.Column("case_type", sa.SmallInteger, nullable=False),
            sa.Column("procedure", sa.SmallInteger, nullable=False),
            sa.Column("department", sa.String(120), nullable=False),
            sa.Column("stage", sa.SmallInteger, nullable=False), sa.Column("region", sa.String(12), nullable=False)]


def upgrade() -> None:
    op.create_table("cube_cases", *_key_columns(), sa.Column("mask", sa.BigInteger, nullable=False),
                    sa.Column("cases", sa.BigInteger, nullable=False),
                    sa.Column("closed_cases", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint(*KEY, "mask"), schema=SCHEMA)
    op.create_table("cube_nodes", *_key_columns(), sa.Column("node_class", sa.SmallInteger, nullable=False),
                    sa.Column("nodes", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint(*KEY, "node_class"), schema=SCHEMA)
    # Rows whose count fell to zero, found without a scan, to be removed after each change.
    op.create_index("cube_cases_empty", "cube_cases", ["rollup"], schema=SCHEMA, postgresql_where=sa.text("cases = 0"))
    op.create_index("cube_nodes_empty", "cube_nodes", ["rollup"], schema=SCHEMA, postgresql_where=sa.text("nodes = 0"))
    # Filled from the read model as it stands (an existing system); the projection keeps it. What
    # the cube counts is the service's definition (repository.rebuild_cube), counted by the code of
    # the release that runs the migrations once the schema is at head (services/common/migrate.py
    # recount_later: minutes at a million cases, not bound by the migrations' statement timeout).
    recount_later(op, SCHEMA, "cube")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
