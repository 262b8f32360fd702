"""Q2's pre-counted tables (services/stats/quality.py: pre-counted; quality_counts.py): the
cases received and closed per month, the open cases by filing month, the stages' days and the
nodes overdue per month, kept by the projection like the cube, so that a province's quality
analysis sums a few thousand rows instead of reading every case, node and status. Filled here from
the read model as it stands; the projection keeps them.

Revision ID: 0013
"""
import sqlalchemy as sa
from alembic import op

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


def upgrade() -> None:
    key = ("rollup", "court", "department", "case_type", "procedure")
    counts = ("received", "closed", "closed_with_limit", "closed_within_limit", "extended", "trial_cases", "trial_days")
    op.create_table("quality_months", *_case_key(), sa.Column("month", sa.String(7), nullable=False),
                    *[sa.Column(c, sa.BigInteger, nullable=False) for c in counts],
                    sa.PrimaryKeyConstraint(*key, "month"), schema=SCHEMA)
    op.create_table("quality_open", *_case_key(), sa.Column("filing_month", sa.String(7), nullable=False),
                    sa.Column("filing_tail", sa.SmallInteger, nullable=False),
                    sa.Column("cases", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint(*key, "filing_month", "filing_tail"), schema=SCHEMA)
    op.create_table("quality_stages", *_area_key(), sa.Column("stage", sa.SmallInteger, nullable=False),
                    sa.Column("month", sa.String(7), nullable=False), sa.Column("days", sa.Integer, nullable=False),
                    sa.Column("cases", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint("level", "area", "stage", "month", "days"), schema=SCHEMA)
    op.create_table("quality_overdue", *_area_key(), sa.Column("dimension", sa.SmallInteger, nullable=False),
                    sa.Column("value", sa.String(120), nullable=False), sa.Column("month", sa.String(7), nullable=False),
                    sa.Column("nodes", sa.BigInteger, nullable=False),
                    sa.PrimaryKeyConstraint("level", "area", "dimension", "value", "month"), schema=SCHEMA)
    # Counts updated in place (HOT, as the cube's since 0010): no index on them, room on each page.
    for table in ("quality_months", "quality_open", "quality_stages", "quality_overdue"):
        op.execute(f"ALTER TABLE {SCHEMA}.{table} SET (fillfactor = 70)")
    op.create_index("cases_open_filing", "cases", ["filing_date"], schema=SCHEMA,
                    postgresql_where=sa.text("close_date IS NULL"))
    # The definition of what they count is the service's (quality_counts.rebuild), as the cube's
    # (0007); minutes for a province, on tables of this migration's own.
    from services.stats import quality_counts
    op.execute("SET LOCAL statement_timeout = 0")
    quality_counts.rebuild(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
