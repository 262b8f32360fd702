"""Indexes for a page of a past day's lists (repository._supervised_cases_as_of, supervised_nodes),
which read a case's or a node's statuses one at a time until the page is full:

- cases (court, case_id): a court's cases in the pages' order, so that a court's page does not
  walk the province's cases to find its own;
- the nodes that have a lock on record (lock_date set: the node service keeps it once a node was
  locked), by name and by case: a past day's locked or unlocked lists read those, not every node.

Built in the upgrade's transaction: each reads its table once, while the projection's writes to
the table wait (its events wait in JetStream, nothing is lost). At a million cases (23.8 million
nodes, 2-core machine, warm) the builds took 1.0 s (cases_court_case, 41 MB), 2.9–4.3 s
(nodes_lock_record, 11 MB) and 2.7–3.0 s (nodes_lock_record_case, 4 MB): about 8 s in all. The
partial indexes hold the nodes ever locked, 0.5 % of them in the benchmark's province (119,011).

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
