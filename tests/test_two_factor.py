"""Two-factor sign-in: enrolment, the code step, replay and throttling, recovery codes, who
must use it, and the administrator's reset."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pyotp
import pytest
from sqlalchemy import Text, func, select, type_coerce

from practice import clock
from practice.admin.services import get_settings
from practice.audit.models import AuditEntry
from practice.auth.throttle import SignInFailure
from practice.auth.two_factor import TwoFactor
from practice.extensions import db

from .factories import PASSWORD

SECRET = re.compile(r'<code class="secret-key">([A-Z2-7]+)</code>')
RECOVERY = re.compile(r"<li><code>([0-9a-f]{4}(?:-[0-9a-f]{4}){3})</code></li>")


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_clock(clock.utcnow().replace(microsecond=0))
    yield
    clock.reset()


def code_now(secret: str, later: timedelta = timedelta(0)) -> str:
    """The authenticator's code at the app's clock (plus `later`)."""
    return pyotp.TOTP(secret).at((clock.utcnow() + later).replace(tzinfo=UTC))


def enrol(client) -> tuple[str, list[str]]:
    """Set up a second factor through the account pages; returns the secret and the codes."""
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    secret = SECRET.search(page.text).group(1)
    done = client.post_form("/account/two-factor", {"code": code_now(secret)})
    assert done.status_code == 200
    codes = RECOVERY.findall(done.text)
    assert len(codes) == 10
    return secret, codes


def password_step(client, user):
    return client.post_form("/login", {"email": user.email, "password": PASSWORD})


def code_step(client, code: str):
    return client.post_form("/login/code", {"code": code})


def enrolled(client, user) -> tuple[str, list[str]]:
    """`user` enrolled and signed out again."""
    client.login(user)
    secret, codes = enrol(client)
    client.post_form("/logout")
    return secret, codes


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_first_code(world, client):
    client.login(world.counselor)
    page = client.get("/account/two-factor")
    assert "<svg" in page.text
    assert "<script" not in page.text.split("<svg", 1)[1].split("</svg>")[0]
    secret = SECRET.search(page.text).group(1)
    bad = "000000" if code_now(secret) != "000000" else "111111"
    wrong = client.post_form("/account/two-factor", {"code": bad})
    assert wrong.status_code == 200
    assert "did not match" in wrong.text
    assert "Second factor" in client.get("/account/").text
    assert "Set up a second factor" in client.get("/account/").text  # not on yet
    done = client.post_form("/account/two-factor", {"code": code_now(secret)})
    assert len(set(RECOVERY.findall(done.text))) == 10
    account = client.get("/account/").text
    assert "Recovery codes left: 10" in account
    stored = db.session.scalar(select(type_coerce(TwoFactor.secret, Text)))
    assert secret not in stored  # encrypted at rest
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "two_factor_enrolled")) == 1


def test_sign_in_needs_the_code_and_the_half_signed_in_state_opens_nothing(world, client):
    secret, _codes = enrolled(client, world.counselor)
    first = password_step(client, world.counselor)
    assert first.status_code == 302
    assert first.headers["Location"].endswith("/login/code")
    for page in ("/", "/account/", "/couples/", f"/couples/{world.couple.id}"):
        response = client.get(page)
        assert response.status_code in (302, 404)
        assert "/login" in response.headers.get("Location", "/login")
    assert client.get("/login/code").status_code == 200
    clock.advance(timedelta(seconds=30))
    done = code_step(client, code_now(secret))
    assert done.status_code == 302
    assert client.get("/account/").status_code == 200


def test_the_code_step_expires(world, client):
    secret, _codes = enrolled(client, world.counselor)
    password_step(client, world.counselor)
    clock.advance(timedelta(minutes=6))
    late = code_step(client, code_now(secret))
    assert late.status_code == 302
    assert late.headers["Location"].endswith("/login")
    assert client.get("/account/").status_code == 302


def test_wrong_codes_are_refused_and_counted_by_the_throttle(world, client):
    secret, _codes = enrolled(client, world.counselor)
    password_step(client, world.counselor)
    good = code_now(secret, timedelta(seconds=30))
    wrong = "123456" if good != "123456" else "654321"
    for _ in range(5):
        refused = code_step(client, wrong)
        assert refused.status_code == 200
        assert "did not work" in refused.text
    assert db.session.scalar(select(func.count(SignInFailure.id))) == 10  # account + pair
    assert code_step(client, good).status_code == 429  # even a right code waits now
    assert client.get("/account/").status_code == 302


def test_a_code_works_once_and_only_in_its_window(world, client):
    secret, _codes = enrolled(client, world.counselor)
    clock.advance(timedelta(seconds=30))
    code = code_now(secret)
    password_step(client, world.counselor)
    assert code_step(client, code).status_code == 302
    client.post_form("/logout")
    password_step(client, world.counselor)
    replay = code_step(client, code)
    assert replay.status_code == 200  # the same code again: refused
    old = code_now(secret, timedelta(seconds=-120))
    assert code_step(client, old).status_code == 200  # outside its window
    clock.advance(timedelta(seconds=30))
    assert code_step(client, code_now(secret)).status_code == 302


def test_a_recovery_code_works_once(world, client):
    _secret, codes = enrolled(client, world.counselor)
    password_step(client, world.counselor)
    assert code_step(client, codes[0].upper()).status_code == 302
    assert "Recovery codes left: 9" in client.get("/account/").text
    client.post_form("/logout")
    password_step(client, world.counselor)
    assert code_step(client, codes[0]).status_code == 200
    assert code_step(client, codes[1]).status_code == 302


def test_admins_and_supervisors_must_enrol_where_it_is_required(app, world, client,
                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED", True)
    client.login(world.admin)
    sent = client.get("/admin/")
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith("/account/two-factor")
    assert client.post_form(f"/admin/staff/{world.counselor.id}/sessions/end").status_code == 403
    enrol(client)
    assert client.get("/admin/").status_code == 200
    other = client.application.test_client()
    other.login(world.supervisor)
    assert other.get("/").headers["Location"].endswith("/account/two-factor")
    # Counselors only when the practice setting says so.
    third = client.application.test_client()
    third.login(world.counselor)
    assert third.get("/account/").status_code == 200


def test_the_practice_setting_makes_counselors_enrol(world, client):
    get_settings().counselors_two_factor = True
    db.session.commit()
    client.login(world.counselor)
    assert client.get("/").headers["Location"].endswith("/account/two-factor")
    page = client.get("/account/two-factor")
    assert "needs a second factor" in page.text
    partner = client.application.test_client()
    partner.login(world.partner_a)  # clients only ever choose it
    assert partner.get("/account/").status_code == 200


def test_development_and_demo_defaults_sign_staff_in_with_the_password_alone(app, world, client):
    assert app.config["TWO_FACTOR_REQUIRED"] is False
    assert get_settings().counselors_two_factor is False
    db.session.commit()
    for person in (world.admin, world.supervisor, world.counselor):
        fresh = client.application.test_client()
        fresh.login(person)
        assert fresh.get("/account/").status_code == 200


def test_the_demo_leaves_the_second_factor_optional(app, ctx):
    from practice.config import DevelopmentConfig, ProductionConfig
    from practice.demo import seed_demo

    assert ProductionConfig.TWO_FACTOR_REQUIRED
    assert ProductionConfig.TWO_FACTOR_DEFAULT
    assert not DevelopmentConfig.TWO_FACTOR_REQUIRED
    assert not DevelopmentConfig.TWO_FACTOR_DEFAULT
    seed_demo()
    assert get_settings().counselors_two_factor is False


def test_an_admin_resets_a_staff_members_second_factor_and_it_is_audited(world, client):
    enrolled(client, world.counselor)
    admin = client.application.test_client()
    admin.login(world.admin)
    assert "Reset second factor" in admin.get("/admin/").text
    assert admin.post_form(f"/admin/staff/{world.counselor.id}/two-factor/reset").status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "two_factor_reset"))
    assert entry is not None
    assert entry.object_id == world.counselor.id
    assert entry.actor_id == world.admin.id
    client.login(world.counselor)  # the password alone again (the setting is off)
    assert client.get("/account/").status_code == 200
    # Nobody else may reset it.
    supervisor = client.application.test_client()
    supervisor.login(world.supervisor)
    assert supervisor.post_form(
        f"/admin/staff/{world.counselor.id}/two-factor/reset").status_code == 403


def test_clients_may_enrol_and_then_sign_in_with_a_code(world, client):
    client.login(world.partner_a)
    assert client.get("/account/").status_code == 200
    secret, _codes = enrol(client)
    client.post_form("/logout")
    assert password_step(client, world.partner_a).headers["Location"].endswith("/login/code")
    clock.advance(timedelta(seconds=30))
    assert code_step(client, code_now(secret)).status_code == 302
    assert client.get("/account/").status_code == 200
