"""An index on handled_events.handled_at, so that pruning the handled-event log takes each batch
of old rows without scanning the table; built without holding up the consumers (see
services/common/migrate.py index_handled_events).

Revision ID: 0011
"""
from alembic import op

from services.common.migrate import index_handled_events

revision = "0011"
down_revision = "0010"
SCHEMA = "stats"


def upgrade() -> None:
    index_handled_events(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
