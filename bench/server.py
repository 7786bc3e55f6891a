"""Bridgework under a real gunicorn, and a small signed-in HTTP client, for load tests.

Used by `make bench` (bench/run.py), by the test that hammers SQLite with 16 connections, and by
tests/live.py (the browser journeys and cross-process tests) for its port, settings and stop.
Standard library only, so a clean clone needs nothing more.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Sign-in sessions are bound to the browser (Flask-Login's strong protection): every request
# of one person, wrk's included, sends the same User-Agent.
USER_AGENT = "bridgework-bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        BRIDGEWORK_ENV="development",
        SECRET_KEY=secrets.token_hex(32),
        FLASK_DEBUG="0",
        PYTHONUNBUFFERED="1",
        LOGIN_RATE_LIMIT="100000 per minute",
    )
    env.update(extra)
    return env


def flask_command(database_url: str, *args: str, timeout: int = 600) -> str:
    """Run `flask --app practice ARGS` against the database; its output, or an error."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "practice", *args], cwd=ROOT,
        env=server_env(database_url), capture_output=True, text=True, timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int = 2, **env: str):
    """Serve the app with `gunicorn -w WORKERS` on a free port; yields its base URL."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bridgework-gunicorn-", suffix=".log")[1])
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--graceful-timeout", "3"],
            cwd=ROOT, env=server_env(database_url, **env), stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
        yield url
    finally:
        stop(process)
        log.unlink(missing_ok=True)


def stop(process: subprocess.Popen) -> None:
    """Ask the server to stop; kill it if it has not within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        with (contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
              urllib.request.urlopen(url + "/healthz", timeout=2) as response):  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer /healthz within 30 s:\n{log.read_text()}")


@dataclass
class Answer:
    status: int
    body: str
    headers: dict
    seconds: float


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's session: cookies kept, forms sent with their CSRF token, no redirects
    followed (a page is measured on its own)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def request(self, path: str, data: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                status, headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            status, headers = error.code, dict(error.headers)
        return Answer(status, text, headers, time.perf_counter() - started)

    def get(self, path: str) -> Answer:
        return self.request(path)

    def login(self, email: str, password: str) -> None:
        page = self.get("/login").body
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = self.request("/login", {"csrf_token": token, "email": email,
                                         "password": password})
        if answer.status != 302:
            raise RuntimeError(f"sign-in as {email} answered {answer.status}")

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def hammer(base: str, path: str, cookie: str, connections: int, requests: int) -> Counter:
    """GET `path` `requests` times over `connections` parallel connections; status counts."""

    def one(_n: int) -> int:
        request = urllib.request.Request(  # noqa: S310
            base + path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=connections) as pool:
        return Counter(pool.map(one, range(requests)))
