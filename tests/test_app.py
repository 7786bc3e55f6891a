"""The factory, configuration, CLI and error pages."""

import pytest
from sqlalchemy import func, select

from practice import create_app
from practice.auth.models import User
from practice.config import ProductionConfig
from practice.couples.models import Couple
from practice.demo import DEMO_PASSWORD
from practice.extensions import db


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://care.example.org")
    monkeypatch.setenv("DATA_KEY", "a" * 43 + "=")
    app = create_app(ProductionConfig)
    assert app.config["SECRET_KEY"] == "x" * 64
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_seed_demo_is_idempotent(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert "Demo practice loaded" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "already there" in second.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Couple)) >= 11
    roles = dict(db.session.execute(select(User.email, User.role)).all())
    assert roles["admin@example.org"] == "admin"
    assert roles["supervisor@example.org"] == "supervisor"
    assert roles["partner.a@example.org"] == "client"
    logins = runner.invoke(args=["demo-logins"])
    assert "partner.b@example.org" in logins.output


@pytest.mark.parametrize(
    ("email", "home"),
    [
        ("admin@example.org", "/admin/"),
        ("supervisor@example.org", "/team"),
        ("counselor@example.org", "/caseload"),
        ("counselor2@example.org", "/caseload"),
        ("partner.a@example.org", "/me"),
        ("partner.b@example.org", "/me"),
    ],
)
def test_demo_logins_reach_their_home(app, ctx, make_client, email, home):
    app.test_cli_runner().invoke(args=["seed-demo"])
    client = make_client()
    client.login(email, DEMO_PASSWORD)
    response = client.get("/")
    assert response.headers["Location"].endswith(home)
    assert client.get(home).status_code == 200


def test_demo_partners_share_a_couple(app, ctx):
    app.test_cli_runner().invoke(args=["seed-demo"])
    a = db.session.scalar(select(User).where(User.email == "partner.a@example.org"))
    b = db.session.scalar(select(User).where(User.email == "partner.b@example.org"))
    couple = db.session.scalar(select(Couple).where(Couple.label == "Rivera & Chen"))
    assert {p.user_id for p in couple.partners} == {a.id, b.id}
    assert couple.counselor.email == "counselor@example.org"


def test_seed_demo_refused_in_production(app, ctx, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refused in production" in result.output


def test_create_admin(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin"], input="boss@test.example\nlong enough pass\nlong enough pass\n"
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@test.example"))
    assert user.role == "admin"
    short = runner.invoke(args=["create-admin", "--email", "x@test.example", "--password", "short"])
    assert short.exit_code != 0
    assert "12 and 64" in short.output


def test_error_pages_use_the_layout(world, client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert 'class="site-header"' in response.text
    client.login(world.partner_a)
    forbidden = client.get("/caseload")
    assert forbidden.status_code == 403
    assert "another role" in forbidden.text
    assert client.get("/logout").status_code == 405


def test_unexpected_errors_render_500(app, world, client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("practice.main.routes.visible_couples", boom)
    client.login(world.counselor)
    response = client.get("/caseload")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "boom" not in response.text
