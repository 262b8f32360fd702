"""The case's people on the read model's cases (handler, judge assistant, clerk, panel), so that
own-scope statistics count the cases the caller is on, as the case and node services show them.

Cases kept before this migration start with their handler alone (the statistics cannot read the
case service's schema): their assistant, clerk and panel count them from the case's next snapshot
(any change or event of the case).

Revision ID: 0008
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0008"
down_revision = "0007"
SCHEMA = "stats"


def upgrade() -> None:
    op.add_column("cases", sa.Column("team", ARRAY(sa.String(80)), nullable=False, server_default="{}"),
                  schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.cases SET team = ARRAY[handler] WHERE handler <> ''")
    op.execute(f"CREATE INDEX cases_team ON {SCHEMA}.cases USING gin (team)")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
