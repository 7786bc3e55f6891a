"""Issue 13, point 8: first use. After setting a password a client sees a short welcome, once,
and can skip it; the practice's phone and crisis line are tap-to-call where clients look."""

from __future__ import annotations

import pytest

from practice.admin.services import get_settings
from practice.auth.services import create_invitation
from practice.extensions import db

PASSWORD = "a long enough secret"


def _accept(world, client):
    token = create_invitation(world.partner_a, world.couple, world.counselor)
    db.session.commit()
    return client.post_form(f"/invite/{token}", {"password": PASSWORD, "confirm": PASSWORD})


def test_setting_a_password_opens_the_welcome(world, client):
    response = _accept(world, client)
    assert response.headers["Location"] == "/me/welcome/1"
    first = client.get("/me/welcome/1").get_data(as_text=True)
    assert "Your password is set." in first
    assert "1 of 3" in first
    who = client.get("/me/welcome/2").get_data(as_text=True)
    assert "Who reads what" in who
    last = client.get("/me/welcome/3").get_data(as_text=True)
    assert "Quick exit" in last
    assert "reminders" in last
    assert 'href="/me/reminders"' in last  # the welcome points at the reminders page
    assert client.get("/me/welcome/4").status_code == 404


@pytest.mark.parametrize("step", [1, 3])
def test_skipping_or_finishing_means_never_again(world, client, step):
    _accept(world, client)
    client.get(f"/me/welcome/{step}")
    done = client.post_form("/me/welcome/done")
    assert done.headers["Location"] == "/me"
    again = client.get("/me/welcome/1")
    assert again.status_code == 302
    assert again.headers["Location"] == "/me"


def test_signing_in_later_goes_home_not_to_the_welcome(world, client):
    client.login(world.partner_a)
    assert client.get("/me/welcome/1").headers["Location"] == "/me"


def test_practice_numbers_are_tap_to_call_on_the_home_and_the_help_page(world, client):
    settings = get_settings()
    settings.practice_phone = "+44 20 7946 0000"
    settings.crisis_line_text = "Crisis line, any time"
    settings.crisis_line_phone = "116 123"
    db.session.commit()
    client.login(world.partner_a)
    for url in ("/me", "/me/safety"):
        page = client.get(url).get_data(as_text=True)
        assert 'href="tel:+442079460000">+44 20 7946 0000</a>' in page, url
        assert 'Crisis line, any time: <a class="tel" href="tel:116123">116 123</a>' in page, url


def test_no_numbers_no_lines(world, client):
    client.login(world.partner_a)
    page = client.get("/me").get_data(as_text=True)
    assert "Call the practice:" not in page
    assert "Crisis line" not in page


def test_admin_sets_the_numbers_and_a_bad_one_is_refused_keeping_input(world, client):
    client.login(world.admin)
    settings = get_settings()
    db.session.commit()
    kept = ("name", "default_timezone", "checkin_expiry_days", "urgent_ack_hours",
            "high_ack_hours", "emergency_number", "hotline_name", "hotline_phone",
            "contact_text")
    data = {name: str(getattr(settings, name)) for name in kept}
    data.update(version=settings.version, practice_phone="call me maybe",
                crisis_line_text="Crisis line", crisis_line_phone="", app_name="Garden",
                app_icon="sun")
    bad = client.post_form("/admin/settings", data)
    assert bad.status_code == 200
    assert "Enter a phone number" in bad.text
    assert "Give the crisis line" in bad.text
    assert 'value="Garden"' in bad.text
    good = {**data, "practice_phone": "020 7946 0000", "crisis_line_phone": "116 123"}
    assert client.post_form("/admin/settings", good).status_code == 302
    db.session.expire_all()
    saved = get_settings()
    assert (saved.practice_phone, saved.crisis_line_phone, saved.app_name, saved.app_icon) == (
        "020 7946 0000", "116 123", "Garden", "sun")
