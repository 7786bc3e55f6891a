"""The outbox: queued with the event, sent only by the worker, retried, shown when it fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from practice import clock
from practice.auth.services import find_user_by_email
from practice.couples.models import Partner
from practice.extensions import db
from practice.mail import outbox as outbox_service
from practice.mail.messages import render_message
from practice.mail.models import OutboxMessage

from .mail_helpers import html_part, link_in, mailbox, outbox_rows, run_worker


def _new_couple(client):
    return client.post_form("/couples/new", {
        "label": "Ng & Ortiz", "timezone": "Europe/Paris",
        "partner1_name": "Lee Ng", "partner1_email": "lee@test.example",
        "partner2_name": "Sol Ortiz", "partner2_email": "sol@test.example",
    })


def test_invite_queues_a_message_per_partner_and_only_the_worker_sends_it(app, world, client):
    client.login(world.counselor)
    before = len(mailbox(app))
    page = _new_couple(client)
    assert page.status_code == 200
    assert len(mailbox(app)) == before, "the request itself must not send"
    rows = outbox_rows(kind="invitation")
    assert sorted(r.to_address for r in rows) == ["lee@test.example", "sol@test.example"]
    assert all(r.status == "pending" for r in rows)

    sent = run_worker(app)
    assert sorted(m.to[0] for m in sent) == ["lee@test.example", "sol@test.example"]
    for message in sent:
        path = link_in(message, "/invite/")
        # The same link is shown once to the counselor, for partners without e-mail.
        assert path in page.text
        assert "<html" in html_part(message)
    assert all(r.status == "sent" and r.sent_at for r in outbox_rows(kind="invitation"))
    assert all(r.text_body is None and r.html_body is None for r in outbox_rows())
    assert run_worker(app) == [], "a sent message is never sent again"


def test_the_link_in_the_invitation_works(app, world, client, make_client):
    client.login(world.counselor)
    _new_couple(client)
    message = next(m for m in run_worker(app) if m.to == ["lee@test.example"])
    partner = make_client()
    response = partner.post_form(link_in(message, "/invite/"), {
        "password": "a long enough secret", "confirm": "a long enough secret"})
    assert response.status_code == 302


def test_resend_makes_a_new_link_and_ends_the_old_one(app, world, client, make_client):
    client.login(world.counselor)
    _new_couple(client)
    first = next(m for m in run_worker(app) if m.to == ["lee@test.example"])
    lee = find_user_by_email("lee@test.example")
    couple_id = db.session.scalar(select(Partner.couple_id).where(Partner.user_id == lee.id))
    page = client.post_form(f"/couples/{couple_id}/partners/{lee.id}/invite")
    assert page.status_code == 200
    second = run_worker(app)
    assert [m.to for m in second] == [["lee@test.example"]]
    old, new = link_in(first, "/invite/"), link_in(second[0], "/invite/")
    assert old != new
    assert make_client().get(old).status_code == 404
    assert make_client().get(new).status_code == 200


def test_a_message_is_queued_once_per_key(app, ctx, world):
    message = render_message("invitation", "Subject", link="http://localhost/x", hours=72)
    assert outbox_service.enqueue("invitation", world.partner_a, "k:1", message) is True
    assert outbox_service.enqueue("invitation", world.partner_a, "k:1", message) is False
    db.session.commit()
    assert len(outbox_rows()) == 1


def test_a_message_exists_only_if_its_event_is_committed(app, ctx, world):
    message = render_message("invitation", "Subject", link="http://localhost/x", hours=72)
    outbox_service.enqueue("invitation", world.partner_a, "k:2", message)
    db.session.rollback()
    assert outbox_rows() == []


class Refusing:
    """A mail backend whose server is unreachable."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


@pytest.fixture
def failing_mail(app, monkeypatch):
    state = app.extensions["mailman"]
    monkeypatch.setattr(state, "backend", Refusing)
    return state


def _queue_one(world) -> int:
    message = render_message("invitation", "Subject", link="http://localhost/x", hours=72)
    outbox_service.enqueue("invitation", world.partner_a, "k:retry", message)
    db.session.commit()
    return outbox_rows()[0].id


def test_failures_are_retried_with_growing_delays_then_shown_to_admins(
        app, world, client, failing_mail, monkeypatch):
    clock.set_clock(clock.utcnow())
    message_id = _queue_one(world)
    delays = []
    for _ in range(outbox_service.MAX_ATTEMPTS):
        run_worker(app)
        row = db.session.get(OutboxMessage, message_id)
        if row.status == "failed":
            break
        assert row.status == "pending"
        attempts = row.attempts
        assert run_worker(app) == []
        assert db.session.get(OutboxMessage, message_id).attempts == attempts, "tried too soon"
        delays.append(row.next_attempt_at - clock.utcnow())
        clock.set_clock(row.next_attempt_at)
    row = db.session.get(OutboxMessage, message_id)
    assert row.status == "failed"
    assert row.attempts == outbox_service.MAX_ATTEMPTS
    assert delays == sorted(delays)
    assert delays[0] < delays[-1]
    assert "ConnectionRefusedError" in row.last_error

    client.login(world.admin)
    page = client.get("/admin/mail/outbox")
    assert page.status_code == 200
    assert "Invitation" in page.text
    assert "Client" in page.text
    assert "ConnectionRefusedError" in page.text
    assert "0 messages waiting to be sent" in page.text
    assert "http://localhost/x" not in page.text
    assert "Subject" not in page.text

    monkeypatch.undo()
    assert client.post_form(f"/admin/mail/outbox/{message_id}/retry").status_code == 302
    sent = run_worker(app)
    assert [m.to for m in sent] == [[world.partner_a.email]]
    assert db.session.get(OutboxMessage, message_id).status == "sent"
    assert "ConnectionRefusedError" not in client.get("/admin/mail/outbox").text


def test_retrying_an_unknown_message_is_404(world, client):
    client.login(world.admin)
    assert client.post_form("/admin/mail/outbox/999999/retry").status_code == 404


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_its_lease(app, world):
    clock.set_clock(clock.utcnow())
    message_id = _queue_one(world)
    assert outbox_service.claim(message_id) is not None  # a worker claims, then dies
    assert run_worker(app) == []
    clock.advance(outbox_service.CLAIM_LEASE + timedelta(seconds=1))
    assert [m.to for m in run_worker(app)] == [[world.partner_a.email]]


def test_mail_settings_keep_a_failed_form(world, client):
    client.login(world.admin)
    response = client.post_form("/admin/mail/settings", {
        "client_subject": "News from the practice", "digest_enabled": "y", "digest_hour": "31",
        "version": "1"})
    assert response.status_code == 200
    assert "Enter an hour from 0 to 23." in response.text
    assert 'value="News from the practice"' in response.text


def test_admins_see_how_many_messages_wait(app, world, client):
    _queue_one(world)
    client.login(world.admin)
    assert "1 message waiting to be sent" in client.get("/admin/mail/outbox").text
    run_worker(app)
    assert "0 messages waiting to be sent" in client.get("/admin/mail/outbox").text
