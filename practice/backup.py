"""Backups: `flask --app practice backup PATH` and `restore PATH`.

SQLite is copied with its online backup API (consistent while the app keeps running);
PostgreSQL with pg_dump's custom format and pg_restore. A restore goes only into an empty
database. The data key (DATA_KEY) is not part of a backup: keep it somewhere else.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore, with argument lists, no shell)
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from .extensions import db


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the person running it."""


def _url() -> URL:
    return make_url(db.engine.url)


def backup(path: str) -> str:
    """Write a backup of the app's database to `path`; returns what was done, in words."""
    url = _url()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return f"SQLite database copied to {path}"
    if url.get_backend_name() == "postgresql":
        _check_client_version("pg_dump")
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", path,
              *_connection_args(url)], url)
        return f"PostgreSQL database dumped to {path} (custom format)"
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def restore(path: str) -> str:
    """Load a backup into the app's database, which must be empty."""
    if not Path(path).is_file():
        raise BackupError(f"There is no backup file at {path}.")
    if inspect(db.engine).get_table_names():
        raise BackupError("The database is not empty: restore only into a new, empty database.")
    db.engine.dispose()
    url = _url()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(path) as source, sqlite3.connect(url.database) as target:
            source.backup(target)
        return f"SQLite database restored from {path}"
    if url.get_backend_name() == "postgresql":
        _check_client_version("pg_restore")
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
              *_connection_args(url), path], url)
        return f"PostgreSQL database restored from {path}"
    raise BackupError(f"Restores of {url.get_backend_name()} databases are not supported.")


def _connection_args(url: URL) -> list[str]:
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    return args


def _run(args: list[str], url: URL) -> None:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password  # not on the command line, where `ps` would show it
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()}")


def _major(version: str) -> int:
    match = re.search(r"(\d+)", version)
    return int(match.group(1)) if match else 0


def _check_client_version(tool: str) -> None:
    """pg_dump and pg_restore must be at least as new as the server."""
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    client = subprocess.run([tool, "--version"], capture_output=True, text=True,  # noqa: S603
                            check=False).stdout
    with db.engine.connect() as conn:
        server = conn.exec_driver_sql("SHOW server_version").scalar()
    if _major(client.split(")", 1)[-1]) < _major(server):
        raise BackupError(f"{tool} is version {client.strip()}, older than the server "
                          f"({server}): install the postgresql-client of the server's version.")
