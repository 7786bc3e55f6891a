"""Forgot your password: a hashed, single-use link by e-mail that works for 30 minutes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from practice import clock
from practice.extensions import db
from practice.password_reset import services
from practice.password_reset.models import PasswordReset

from .factories import PASSWORD
from .mail_helpers import link_in, outbox_rows, run_worker

NEW = "a brand new passphrase"


def _ask(client, email):
    return client.post_form("/login/forgot", {"email": email})


def _reset_link(app, client, user) -> str:
    _ask(client, user.email)
    (message,) = run_worker(app)
    assert message.to == [user.email]
    return link_in(message, "/login/reset/")


def test_sign_in_page_offers_a_reset(client):
    page = client.get("/login")
    assert 'href="/login/forgot"' in page.text
    assert "Forgot your password?" in page.text


def test_the_answer_is_the_same_whether_or_not_the_address_exists(app, world, client):
    known = _ask(client, world.partner_a.email)
    unknown = _ask(client, "nobody@test.example")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert [r.to_address for r in outbox_rows(kind="password_reset")] == [world.partner_a.email]


def test_an_invalid_address_keeps_what_was_typed(client):
    page = _ask(client, "not an address")
    assert "Enter a valid email address." in page.text
    assert 'value="not an address"' in page.text


def test_the_link_sets_a_new_password_once(app, world, client, make_client):
    path = _reset_link(app, client, world.partner_a)
    token = path.rsplit("/", 1)[1]
    stored = db.session.scalars(select(PasswordReset.token_hash)).all()
    assert token not in stored, "only the token's hash is stored"
    visitor = make_client()
    assert world.partner_a.email in visitor.get(path).text
    done = visitor.post_form(path, {"password": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/login")
    assert make_client().get(path).status_code == 404, "single use"
    assert make_client().post_form(
        "/login", {"email": world.partner_a.email, "password": PASSWORD}).status_code == 200
    make_client().login(world.partner_a, NEW)


def test_the_link_expires_after_30_minutes(app, world, client, make_client):
    clock.set_clock(clock.utcnow())
    path = _reset_link(app, client, world.counselor)
    clock.advance(timedelta(minutes=29))
    assert make_client().get(path).status_code == 200
    clock.advance(timedelta(minutes=2))
    assert make_client().get(path).status_code == 404
    refused = make_client().post_form(path, {"password": NEW, "confirm": NEW})
    assert refused.status_code == 404
    assert "no longer works" in refused.text


def test_a_reset_ends_every_other_link_and_every_session(app, world, client, make_client):
    elsewhere = make_client()
    elsewhere.login(world.supervisor)
    assert elsewhere.get("/team").status_code == 200
    first = _reset_link(app, client, world.supervisor)
    second = _reset_link(app, client, world.supervisor)
    assert make_client().post_form(second, {"password": NEW, "confirm": NEW}).status_code == 302
    assert make_client().get(first).status_code == 404
    signed_out = elsewhere.get("/team")
    assert signed_out.status_code == 302
    assert "/login" in signed_out.headers["Location"]


def test_a_mismatched_password_says_what_to_fix(app, world, client, make_client):
    path = _reset_link(app, client, world.partner_b)
    page = make_client().post_form(path, {"password": NEW, "confirm": NEW + "x"})
    assert page.status_code == 200
    assert "The two passwords do not match." in page.text


def test_deactivated_accounts_get_no_link(app, world, client):
    world.other_counselor.active = False
    db.session.commit()
    _ask(client, world.other_counselor.email)
    assert outbox_rows() == []


def test_a_flood_of_requests_mails_at_most_five_links_an_hour(app, world, client):
    for _ in range(8):
        _ask(client, world.partner_a.email)
    assert len(outbox_rows(kind="password_reset")) == services.MAX_PER_HOUR


def test_unknown_tokens_are_404(client):
    assert client.get("/login/reset/not-a-token").status_code == 404
    assert client.get("/login/reset/" + "x" * 300).status_code == 404
