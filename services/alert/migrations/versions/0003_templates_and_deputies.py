"""Messages can link to an application. SMS deliveries keep their template and its parameters (template-based provider APIs send those,
not the text); recipients can be absent with a deputy (A1).

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
SCHEMA = "alerts"


def upgrade() -> None:
    op.add_column("sms_deliveries", sa.Column("template", sa.String(40), nullable=False, server_default=""),
                  schema=SCHEMA)
    op.add_column("sms_deliveries", sa.Column("params", JSONB, nullable=False, server_default="{}"), schema=SCHEMA)
    op.add_column("messages", sa.Column("application", sa.String(300), nullable=False, server_default=""),
                  schema=SCHEMA)
    op.add_column("recipients", sa.Column("absent", sa.Boolean, nullable=False, server_default=sa.false()),
                  schema=SCHEMA)
    op.add_column("recipients", sa.Column("deputy", sa.String(80), nullable=False, server_default=""), schema=SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
