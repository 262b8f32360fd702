"""The org directory's courts and departments, projected from the gateway's CourtChanged and
DepartmentChanged events, so that answers and reports name them (「东江市中级人民法院」,
「民事审判第一庭」) and a report knows a court's level and the courts below it.

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
SCHEMA = "stats"


def upgrade() -> None:
    op.create_table(
        "courts",
        sa.Column("court", sa.String(12), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("parent", sa.String(12), nullable=False),     # "" for the high court
        sa.Column("version", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "departments",
        sa.Column("name", sa.String(120), primary_key=True),    # courts/{court}/departments/{id}
        sa.Column("court", sa.String(12), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("version", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_index("departments_court", "departments", ["court"], schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
