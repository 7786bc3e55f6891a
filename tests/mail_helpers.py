"""Reading what the worker sent: the in-memory mailbox (Flask-Mailman's locmem backend)."""

from __future__ import annotations

import re

from sqlalchemy import select

from practice import worker
from practice.extensions import db
from practice.mail.models import OutboxMessage


def mailbox(app) -> list:
    state = app.extensions["mailman"]
    if not hasattr(state, "outbox"):
        state.outbox = []
    return state.outbox


def run_worker(app) -> list:
    """Run the worker's send job once (as the consumer would) and return what it sent."""
    box = mailbox(app)
    before = len(box)
    worker.deliver_outbox()
    db.session.expire_all()
    return box[before:]


def html_part(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def link_in(message, path_prefix: str) -> str:
    """The path of the first link to `path_prefix` in the plain-text part (same in the HTML)."""
    match = re.search(r"http://localhost(" + re.escape(path_prefix) + r"[^\s\"<]*)", message.body)
    assert match, f"no link to {path_prefix} in: {message.body}"
    assert match.group(0) in html_part(message)
    return match.group(1)


def outbox_rows(**filters) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in filters.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(query))
