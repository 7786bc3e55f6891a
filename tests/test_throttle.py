"""Sign-in throttling: by account (from any address) and by address and account together."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from practice import clock
from practice.audit.models import AuditEntry
from practice.auth.throttle import SignInFailure
from practice.extensions import db

from .factories import PASSWORD
from .live import LiveClient, serve_demo

WRONG = "not the password at all"


def _try(client, email: str, password: str = WRONG, address: str = "198.51.100.7"):
    return client.post_form("/login", {"email": email, "password": password},
                            environ_base={"REMOTE_ADDR": address})


def _plain(page: str, email: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", page.replace(email, "E"))


def test_after_five_failures_the_account_waits_longer_and_longer(world, client):
    clock.set_clock(clock.utcnow())
    email = world.counselor.email
    assert [_try(client, email).status_code for _ in range(5)] == [200] * 5
    refused = _try(client, email, PASSWORD)
    assert refused.status_code == 429
    assert "wait 1 minute" in refused.text
    clock.advance(timedelta(seconds=3))
    assert _try(client, email).status_code == 200  # the sixth failure: the wait doubles
    clock.advance(timedelta(seconds=3))
    assert _try(client, email, PASSWORD).status_code == 429
    clock.advance(timedelta(seconds=2))
    assert _try(client, email, PASSWORD).status_code == 302


def test_failures_from_many_addresses_add_up_on_the_account(world, client):
    email = world.counselor.email
    for n in range(5):
        assert _try(client, email, address=f"203.0.113.{n}").status_code == 200
    assert _try(client, email, PASSWORD, address="203.0.113.99").status_code == 429


def test_at_most_a_hundred_failures_an_hour_for_one_account(app, world, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_DELAY_SECONDS", 0)
    clock.set_clock(clock.utcnow())
    email = world.counselor.email
    for n in range(100):
        assert _try(client, email, address=f"10.0.{n // 250}.{n % 250}").status_code == 200
        clock.advance(timedelta(seconds=1))
    assert _try(client, email, PASSWORD, address="10.9.9.9").status_code == 429
    clock.advance(timedelta(minutes=50))
    assert _try(client, email, PASSWORD, address="10.9.9.9").status_code == 429
    clock.advance(timedelta(minutes=11))
    assert _try(client, email, PASSWORD, address="10.9.9.9").status_code == 302


def test_other_accounts_failing_from_the_same_address_never_refuse_a_right_password(world,
                                                                                   make_client):
    attacker, colleague = make_client(), make_client()
    for _ in range(12):
        _try(attacker, world.other_counselor.email)
        _try(attacker, "nobody@test.example")
    assert _try(attacker, world.other_counselor.email, PASSWORD).status_code == 429
    assert _try(colleague, world.counselor.email, PASSWORD).status_code == 302


def test_the_audit_names_the_targeted_account_but_the_answer_does_not(world, make_client):
    known = _try(make_client(), world.counselor.email)
    unknown = _try(make_client(), "nobody@test.example")
    assert _plain(known.text, world.counselor.email) == _plain(unknown.text,
                                                                "nobody@test.example")
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "login_failed").order_by(AuditEntry.id)
    ).all()
    assert [(e.object_type, e.object_id) for e in entries] == [
        ("user", world.counselor.id), ("user", None)]
    for _ in range(4):
        _try(make_client(), world.counselor.email)
    _try(make_client(), world.counselor.email, PASSWORD)
    db.session.expire_all()
    refusal = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (refusal.action, refusal.detail, refusal.object_id) == (
        "access_refused", "sign-in throttled", world.counselor.id)


def test_a_right_password_clears_the_count(world, client):
    email = world.counselor.email
    for _ in range(4):
        _try(client, email)
    _try(client, email, PASSWORD)
    other = client.application.test_client()
    for _ in range(4):
        assert _try(other, email).status_code == 200


def test_the_count_lives_in_redis_when_it_is_set(world, redis_app):
    first, second = redis_app.test_client(), redis_app.test_client()
    for _ in range(5):
        assert _try(first, world.counselor.email).status_code == 200
    assert _try(second, world.counselor.email, PASSWORD).status_code == 429
    assert _try(second, world.admin.email, PASSWORD).status_code == 302
    assert db.session.scalar(select(func.count(SignInFailure.id))) == 0


def test_the_throttle_holds_across_gunicorn_workers():
    with serve_demo(workers=3, LOGIN_DELAY_SECONDS="60") as server:
        statuses = []
        for _ in range(5):
            statuses.append(LiveClient(server.url).login("counselor@example.org",
                                                         "wrong password here")[0])
        assert statuses == [200] * 5
        for _ in range(4):  # whichever worker answers
            assert LiveClient(server.url).login("counselor@example.org")[0] == 429
        assert LiveClient(server.url).login("counselor2@example.org")[0] == 302
