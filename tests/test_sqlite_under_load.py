"""SQLite holds under load: 16 connections on 2 gunicorn workers, reading pages that write an
audit entry, never meet "database is locked" (WAL, busy timeout; practice/database.py)."""

from __future__ import annotations

import os
import re
import sqlite3

import pytest

from bench.server import Browser, flask_command, gunicorn, hammer
from practice.demo import DEMO_PASSWORD

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's locking only",
)


def test_every_connection_has_wal_a_busy_timeout_and_foreign_keys(app, ctx):
    from practice.extensions import db

    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_audited_reads_under_16_connections_never_fail(tmp_path):
    url = "sqlite:///" + str(tmp_path / "load.sqlite3")
    flask_command(url, "db", "upgrade")
    flask_command(url, "seed-demo")
    with gunicorn(url, workers=2) as base:
        supervisor = Browser(base)
        supervisor.login("supervisor@example.org", DEMO_PASSWORD)
        team = supervisor.get("/team").body
        counselor_id = re.search(r"/supervision/counselors/(\d+)", team).group(1)
        statuses = hammer(base, f"/supervision/counselors/{counselor_id}",
                          supervisor.cookie_header, connections=16, requests=320)
    assert statuses == {200: 320}
    with sqlite3.connect(tmp_path / "load.sqlite3") as conn:
        [(written,)] = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'caseload_viewed'").fetchall()
    assert written == 320
