"""One password policy for every form that sets a password, and changing one's password."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from practice.admin.services import get_settings
from practice.auth.passwords import COMMON_FILE, common_passwords, password_problem
from practice.auth.services import create_invitation
from practice.extensions import db

from .factories import PASSWORD

GOOD = "a quiet harbour at dawn"


def test_the_common_password_list_ships_with_the_package():
    assert COMMON_FILE.parent.name == "auth"
    assert COMMON_FILE.parent.parent.name == "practice"
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("weak", [
    "password1234", "123456789012", "aaaaaaaaaaaa", "abcdefghijkl", "qwertyuiop123",
    "210987654321", "!!password!!",
])
def test_predictable_passwords_are_refused(weak):
    assert password_problem(weak) is not None


def test_the_email_and_the_practice_name_are_refused():
    assert "email" in password_problem("jo.rivera@example.org!", "Jo.Rivera@example.org")
    assert "email" in password_problem("my name is jo.rivera", "jo.rivera@example.org")
    assert "practice" in password_problem("Harbour Counseling 2026", None, "Harbour Counseling")
    assert password_problem(GOOD, "jo.rivera@example.org", "Harbour Counseling") is None


def test_every_form_that_sets_a_password_uses_the_policy(world, make_client):
    get_settings().name = "Harbour Counseling"
    token = create_invitation(world.partner_a, world.couple, world.counselor)
    db.session.commit()
    weak = world.partner_a.email + "x"
    invited = make_client()
    page = invited.post_form(f"/invite/{token}", {"password": weak, "confirm": weak})
    assert page.status_code == 200
    assert "does not contain your email address" in page.text
    admin = make_client()
    admin.login(world.admin)
    page = admin.post_form("/admin/staff/new", {
        "display_name": "New Person", "email": "new.person@test.example", "role": "counselor",
        "password": "harbour counseling rocks"})
    assert page.status_code == 200
    assert "practice&#39;s name" in page.text
    assert 'value="new.person@test.example"' in page.text  # the form keeps its input
    page = admin.post_form("/account/password", {
        "current": PASSWORD, "password": "password1234", "confirm": "password1234"})
    assert "attackers try first" in page.text


def test_create_admin_uses_the_policy(app, ctx):
    result = app.test_cli_runner().invoke(args=[
        "create-admin", "--email", "boss@test.example", "--password", "password1234"])
    assert result.exit_code != 0
    assert "attackers try first" in result.output


@pytest.mark.parametrize("role", ["partner_a", "counselor", "supervisor", "admin"])
def test_everyone_changes_their_password_and_other_devices_sign_out(world, make_client, role):
    user = world.user(role)
    here, elsewhere = make_client(), make_client()
    here.login(user)
    elsewhere.login(user)
    wrong = here.post_form("/account/password", {
        "current": "not my password", "password": GOOD, "confirm": GOOD})
    assert wrong.status_code == 200
    assert "not your current password" in wrong.text
    done = here.post_form("/account/password", {
        "current": PASSWORD, "password": GOOD, "confirm": GOOD})
    assert done.status_code == 302
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302
    assert make_client().post_form("/login", {"email": user.email, "password": PASSWORD}
                                   ).status_code == 200
    make_client().login(user, GOOD)


def test_an_overlong_password_is_refused_before_hashing(world, client, monkeypatch):
    calls = []
    real_verify = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify",
                        lambda self, *args: calls.append(1) or real_verify(self, *args))
    page = client.post_form("/login", {"email": world.counselor.email, "password": "x" * 100_000})
    assert page.status_code == 200
    assert calls == []
    client.login(world.counselor)
    assert calls == [1]
