"""The SMTP path against a real SMTP server (aiosmtpd) started by the test: one that accepts,
one that refuses the recipient, and one that is down."""

from __future__ import annotations

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from practice.extensions import db
from practice.mail import outbox as outbox_service
from practice.mail.messages import render_message
from practice.mail.models import OutboxMessage

from .mail_helpers import outbox_rows, run_worker


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Accepting:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received.append(envelope)
        return "250 Message accepted"


class RefusingRecipient(Accepting):
    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        return "550 5.1.1 No such mailbox"


@pytest.fixture
def smtp(app, monkeypatch):
    """Point the app's mail at a real SMTP server on a free port; yields a starter."""
    state = app.extensions["mailman"]
    port = _free_port()
    monkeypatch.setattr(state, "backend", "smtp")
    monkeypatch.setattr(state, "server", "127.0.0.1")
    monkeypatch.setattr(state, "port", port)
    monkeypatch.setattr(state, "timeout", 5)
    controllers = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def _queue(world) -> int:
    message = render_message("invitation", "Your invitation", link="http://localhost/x", hours=72)
    outbox_service.enqueue("invitation", world.partner_a, "smtp:1", message)
    db.session.commit()
    return outbox_rows()[0].id


def test_an_accepting_server_receives_text_and_html(app, world, smtp):
    handler = smtp(Accepting())
    message_id = _queue(world)
    run_worker(app)
    assert db.session.get(OutboxMessage, message_id).status == "sent"
    assert [e.rcpt_tos for e in handler.received] == [[world.partner_a.email]]
    parsed = message_from_bytes(handler.received[0].content)
    assert parsed["Subject"] == "Your invitation"
    types = [part.get_content_type() for part in parsed.walk()]
    assert "text/plain" in types
    assert "text/html" in types


def test_a_refused_recipient_is_kept_for_a_retry_with_the_servers_answer(app, world, smtp):
    smtp(RefusingRecipient())
    message_id = _queue(world)
    run_worker(app)
    row = db.session.get(OutboxMessage, message_id)
    assert row.status == "pending"
    assert row.attempts == 1
    assert "SMTPRecipientsRefused" in row.last_error
    assert "550" in row.last_error
    assert row.next_attempt_at > row.created_at


def test_a_server_that_is_down_is_retried_later(app, world, smtp):
    message_id = _queue(world)  # nothing listens on the port
    run_worker(app)
    row = db.session.get(OutboxMessage, message_id)
    assert row.status == "pending"
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
