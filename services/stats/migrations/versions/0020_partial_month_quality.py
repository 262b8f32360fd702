"""Indexes for Q2 over a period that does not start on the first of a month (quality.py): its
first month's days outside the period are read from the read model, not every case's dates:

- cases (receive_date) and cases (close_date) where it is set: the cases received, and those
  closed, on a few days (quality_counts.partial_indicators).

The stages completed on those days are found by the history's BRIN index on its times (0012),
which costs the projection's writes nothing; these two are on the cases, whose close already
updates an indexed column (cases_open_filing's predicate), so a case's close stays as costly.
At a million cases (this 2-core machine, with CI running beside) the builds took 0.8 s (7 MB) and
0.4 s (3 MB), while the projection's case writes wait (their events wait in JetStream).

Revision ID: 0020
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
SCHEMA = "stats"


def upgrade() -> None:
    op.create_index("cases_receive_date", "cases", ["receive_date"], schema=SCHEMA)
    op.create_index("cases_close_date", "cases", ["close_date"], schema=SCHEMA,
                    postgresql_where=sa.text("close_date IS NOT NULL"))


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
