"""A real gunicorn with several workers on a fresh database, migrated and loaded with the demo
practice. The browser journeys use it, and so do the tests whose point is what happens across
processes (a replayed cookie, a throttle, a race), which need no browser."""

from __future__ import annotations

import base64
import contextlib
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.server import free_port, server_env, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class LiveServer:
    url: str
    log: Path  # gunicorn's output (access log included)
    database_url: str  # for a journey that must age records the server cannot see age
    data_key: str = ""  # the server's DATA_KEY, to write client words it can read


def _fresh_database(workdir: Path):
    """A new SQLite file, or a new PostgreSQL database (dropped by the returned callback)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        from .conftest import _postgres_database

        admin_engine, name, test_url = _postgres_database()

        def drop():
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin_engine.dispose()

        return test_url.render_as_string(hide_password=False), drop
    return "sqlite:///" + str(workdir / "browser.sqlite3"), lambda: None


def _server_env(database_url: str) -> dict:
    """bench/server.py's settings, with a data key of the run's own (else development writes
    instance/data_key)."""
    return server_env(
        database_url,
        DATA_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        # The journeys sign in many times from one address; one of them checks the limit.
        LOGIN_RATE_LIMIT="1000 per minute",
    )


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@contextlib.contextmanager
def serve_demo(gunicorn_args: tuple | list = (), workers: int = 2, **env_overrides):
    """Yields a LiveServer: gunicorn with `workers` workers on a new database."""
    workdir = Path(tempfile.mkdtemp(prefix="bridgework-live-"))
    database_url, drop_database = _fresh_database(workdir)
    env = _server_env(database_url)
    # Development mail and the worker's queue stay in the run's folder, not in instance/.
    env.update(MAIL_FILE_PATH=str(workdir / "mail"), HUEY_SQLITE_PATH=str(workdir / "huey.db"))
    env.update(env_overrides)
    flask = [sys.executable, "-m", "flask", "--app", "practice"]
    try:
        _run([*flask, "db", "upgrade"], env)
        _run([*flask, "seed-demo"], env)
        port = free_port()
        if "PUBLIC_BASE_URL" not in env_overrides:
            # Links that leave the app (invitations, calendar addresses, mail) point here.
            env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
        log = workdir / "gunicorn.log"
        with log.open("w") as out:
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(workers), "--graceful-timeout", "3", *gunicorn_args],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_until_healthy(url, process, log)
            except RuntimeError as error:
                pytest.fail(str(error))
            yield LiveServer(url=url, log=log, database_url=database_url,
                             data_key=env["DATA_KEY"])
        finally:
            stop(process)
    finally:
        drop_database()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LiveClient:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def csrf(self, path: str) -> str:
        status, text, _ = self.request(path)
        match = CSRF.search(text)
        assert match, f"no form on {path} ({status})"
        return match.group(1)

    def post_form(self, path: str, data: dict, form_page: str | None = None):
        return self.request(path, {"csrf_token": self.csrf(form_page or path), **data})

    def login(self, email: str, password: str = "bridgework-demo"):
        return self.post_form("/login", {"email": email, "password": password})

    def cookies(self) -> list:
        return list(self.jar)

    def replace_cookies(self, cookies: list) -> None:
        self.jar.clear()
        for cookie in cookies:
            self.jar.set_cookie(cookie)
