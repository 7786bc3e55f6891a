"""Database triggers that refuse any UPDATE or DELETE of an audit entry (and, on PostgreSQL,
a TRUNCATE of the table), whoever sends it: the app, SQLAlchemy Core, or raw SQL.

The migration that adds them imports this module; the test suite, which empties every table
between tests, lifts them for that moment only (`lifted`).
"""

from __future__ import annotations

import contextlib

REFUSAL = "audit_log is append-only"

SQLITE_CREATE = [
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
]
POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "DROP FUNCTION IF EXISTS audit_log_append_only()",
]


def statements(dialect: str, create: bool) -> list[str]:
    if dialect == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    return SQLITE_CREATE if create else SQLITE_DROP


@contextlib.contextmanager
def lifted(connection):
    """Within one transaction of `connection`: the triggers do not fire (test cleanup only)."""
    from sqlalchemy import text

    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        yield
        return
    for statement in statements(dialect, create=False):
        connection.execute(text(statement))
    yield
    for statement in statements(dialect, create=True):
        connection.execute(text(statement))
