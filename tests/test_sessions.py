"""Server-side sessions: the cookie is only a key, and a session ended on the server stays ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from practice import clock
from practice.auth.sessions import UserSession, describe_device
from practice.config import ProductionConfig
from practice.extensions import db

from .live import LiveClient, serve_demo

COOKIE = "bridgework_session"


def _cookie(client) -> str | None:
    cookie = client.get_cookie(COOKIE)
    return cookie.value if cookie else None


def _replay(make_client, value: str):
    thief = make_client()
    thief.set_cookie(COOKIE, value)
    return thief


def _sessions_of(user) -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
    )


pytestmark = pytest.mark.usefixtures("session_limits")


def test_the_cookie_carries_only_a_random_key(world, client):
    client.login(world.partner_a)
    value = _cookie(client)
    assert value
    assert "." not in value
    assert len(value) >= 40
    assert _sessions_of(world.partner_a) == 1
    assert db.session.scalar(select(UserSession.key_hash)) != value  # only a hash is stored


def test_signing_in_gives_a_new_key(world, client):
    client.get("/login")
    before = _cookie(client)
    client.login(world.partner_a)
    assert _cookie(client) != before


@pytest.mark.parametrize("leave", ["logout", "exit"])
def test_a_cookie_copied_before_leaving_opens_nothing_afterwards(world, client, make_client,
                                                                  leave):
    client.login(world.partner_a)
    assert client.get("/me").status_code == 200
    copied = _cookie(client)
    token = client.csrf_token()
    if leave == "logout":
        client.post_form("/logout")
    else:
        client.get("/exit")
    thief = _replay(make_client, copied)
    response = thief.get("/me")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    response = thief.post("/account/sessions/end-others", data={"csrf_token": token})
    assert response.status_code in (302, 400)
    assert "/account" not in response.headers.get("Location", "")
    assert _sessions_of(world.partner_a) == 0


def test_an_idle_session_expires(world, client):
    client.login(world.counselor)
    clock.advance(timedelta(minutes=25))
    assert client.get("/caseload").status_code == 200  # activity keeps it going
    clock.advance(timedelta(minutes=25))
    assert client.get("/caseload").status_code == 200
    clock.advance(timedelta(minutes=31))
    response = client.get("/caseload")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_activity_never_extends_the_absolute_limit(world, client):
    client.login(world.counselor)
    for _ in range(int(12 * 60 / 25)):
        clock.advance(timedelta(minutes=25))
        assert client.get("/caseload").status_code == 200
    clock.advance(timedelta(minutes=25))
    response = client.get("/caseload")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_people_see_their_sessions_and_can_end_one(world, make_client):
    phone, laptop = make_client(), make_client()
    phone.login(world.partner_a)
    laptop.login(world.partner_a)
    page = laptop.get("/account/")
    assert page.status_code == 200
    assert page.text.count("End this session") == 1  # the other one; not this device
    handle = db.session.scalar(
        select(UserSession.key_hash).where(UserSession.user_id == world.partner_a.id)
        .order_by(UserSession.id).limit(1)
    )
    assert laptop.post_form(f"/account/sessions/{handle}/end").status_code == 302
    assert phone.get("/me").status_code == 302
    assert laptop.get("/me").status_code == 200


def test_nobody_ends_someone_elses_session(world, make_client):
    victim, other = make_client(), make_client()
    victim.login(world.partner_a)
    other.login(world.partner_b)
    handle = db.session.scalar(
        select(UserSession.key_hash).where(UserSession.user_id == world.partner_a.id)
    )
    assert other.post_form(f"/account/sessions/{handle}/end").status_code == 404
    assert victim.get("/me").status_code == 200


def test_sign_out_everywhere_else_keeps_this_session(world, make_client):
    first, second, third = make_client(), make_client(), make_client()
    for client in (first, second, third):
        client.login(world.counselor)
    assert third.post_form("/account/sessions/end-others").status_code == 302
    assert first.get("/caseload").status_code == 302
    assert second.get("/caseload").status_code == 302
    assert third.get("/caseload").status_code == 200


def test_deactivation_and_the_admins_end_sessions_sign_the_person_out(world, make_client):
    admin, counselor, other = make_client(), make_client(), make_client()
    admin.login(world.admin)
    counselor.login(world.counselor)
    other.login(world.other_counselor)
    admin.post_form(f"/admin/staff/{world.counselor.id}/sessions/end")
    assert counselor.get("/caseload").status_code == 302
    # They hold a couple: deactivating goes through the handover (issue 14), which ends it.
    start = admin.post_form(f"/admin/staff/{world.other_counselor.id}/active", {"active": "0"})
    handover = f"/admin/staff/{world.other_counselor.id}/handover"
    assert start.headers["Location"].endswith(handover)
    assert other.get("/caseload").status_code == 200  # not yet deactivated
    admin.post_form(handover, {"all_to": str(world.counselor.id), "reason": "Leaving",
                               "confirmed": "1"})
    assert other.get("/caseload").status_code == 302
    assert _sessions_of(world.other_counselor) == 0


def test_production_uses_a_host_prefixed_cookie():
    assert ProductionConfig.SESSION_COOKIE_NAME == "__Host-bridgework"


def test_device_names_are_plain():
    assert describe_device("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1") == \
        "Safari on iPhone"
    assert describe_device(None) == "A browser on an unknown system"


def test_sessions_live_in_redis_when_it_is_set(app, world, redis_app):
    first, second = redis_app.test_client(), redis_app.test_client()
    first.login(world.partner_a)
    second.login(world.partner_a)
    assert _sessions_of(world.partner_a) == 0  # nothing in the database
    copied = _cookie(first)
    assert second.get("/account/").text.count("End this session") == 1
    assert second.post_form("/account/sessions/end-others").status_code == 302
    thief = redis_app.test_client()
    thief.set_cookie(COOKIE, copied)
    assert thief.get("/me").status_code == 302
    assert second.get("/me").status_code == 200
    clock.advance(timedelta(minutes=31))
    assert second.get("/me").status_code == 302


def test_a_replayed_cookie_is_refused_by_every_gunicorn_worker():
    with serve_demo() as server:
        url = server.url
        person = LiveClient(url)
        assert person.login("partner.a@example.org")[0] == 302
        assert person.request("/me")[0] == 200
        token = person.csrf("/account/")
        copied = person.cookies()
        assert person.post_form("/logout", {}, form_page="/me")[0] == 302
        thief = LiveClient(url)
        thief.replace_cookies(copied)
        for _ in range(6):  # whichever worker answers
            status, _text, headers = thief.request("/me")
            assert status == 302
            assert "/login" in headers["Location"]
            status, _text, headers = thief.request("/account/sessions/end-others",
                                                   {"csrf_token": token})
            assert status in (302, 400)
            assert "/account" not in headers.get("Location", "")
