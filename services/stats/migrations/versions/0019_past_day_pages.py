"""Indexes for a page of a past day's lists (repository._supervised_cases_as_of, supervised_nodes),
which read a case's or a node's statuses one at a time until the page is full:

- cases (court, case_id): a court's cases in the pages' order, so that a court's page does not
  walk the province's cases to find its own;
- the nodes that have a lock on record (lock_date set: the node service keeps it once a node was
  locked), by name and by case: a past day's locked or unlocked lists read those, not every node.

Built in the upgrade's transaction: each reads its table once (a million cases have 24 million
nodes; the builds were not timed at that size), while the projection's writes to the table wait
(its events wait in JetStream, nothing is lost). The partial indexes hold the nodes ever locked,
about 1 % of them in the benchmark's province.

Revision ID: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
SCHEMA = "stats"


def upgrade() -> None:
    op.create_index("cases_court_case", "cases", ["court", "case_id"], schema=SCHEMA)
    locked = sa.text("lock_date IS NOT NULL")
    op.create_index("nodes_lock_record", "nodes", ["node"], schema=SCHEMA, postgresql_where=locked)
    op.create_index("nodes_lock_record_case", "nodes", ["case_id"], schema=SCHEMA, postgresql_where=locked)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
