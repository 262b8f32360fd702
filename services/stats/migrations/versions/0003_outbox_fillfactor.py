"""Room on each outbox page for the relay's claim, so it is a HOT update (see
services/common/migrate.py set_outbox_fillfactor).

Revision ID: 0003
"""
from alembic import op

from services.common.migrate import set_outbox_fillfactor

revision = "0003"
down_revision = "0002"
SCHEMA = "stats"


def upgrade() -> None:
    set_outbox_fillfactor(op, SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
