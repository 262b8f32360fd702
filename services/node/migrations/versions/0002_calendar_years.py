"""Imported holiday calendars, and the inputs each node's deadline is derived from.

Nodes keep their period and custody flag, so that a date computed without a known calendar
(or under a changed calendar) can be recomputed from its inputs rather than patched.

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0002"
down_revision = "0001"
SCHEMA = "nodes"


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("holidays", ARRAY(sa.Date), nullable=False),
        sa.Column("workdays", ARRAY(sa.Date), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("import_user", sa.String(80), nullable=False),
        sa.Column("import_time", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.add_column("nodes", sa.Column("period", sa.String(10)), schema=SCHEMA)
    op.add_column("nodes", sa.Column("custody", sa.Boolean, nullable=False, server_default=sa.false()),
                  schema=SCHEMA)
    # Nodes opened under catalogue 2026.1 (the only one before this revision).
    op.execute(f"""UPDATE {SCHEMA}.nodes SET period = CASE node_type
                   WHEN 'trial_time_limit' THEN '6m' WHEN 'serve_complaint_copy' THEN '5d' END""")
    op.alter_column("nodes", "period", nullable=False, schema=SCHEMA)
    op.create_index("nodes_calendar_unknown", "nodes", ["due_date"], schema=SCHEMA,
                    postgresql_where=sa.text("NOT calendar_known"))


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
