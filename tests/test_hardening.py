"""Request limits, security headers, production settings, invitation links and races, and
control characters in forms."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import create_engine, select, text

from practice import create_app
from practice.checkins.models import CaseNote
from practice.extensions import db

from .live import LiveClient, serve_demo

PUBLIC = "https://care.example.org"


def test_a_body_over_one_megabyte_gets_a_clear_413_page(client):
    response = client.post("/login", data={"email": "a@b.c", "password": "x" * 1_100_000})
    assert response.status_code == 413
    assert "up to 1 MB" in response.text


def test_headers_on_every_page(client):
    response = client.get("/login")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in development


@pytest.fixture
def production(monkeypatch, database_url):
    monkeypatch.setenv("BRIDGEWORK_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC + "/")
    monkeypatch.setenv("DATA_KEY", "a" * 43 + "=")
    return lambda: create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_production_sends_hsts_and_a_host_prefixed_session_cookie(app, production):
    prod = production()
    assert prod.config["PUBLIC_BASE_URL"] == PUBLIC
    with prod.app_context():
        response = prod.test_client().get("/login")
        db.session.remove()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-bridgework=")
    assert "Secure" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie


def test_production_refuses_to_start_without_public_base_url(production, monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL")
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        production()


def test_invitation_links_come_from_public_base_url_not_the_host_header(world, client,
                                                                         monkeypatch):
    monkeypatch.setitem(client.application.config, "PUBLIC_BASE_URL", PUBLIC)
    client.login(world.counselor)
    page = client.post_form("/couples/new", {
        "label": "Host Test", "timezone": "Europe/Paris",
        "partner1_name": "Lee Ng", "partner1_email": "lee@test.example",
    })
    assert page.status_code == 200
    assert re.search(r'value="https://care\.example\.org/invite/[^"]+"', page.text)
    assert "http://localhost/invite" not in page.text  # the request's own host


def test_control_characters_are_stripped_from_form_text_but_tabs_and_newlines_stay(world,
                                                                                    client):
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/notes", {
        "note_date": "2026-03-09", "body": "Calm\x01\x07 session\x1b[31m\tthen\r\nmore\x7f"})
    assert response.status_code == 302
    note = db.session.scalars(select(CaseNote)).one()
    assert note.body == "Calm session[31m\tthen\r\nmore\x7f"


def test_an_invitation_raced_by_several_requests_is_accepted_once():
    with serve_demo(workers=3) as server:
        assert LiveClient(server.url).request("/login")[2]["Server"] == "gunicorn"  # no version
        app = create_app({"SQLALCHEMY_DATABASE_URI": server.database_url})
        with app.app_context():
            from practice.auth.models import User
            from practice.auth.services import create_invitation
            from practice.couples.models import Partner

            partner = db.session.scalars(select(User).where(
                User.email == "partner.a@example.org")).one()
            couple = db.session.scalars(select(Partner).where(
                Partner.user_id == partner.id)).one().couple
            token = create_invitation(partner, couple, couple.counselor)
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        path = f"/invite/{token}"
        clients = [LiveClient(server.url) for _ in range(8)]
        forms = [(c, c.csrf(path)) for c in clients]
        results: list[int] = []
        start = threading.Barrier(len(forms))

        def accept(client, csrf, n):
            password = f"a quiet harbour number {n}"
            start.wait()
            results.append(client.request(path, {"csrf_token": csrf, "password": password,
                                                 "confirm": password})[0])

        threads = [threading.Thread(target=accept, args=(c, t, n))
                   for n, (c, t) in enumerate(forms)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [302] + [404] * 7
        engine = create_engine(server.database_url)
        with engine.connect() as conn:
            accepted = conn.execute(text(
                "SELECT count(*) FROM audit_log WHERE action = 'invitation_accepted'")).scalar()
        engine.dispose()
        assert accepted == 1
