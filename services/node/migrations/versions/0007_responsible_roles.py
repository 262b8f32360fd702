"""Nodes keep the catalogue's responsible role and supervisors; a projection of the org directory
tells who holds a role (the division head of a department, the court's president …).

Revision ID: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
SCHEMA = "nodes"


def upgrade() -> None:
    op.add_column("nodes", sa.Column("responsible_role", sa.String(30), nullable=False, server_default="handler"),
                  schema=SCHEMA)
    op.add_column("nodes", sa.Column("supervisors", sa.ARRAY(sa.String(30)), nullable=False, server_default="{}"),
                  schema=SCHEMA)
    op.create_table(
        "people",
        sa.Column("user", sa.String(80), primary_key=True),
        sa.Column("role", sa.SmallInteger, nullable=False),
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("department", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        schema=SCHEMA,
    )
    op.create_index("people_role", "people", ["court", "role"], schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
