"""`make bench`: how each person's pages hold up in a large practice.

For each database (SQLite; PostgreSQL too when DATABASE_URL points at one) and each size (the
tenth and the full large practice of `flask --app practice seed-large`), the app is served by
`gunicorn -w 2`; the script signs in as a counselor, a client, a supervisor and an admin and
measures each of their pages:

- single user: `--samples` requests one after the other, p50 and p95 in milliseconds;
- 16 connections: Debian's `wrk` for `--seconds` seconds, requests per second;
- both as a ratio to the anonymous /login page measured the same way in the same run;
- the SQL statements each page ran (the app's X-Query-Count header, BRIDGEWORK_COUNT_QUERIES).

It prints one table and writes it to bench/results/. Databases are kept in bench/.data (and
PostgreSQL databases named bridgework_bench_*) and reused by the next run; `--rebuild` makes
them again.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from practice.demo import DEMO_PASSWORD as PASSWORD

from .server import ROOT, USER_AGENT, Browser, flask_command, gunicorn

DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
SIZES = {"tenth": 0.1, "full": 1.0}


@dataclass
class Row:
    database: str
    size: str
    role: str
    page: str
    queries: str
    p50: float
    p95: float
    rps: float
    errors: int
    ratio: float = 0.0
    rps_ratio: float = 0.0


def _pages(base: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each role's sign-in and pages, with ids found by following the app's own links."""
    counselor = Browser(base)
    counselor.login("counselor@example.org", PASSWORD)
    home = counselor.get("/caseload").body
    couple = re.search(r'href="/couples/(\d+)"', home).group(1)
    couple_page = counselor.get(f"/couples/{couple}").body
    flag = re.search(rf'href="/couples/{couple}/flags/(\d+)"', couple_page)
    supervisor = Browser(base)
    supervisor.login("supervisor@example.org", PASSWORD)
    table = supervisor.get("/supervision/").body
    counselor_id = re.search(r'href="/supervision/counselors/(\d+)"', table).group(1)
    queue = supervisor.get("/supervision/flags").body
    review = re.search(r'href="/supervision/flags/(\d+)"', queue).group(1)
    counselor_pages = [("home", "/caseload"), ("couple page", f"/couples/{couple}"),
                       ("check-ins", f"/couples/{couple}/checkins")]
    if flag:
        counselor_pages.append(("flag", f"/couples/{couple}/flags/{flag.group(1)}"))
    return {
        "counselor": ("counselor@example.org", counselor_pages),
        "client": ("partner.a@example.org", [("home", "/me"), ("history", "/me/checkins")]),
        "supervisor": ("supervisor@example.org", [
            ("home", "/team"), ("team table", "/supervision/"),
            ("drill-down", f"/supervision/counselors/{counselor_id}"),
            ("flag queue", "/supervision/flags"), ("flag review", f"/supervision/flags/{review}"),
            ("audit log", "/supervision/audit"),
            ("caseload CSV", "/supervision/export/caseload.csv"),
            ("flags CSV", "/supervision/export/flags.csv")]),
        "admin": ("admin@example.org", [
            ("home", "/admin/"), ("practice table", "/supervision/"),
            ("audit log", "/supervision/audit"),
            ("caseload CSV", "/supervision/export/caseload.csv")]),
    }


def _single_user(browser: Browser, path: str, samples: int) -> tuple[float, float, str]:
    browser.get(path)  # warm: the first request of a worker loads templates
    times, queries = [], ""
    for _ in range(samples):
        answer = browser.get(path)
        if answer.status != 200:
            raise RuntimeError(f"{path} answered {answer.status}")
        times.append(answer.seconds * 1000)
        queries = answer.headers.get("X-Query-Count", "")
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], queries


def _under_load(base: str, path: str, cookie: str, seconds: int) -> tuple[float, int]:
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s",
            "-s", str(ROOT / "bench" / "status.lua"), "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run([*args, base + path], capture_output=True, text=True,  # noqa: S603
                          timeout=seconds + 60, check=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))
    errors = re.search(r"Answers other than 200: (\d+)", done.stdout)
    return rps, int(errors.group(1))


