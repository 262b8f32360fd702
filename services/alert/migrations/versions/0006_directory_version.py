"""A version token for the recipient directory: every statement that changes the recipients or
departments gives it a new value (a trigger, so that no writer can forget it), and the alert
service reloads its in-memory copy of the directory when the token it reads has changed.

A random token rather than a counter: a counter would start again at 1 in a database created
anew, where a process could take it for the version it already holds.

Revision ID: 0006
"""
from alembic import op

revision = "0006"
down_revision = "0005"
SCHEMA = "alerts"


def upgrade() -> None:
    op.execute(f"""CREATE TABLE "{SCHEMA}".directory_version (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        token uuid NOT NULL DEFAULT gen_random_uuid())""")
    op.execute(f'INSERT INTO "{SCHEMA}".directory_version DEFAULT VALUES')
    op.execute(f"""
        CREATE FUNCTION "{SCHEMA}".directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE "{SCHEMA}".directory_version SET token = gen_random_uuid(); RETURN NULL; END $$""")
    for table in ("recipients", "departments"):
        op.execute(f"""
            CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{SCHEMA}".{table}
            FOR EACH STATEMENT EXECUTE FUNCTION "{SCHEMA}".directory_changed()""")


def downgrade() -> None:
    raise NotImplementedError("CourtFlow migrations are forward-only")
