"""The background worker: a Huey queue with the periodic jobs and the outbox's sender.

Which queue: an in-memory one that runs tasks at once under tests (BRIDGEWORK_ENV=testing),
Redis when REDIS_URL is set (several workers on several machines), else a SQLite file beside
the database in instance/ (HUEY_SQLITE_PATH to move it). Start a worker with
`flask --app practice worker`; `make run` starts one beside the web server.

Every job is safe to run twice or on two workers at once: what it sends goes through the
outbox, whose unique keys and claims make each message go out once. The periodic jobs also
take a lock in the queue's storage, so with Redis one worker at a time runs each of them
(the flag rules, above all, must not race with themselves).
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab

log = logging.getLogger(__name__)


def _make_huey():
    # Jobs report through the outbox and the database, so the queue keeps no results.
    env = os.environ.get("BRIDGEWORK_ENV") or os.environ.get("APP_ENV") or "development"
    if env == "testing":
        return MemoryHuey("bridgework", immediate=True, results=False)
    if os.environ.get("REDIS_URL"):
        return RedisHuey("bridgework", url=os.environ["REDIS_URL"], results=False)
    default = Path(__file__).resolve().parent.parent / "instance" / "huey.sqlite3"
    path = Path(os.environ.get("HUEY_SQLITE_PATH") or default)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("bridgework", filename=str(path), results=False)


huey = _make_huey()
_app = None


def use_app(app) -> None:
    """The Flask app the worker's jobs run in (the `worker` command passes its own)."""
    global _app
    _app = app


def _flask_app():
    global _app
    if has_app_context():  # called from a request, a command or a test
        return current_app._get_current_object()
    if _app is None:
        from . import create_app

        _app = create_app()
    return _app


def in_app_context(job):
    """Run `job` in its own app context and database session, committed by the job itself."""

    @functools.wraps(job)
    def wrapped(*args, **kwargs):
        from .extensions import db

        with _flask_app().app_context():
            try:
                return job(*args, **kwargs)
            finally:
                db.session.rollback()
                db.session.remove()

    return wrapped


@huey.task()
@in_app_context
def deliver_outbox() -> int:
    """Send what the outbox holds now (queued by a request right after it commits)."""
    from .mail.outbox import deliver_due

    return deliver_due()


@huey.periodic_task(crontab(minute="*"))
@in_app_context
def deliver_outbox_sweep() -> int:
    """Every minute: what is due (new messages, retries, claims left by a dead worker)."""
    from .mail.outbox import deliver_due

    return deliver_due()


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("reminders")
@in_app_context
def queue_reminders() -> int:
    """Every minute: homework reminders whose local time has come (one a day per person)."""
    from .extensions import db
    from .reminders.services import send_due_reminders

    queued = send_due_reminders()
    db.session.commit()
    return queued


@huey.periodic_task(crontab(minute="*/5"))
@huey.lock_task("staff-notices")
@in_app_context
def queue_staff_notices() -> int:
    """Every five minutes: escalated flags for supervisors, the counselors' daily digest."""
    from .extensions import db
    from .mail.periodic import send_digests, send_escalation_notices

    queued = send_escalation_notices() + send_digests()
    db.session.commit()
    return queued


@huey.periodic_task(crontab(minute="7"))
@huey.lock_task("flag-rules")
@in_app_context
def run_flag_rules() -> int:
    """Hourly: the time-based flag rules (one partner disengaged) for every caseload."""
    from .extensions import db
    from .flags.rules import evaluate_disengagement

    raised = evaluate_disengagement()
    db.session.commit()
    return len(raised)


def nudge() -> None:
    """Ask a worker to send soon. Under tests (immediate mode) nothing runs by itself."""
    if not huey.immediate:
        deliver_outbox()


_nudge_registered = False


def register_nudge() -> None:
    """After a commit that queued messages, wake a worker (the minute sweep is the fallback)."""
    global _nudge_registered
    if _nudge_registered:
        return
    _nudge_registered = True
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    @event.listens_for(Session, "after_commit")
    def _after_commit(session):
        if session.info.pop("outbox_nudge", False):
            try:
                nudge()
            except Exception:  # the queue being down must not fail a saved request
                log.exception("could not wake the mail worker; the next sweep will send")

    @event.listens_for(Session, "after_rollback")
    def _after_rollback(session):
        session.info.pop("outbox_nudge", None)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads sending and running jobs.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run the background worker: sends the outbox and runs the periodic jobs."""
    if huey.immediate:
        raise click.ClickException("Under BRIDGEWORK_ENV=testing jobs run at once: no worker.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    use_app(current_app._get_current_object())
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()