def measure(database: str, size: str, url: str, samples: int, seconds: int) -> list[Row]:
    rows = []
    with gunicorn(url, workers=2, BRIDGEWORK_COUNT_QUERIES="1") as base:
        anonymous = Browser(base)
        p50, p95, queries = _single_user(anonymous, "/login", samples)
        rps, errors = _under_load(base, "/login", "", seconds)
        reference = Row(database, size, "anonymous", "/login", queries, p50, p95, rps, errors)
        rows.append(reference)
        for role, (email, pages) in _pages(base).items():
            browser = Browser(base)
            browser.login(email, PASSWORD)
            for name, path in pages:
                p50, p95, queries = _single_user(browser, path, samples)
                rps, errors = _under_load(base, path, browser.cookie_header, seconds)
                rows.append(Row(database, size, role, f"{name} ({path})", queries, p50, p95,
                                rps, errors))
                print(f"  {database} {size} {role:<10} {name:<15} {p50:7.1f} ms "
                      f"{rps:7.1f} rps {queries:>3} queries", flush=True)
    for row in rows:
        row.ratio = row.p50 / reference.p50 if reference.p50 else 0
        row.rps_ratio = row.rps / reference.rps if reference.rps else 0
    return rows


def _sqlite(size: str, rebuild: bool) -> str:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{size}.sqlite3"
    url = f"sqlite:///{path}"
    if rebuild or not path.exists():
        for leftover in DATA.glob(f"{size}.sqlite3*"):
            leftover.unlink()
        _build(url, size)
    return url


def _postgres(base_url: str, size: str, rebuild: bool) -> str:
    name = f"bridgework_bench_{size}"
    admin = create_engine(make_url(base_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": name}).scalar()
        if rebuild and exists:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = None
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    if not exists:
        _build(url, size)
    return url


def _build(url: str, size: str) -> None:
    started = time.monotonic()
    flask_command(url, "db", "upgrade")
    flask_command(url, "seed-large", "--scale", str(SIZES[size]), timeout=1800)
    print(f"built the {size} practice in {time.monotonic() - started:.0f} s", flush=True)


def table(rows: list[Row]) -> str:
    lines = ["| database | size | role | page | SQL | p50 ms | p95 ms | p50 × /login "
             "| rps at 16 conn. | rps × /login | errors |",
             "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r.database} | {r.size} | {r.role} | {r.page} | {r.queries} | "
                     f"{r.p50:.1f} | {r.p95:.1f} | {r.ratio:.1f} | {r.rps:.1f} | "
                     f"{r.rps_ratio:.2f} | {r.errors} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--sizes", default="tenth,full")
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench does it)")
    databases = [("SQLite", lambda size: _sqlite(size, options.rebuild))]
    pg = os.environ.get("DATABASE_URL", "")
    if pg.startswith(("postgres://", "postgresql")):
        pg = "postgresql+psycopg://" + pg.split("://", 1)[1]
        databases.append(("PostgreSQL", lambda size: _postgres(pg, size, options.rebuild)))
    rows: list[Row] = []
    for label, prepare in databases:
        for size in options.sizes.split(","):
            rows += measure(label, size, prepare(size), options.samples, options.seconds)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    machine = (f"{platform.node()}: {os.cpu_count()} CPUs, {platform.processor() or ''} "
               f"Python {platform.python_version()}, load average "
               f"{os.getloadavg()[0]:.1f} at the end")
    report = (f"# Bridgework bench, {stamp} UTC\n\n{machine}\n\n"
              f"{options.samples} single-user requests per page; wrk -t2 -c16 for "
              f"{options.seconds} s.\n\n{table(rows)}\n")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stamp}.md").write_text(report)
    (RESULTS / "latest.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
