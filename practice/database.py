"""Settings every database connection gets, and statistics refreshed after bulk changes.

SQLite: write-ahead logging (readers never wait for a writer), a busy timeout (a writer waits
for the other writer instead of failing with "database is locked"), foreign keys enforced as
on PostgreSQL, and `synchronous=NORMAL` (safe with WAL). The pragmas are set on each new
connection, so every gunicorn worker and every CLI command gets them.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 15_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        if "journal_mode" in pragma and os.environ.get("BRIDGEWORK_ENV") == "testing":
            # The unit-test process opens one throwaway file from several apps at once; it
            # keeps SQLite's default journal there. Served apps (development, production, the
            # live-server tests) always get WAL.
            continue
        cursor.execute(pragma)
    cursor.close()


def refresh_statistics(connection: Connection) -> None:
    """Let the query planner see the tables' current sizes (after migrations or a bulk load)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA optimize=0x10002")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE")


def count_queries_per_request(app: Flask) -> None:
    """With COUNT_QUERIES on (`BRIDGEWORK_COUNT_QUERIES=1`, as `make bench` serves the app),
    every response says in `X-Query-Count` how many SQL statements it took."""
    if not app.config.get("COUNT_QUERIES"):
        return
    from .extensions import db

    def count(*_args, **_kwargs) -> None:
        if has_request_context():
            g.query_count = g.get("query_count", 0) + 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)

    @app.after_request  # registered first, so it runs after the request's commit
    def report(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
