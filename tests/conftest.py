"""Test setup: a real database built by the migrations, cleaned after every test.

SQLite by default; with DATABASE_URL pointing at PostgreSQL, the run creates a database of its
own, migrates it, and drops it at the end, so nothing left by an earlier run matters.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from practice import clock, create_app
from practice.audit.triggers import lifted
from practice.config import _database_url
from practice.extensions import db

from . import factories

os.environ["BRIDGEWORK_ENV"] = "testing"


def _postgres_database():
    base = make_url(_database_url("/nonexistent"))
    name = f"bridgework_test_{uuid.uuid4().hex[:10]}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin_engine, name, base.set(database=name)


@contextlib.contextmanager
def new_postgres_database():
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    admin_engine, name, test_url = _postgres_database()
    try:
        yield test_url.render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        with new_postgres_database() as test_url:
            yield test_url
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def app(database_url):
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SERVER_NAME": "localhost"})
    app.test_client_class = Client
    with app.app_context():
        upgrade()
        if db.engine.dialect.name == "sqlite":
            # The test database is thrown away: commits need not wait for the disk.
            event.listen(db.engine, "connect", _commits_without_fsync)
            db.engine.dispose()
    return app


def _commits_without_fsync(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA synchronous = OFF")


@pytest.fixture(autouse=True)
def _clean(request):
    """Each test starts from empty tables and the real clock."""
    yield
    clock.reset()
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        empty_every_table()


def empty_every_table() -> None:
    """Delete every row of every table (the audit log's append-only triggers lifted)."""
    db.session.remove()
    with db.engine.begin() as conn, lifted(conn):
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def session_limits(app, monkeypatch):
    """The session limits of a real install (the suite's own are long: it moves the clock)."""
    from practice.config import Config

    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", Config.SESSION_IDLE_MINUTES)
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS", Config.SESSION_MAX_HOURS)


@pytest.fixture
def redis_app(database_url, app):
    """A second app on the same database that keeps sessions and sign-in counts in Redis
    (database 15, emptied afterwards), with the session limits of a real install."""
    import redis

    from practice.config import Config

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SERVER_NAME": "localhost",
                        "REDIS_URL": url, "SESSION_IDLE_MINUTES": Config.SESSION_IDLE_MINUTES,
                        "SESSION_MAX_HOURS": Config.SESSION_MAX_HOURS})
    other.test_client_class = Client
    try:
        with other.app_context():
            yield other
            db.session.remove()
            db.engine.dispose()
    finally:
        redis.Redis.from_url(url).flushdb()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app, ctx):
    return app.test_client()


@pytest.fixture
def make_client(app, ctx):
    return app.test_client


@pytest.fixture
def world(ctx):
    return factories.make_world()


@pytest.fixture
def count_queries(app):
    """`with count_queries() as statements:` collects every SQL statement run in the block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def listener(_conn, _cursor, statement, *_rest):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", listener)

    return counting


class Client(FlaskClient):
    """A test client that can sign in through /login and send CSRF-protected forms."""

    def open(self, *args, **kwargs):
        """Each request gets its own app context (own `g`, own session), as in production,
        even while the test holds one for its factories."""
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if raw is None:
                raw = session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.post(url, data=payload, **kwargs)

    def login(self, user_or_email, password: str = factories.PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        response = self.post_form("/login", {"email": email, "password": password})
        assert response.status_code == 302, f"login as {email} failed"
        return response
