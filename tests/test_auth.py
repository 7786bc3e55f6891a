"""Sign-in, sign-out, role landing, CSRF and the `next` redirect."""

import pytest

from practice.audit.models import AuditEntry
from practice.auth.routes import LOGIN_ERROR, safe_next
from practice.extensions import db

from .factories import PASSWORD


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.text
    assert 'autocomplete="current-password"' in response.text


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("partner_a", "/me"),
        ("counselor", "/caseload"),
        ("supervisor", "/team"),
        ("admin", "/admin/"),
    ],
)
def test_each_role_lands_on_its_home(world, make_client, role, home):
    client = make_client()
    client.login(world.user(role))
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(home)
    assert client.get(home).status_code == 200


def test_email_is_case_insensitive(world, client):
    response = client.post_form(
        "/login", {"email": world.counselor.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302


def test_one_message_for_unknown_email_and_wrong_password(world, make_client):
    wrong_password = make_client().post_form(
        "/login", {"email": world.counselor.email, "password": "not the password at all"}
    )
    unknown_email = make_client().post_form(
        "/login", {"email": "nobody@nowhere.example", "password": "not the password at all"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert LOGIN_ERROR in wrong_password.text
    assert LOGIN_ERROR in unknown_email.text
    # The typed email is kept.
    assert world.counselor.email in wrong_password.text


def test_deactivated_account_cannot_sign_in(world, client):
    world.counselor.active = False
    db.session.commit()
    response = client.post_form("/login", {"email": world.counselor.email, "password": PASSWORD})
    assert response.status_code == 200
    assert LOGIN_ERROR in response.text


def test_deactivation_ends_an_open_session(world, client):
    client.login(world.counselor)
    assert client.get("/caseload").status_code == 200
    world.counselor.active = False
    db.session.commit()
    response = client.get("/caseload")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_without_csrf_token_is_refused(world, client):
    response = client.post("/login", data={"email": world.counselor.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.text


def test_logout_requires_csrf_and_post(world, client):
    client.login(world.counselor)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/caseload").status_code == 200
    response = client.post_form("/logout")
    assert response.status_code == 302
    assert client.get("/caseload").status_code == 302


def test_next_redirect_is_followed_within_the_site(world, client):
    response = client.post_form(
        "/login?next=/couples/new", {"email": world.counselor.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/couples/new"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_next_redirect_refuses_other_sites(world, client, target):
    assert safe_next(target) is None
    response = client.post_form(
        f"/login?next={target}", {"email": world.counselor.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_login_required_pages_redirect_with_next(client):
    response = client.get("/caseload")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_login_and_failures_are_audited(world, client):
    client.post_form("/login", {"email": world.counselor.email, "password": "wrong password!!"})
    client.login(world.counselor)
    client.post_form("/logout")
    db.session.expire_all()
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions == ["login_failed", "login", "logout"]


def test_pages_are_not_cached(world, client):
    client.login(world.partner_a)
    response = client.get("/me")
    assert response.headers["Cache-Control"] == "no-store"


def test_repeated_sign_in_attempts_are_slowed_down(app, world, make_client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FREE_FAILURES", 3)
    client = make_client()
    statuses = [
        client.post_form("/login", {"email": world.counselor.email, "password": "wrong guess!!"})
        .status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert "too many unsuccessful attempts" in client.post_form(
        "/login", {"email": world.counselor.email, "password": PASSWORD}
    ).text
