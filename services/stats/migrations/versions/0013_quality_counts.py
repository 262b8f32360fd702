"""Q2's pre-counted tables (services/stats/quality.py: pre-counted; quality_counts.py): the
cases received and closed per month, the open cases by filing month, the stages' days and the
nodes overdue per month, kept by the projection like the cube, so that a province's quality
analysis sums a few thousand rows instead of reading every case, node and status. Filled here from
the read model as it stands; the projection keeps them. With their month ends' snapshots, which
the housekeeping fills in the background as it does the cube's.

Revision ID: 0013
"""
import sqlalchemy as sa
from alembic import op

from services.common.migrate import recount_later

revision = "0013"
down_revision = "0012"
SCHEMA = "stats"


def _case_key() -> list[sa.Column]:
    return [sa.Column("rollup", sa.SmallInteger, nullable=False), sa.Column("court", sa.String(12), nullable=False),
            sa.Column("department", sa.String(120), nullable=False),
            sa.Column("case_type", sa.SmallInteger, nullable=False),
            sa.Column("procedure", sa.SmallInteger, nullable=False), sa.Column("region", sa.String(12), nullable=False)]


def _area_key() -> list[sa.Column]:
    return [sa.Column("level", sa.SmallInteger, nullable=False), sa.Column("area", sa.String(12), nullable=False)]


def _day(dated: bool) -> list[sa.Column]:
    return [sa.Column("day", sa.Date, nullable=False)] if dated else []


def _tables(prefix: str, *, dated: bool) -> None:
    """The four tables, live (prefix "quality_") or a month end's snapshots ("quality_snapshot_",
    the day leading the key)."""
    key = ("rollup", "court", "department", "case_type", "procedure")
    counts = ("received", "closed", "closed_with_limit", "closed_within_limit", "extended", "trial_cases", "trial_days")
    first = ["day"] if dated else []
    op.create_table(f"{prefix}months", *_day(dated), *_case_key(),
                    sa.Column("month", sa.String(7), nullable=False),
                    *[sa.Column(c, sa.BigInteger, nullable=False) for c in counts],
                    sa.PrimaryKeyConstraint(*first, *key, "month"), schema=SCHEMA)
    op.create_table(f"{prefix}open", *_day(dated), *_case_key(),
                    sa.Column("filing_month", sa.String(7), nullable=False),
                    sa.Column("filing_tail", sa.SmallInteger, nullable=False),
                    sa.Column("cases", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint(*first, *key, "filing_month", "filing_tail"), schema=SCHEMA)
    op.create_table(f"{prefix}stages", *_day(dated), *_area_key(),
                    sa.Column("stage", sa.SmallInteger, nullable=False),
                    sa.Column("month", sa.String(7), nullable=False), sa.Column("days", sa.Integer, nullable=False),
                    sa.Column("cases", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint(*first, "level", "area", "stage", "month", "days"), schema=SCHEMA)
    op.create_table(f"{prefix}overdue", *_day(dated), sa.Column("court", sa.String(12), nullable=False),
                    sa.Column("region", sa.String(12), nullable=False),
                    sa.Column("dimension", sa.SmallInteger, nullable=False),
                    sa.Column("value", sa.String(120), nullable=False), sa.Column("month", sa.String(7), nullable=False),
                    sa.Column("nodes", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint(*first, "court", "dimension", "value", "month"), schema=SCHEMA)


def upgrade() -> None:
    _tables("quality_", dated=False)
    # Month ends' snapshots (quality.py): taken with the cube's by the housekeeping, claimed apart,
    # so that the cube's snapshots kept before this version stay and the Q2 ones are filled beside.
    op.create_table("quality_snapshots", sa.Column("day", sa.Date, primary_key=True),
                    sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False), schema=SCHEMA)
    _tables("quality_snapshot_", dated=True)
    # Counts updated in place (HOT, as the cube's since 0010): no index on them, room on each page.
    for table in ("quality_months", "quality_open", "quality_stages", "quality_overdue"):
        op.execute(f"ALTER TABLE {SCHEMA}.{table} SET (fillfactor = 70)")
    op.create_index("cases_open_filing", "cases", ["filing_date"], schema=SCHEMA,
                    postgresql_where=sa.text("close_date IS NULL"))
    # What they count is the service's definition (quality_counts.rebuild), counted at head as the
    # cube is (0007): minutes for a province.
    recount_later(op, SCHEMA, "quality")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
