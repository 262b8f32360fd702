"""A revoked closing's stated reason in the change log; indexes for the team's scope (a judge
assistant, clerk or panel member sees the cases they are on).

Revision ID: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
SCHEMA = "cases"


def upgrade() -> None:
    op.add_column("case_changes", sa.Column("note", sa.String(500), nullable=False, server_default=""), schema=SCHEMA)
    op.create_index("cases_court_assistant", "cases", ["court", "assistant"], schema=SCHEMA)
    op.create_index("cases_court_clerk", "cases", ["court", "clerk"], schema=SCHEMA)
    op.execute(f"CREATE INDEX cases_panel ON {SCHEMA}.cases USING gin (panel jsonb_path_ops)")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
