"""A case's key dates (宣判、生效、结案、归档, R1) and the states CLOSED and ARCHIVED, which
nothing set before: filled in from the events already recorded.

Revision ID: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
SCHEMA = "cases"
# CaseEventType and CaseState values (courtflow/case/v1/case.proto), fixed by the wire format.
JUDGMENT_PRONOUNCED, EFFECTIVE, CLOSED, ARCHIVED = 6, 10, 14, 15
STATE_CLOSED, STATE_ARCHIVED = 2, 3


def upgrade() -> None:
    for column in ("judgment_date", "effective_date", "close_date", "archive_date"):
        op.add_column("cases", sa.Column(column, sa.Date), schema=SCHEMA)
    for column, event_type in (("judgment_date", JUDGMENT_PRONOUNCED), ("effective_date", EFFECTIVE),
                               ("close_date", CLOSED), ("archive_date", ARCHIVED)):
        op.execute(f"UPDATE {SCHEMA}.cases c SET {column} = e.day FROM (SELECT case_id, min(occur_date) AS day "
                   f"FROM {SCHEMA}.case_events WHERE event_type = {event_type} GROUP BY case_id) e "
                   f"WHERE e.case_id = c.id")
    op.execute(f"UPDATE {SCHEMA}.cases SET state = {STATE_CLOSED} WHERE close_date IS NOT NULL")
    op.execute(f"UPDATE {SCHEMA}.cases SET state = {STATE_ARCHIVED} WHERE archive_date IS NOT NULL")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
