"""A form sent after the session timed out is not lost: sign in again, see it, save it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from practice import clock

from .client_steps import checkin_form, checkins
from .factories import TODAY, give, noon_in_new_york

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)">')


def _send_after_timeout(client, url: str, data: dict):
    token = client.csrf_token()  # the form's token, from before the pause
    clock.advance(timedelta(minutes=45))
    return client.post(url, data={"csrf_token": token, **data})


def _sign_in_and_save(client, user, words: str):
    response = client.login(user)
    assert response.headers["Location"].endswith("/resume")
    page = client.get("/resume").get_data(as_text=True)
    assert words in page
    action = FORM_ACTION.search(page).group(1)
    fields = dict(HIDDEN.findall(page))
    return client.post(action, data=fields)


pytestmark = pytest.mark.usefixtures("session_limits")


def test_a_check_in_sent_after_a_timeout_is_saved_after_signing_in_again(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    url, data = checkin_form(client, aid, TODAY, reflection="We walked and talked for an hour")
    response = _send_after_timeout(client, url, data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert checkins() == []
    assert "what you wrote is kept" in client.get("/login").get_data(as_text=True)
    saved = _sign_in_and_save(client, world.partner_a, "We walked and talked for an hour")
    assert saved.status_code == 302
    [checkin] = checkins()
    assert checkin.reflection == "We walked and talked for an hour"


def test_a_case_note_sent_after_a_timeout_is_saved_after_signing_in_again(world, client):
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/notes"
    client.get(url)
    response = _send_after_timeout(client, url, {"note_date": "2026-03-09",
                                                 "body": "Session went deeper than usual"})
    assert "/login" in response.headers["Location"]
    saved = _sign_in_and_save(client, world.counselor, "Session went deeper than usual")
    assert saved.status_code == 302
    assert "Session went deeper than usual" in client.get(url).get_data(as_text=True)


def test_someone_else_signing_in_never_sees_the_kept_words(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    url, data = checkin_form(client, aid, TODAY, reflection="Words for my counselor only")
    _send_after_timeout(client, url, data)
    response = client.login(world.partner_b)
    assert not response.headers["Location"].endswith("/resume")
    assert client.get("/resume").status_code == 302
    assert "Words for my counselor only" not in client.get("/me").get_data(as_text=True)


def test_quick_exit_drops_the_kept_form(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    url, data = checkin_form(client, aid, TODAY, reflection="Nobody should find this")
    _send_after_timeout(client, url, data)
    client.get("/exit")
    response = client.login(world.partner_a)
    assert not response.headers["Location"].endswith("/resume")


def test_a_signed_out_session_keeps_nothing(world, client, make_client):
    """Only a timeout keeps a form: a cookie that was signed out is just refused."""
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/notes"
    token = client.csrf_token()
    client.post_form("/logout")
    response = client.post(url, data={"csrf_token": token, "note_date": "2026-03-09",
                                      "body": "Anything at all"})
    assert response.status_code == 400


def test_a_password_form_sent_after_a_timeout_is_never_kept(world, client):
    client.login(world.counselor)
    response = _send_after_timeout(client, "/account/password", {
        "current": "correct horse battery", "password": "a quiet harbour at dawn",
        "confirm": "a quiet harbour at dawn"})
    assert response.status_code == 400
    response = client.login(world.counselor)
    assert not response.headers["Location"].endswith("/resume")
