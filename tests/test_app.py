"""The factory, configuration, CLI and error pages (ids, page numbers and characters a
database cannot take are a 404 or a page, never a 500)."""

import pytest
from sqlalchemy import func, select

from practice import create_app
from practice.auth.models import User
from practice.config import ProductionConfig
from practice.couples.models import Couple
from practice.demo import DEMO_PASSWORD
from practice.extensions import db

from .client_steps import send
from .factories import TODAY, give, noon_in_new_york


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


HUGE = "99999999999999999999999"


@pytest.mark.parametrize("url", [
    f"/couples/{HUGE}",
    f"/couples/{HUGE}/checkins",
    f"/supervision/counselors/{HUGE}",
    f"/me/checkins/{HUGE}/2026-03-10",
    "/couples/2147483648",
])
def test_an_id_too_large_for_the_database_is_a_404_not_a_500(world, client, url):
    user = world.partner_a if url.startswith("/me") else world.admin
    client.login(user)
    assert client.get(url).status_code == 404


def test_staff_check_in_lists_survive_huge_or_silly_page_numbers(world, client):
    noon_in_new_york()
    give(world.couple, world.counselor)
    client.login(world.counselor)
    cid = world.couple.id
    for query in (f"page={HUGE}", "page=-3", "page=abc"):
        response = client.get(f"/couples/{cid}/checkins?{query}")
        assert response.status_code == 200, query
        assert client.get(f"/couples/{cid}/notes?{query}").status_code == 200
        assert client.get(f"/caseload?homework_page={HUGE}").status_code == 200


def test_a_page_past_the_end_shows_the_last_page_of_a_clients_history(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    assert send(client, aid, TODAY, reflection="Walked after dinner").status_code == 302
    for query in (f"page={HUGE}", f"shared_page={HUGE}", "page=0"):
        response = client.get(f"/me/checkins?{query}")
        assert response.status_code == 200, query
        assert "Practice empathy daily" in response.get_data(as_text=True)


def test_a_plain_403_still_shows_the_general_message(world, client):
    client.login(world.partner_a)
    page = client.get("/caseload").get_data(as_text=True)
    assert "belongs to another role" in page


def test_a_nul_in_a_url_is_a_404_and_the_refusal_is_logged_without_it(world, client):
    from practice.audit.models import AuditEntry

    noon_in_new_york()
    aid = give(world.other_couple, world.other_counselor)
    client.login(world.partner_a)
    assert client.get(f"/me/checkins/{aid}/2026%0003-10").status_code == 404
    db.session.expire_all()
    refused = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "access_refused")).one()
    assert refused.path == f"/me/checkins/{aid}/202603-10"
