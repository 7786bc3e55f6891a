"""A partner sets their own password through a single-use link that expires after 72 hours."""

import re
from datetime import timedelta

from practice import clock
from practice.auth.services import create_invitation
from practice.couples.services import add_partner
from practice.extensions import db

from .factories import make_couple


def _invite(world, email="new.partner@test.example"):
    couple = make_couple(world.other_counselor, partners=0)
    world.extra["couple"] = couple
    user = add_partner(couple, email, "New Partner")
    token = create_invitation(user, couple, world.other_counselor)
    db.session.commit()
    return user, token


def test_invitation_sets_password_and_signs_in(world, client):
    user, token = _invite(world)
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200
    assert "New Partner" in page.text
    response = client.post_form(
        f"/invite/{token}", {"password": "a long enough secret", "confirm": "a long enough secret"}
    )
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    fresh = type(client)(client.application, client.response_wrapper)
    fresh.login(user.email, "a long enough secret")


def test_invitation_is_single_use(world, make_client):
    _, token = _invite(world)
    make_client().post_form(
        f"/invite/{token}", {"password": "a long enough secret", "confirm": "a long enough secret"}
    )
    again = make_client().get(f"/invite/{token}")
    assert again.status_code == 404
    assert "no longer works" in again.text


def test_invitation_expires_after_72_hours(world, client):
    _, token = _invite(world)
    clock.advance(timedelta(hours=71, minutes=59))
    assert client.get(f"/invite/{token}").status_code == 200
    clock.advance(timedelta(minutes=2))
    assert client.get(f"/invite/{token}").status_code == 404
    response = client.post_form(
        f"/invite/{token}", {"password": "a long enough secret", "confirm": "a long enough secret"}
    )
    assert response.status_code == 404


def test_a_new_link_replaces_the_old_one(world, client):
    user, old = _invite(world)
    new = create_invitation(user, world.extra["couple"], world.other_counselor)
    db.session.commit()
    assert client.get(f"/invite/{old}").status_code == 404
    assert client.get(f"/invite/{new}").status_code == 200


def test_unknown_token_is_404(client, world):
    assert client.get("/invite/not-a-real-token").status_code == 404


def test_password_rules(world, client):
    _, token = _invite(world)
    short = client.post_form(f"/invite/{token}", {"password": "short", "confirm": "short"})
    assert short.status_code == 200
    assert "between 12 and 64" in short.text
    long = "x" * 65
    assert "between 12 and 64" in client.post_form(
        f"/invite/{token}", {"password": long, "confirm": long}
    ).text
    mismatch = client.post_form(
        f"/invite/{token}", {"password": "a long enough secret", "confirm": "another long one"}
    )
    assert "do not match" in mismatch.text
    # No composition rules: 64 plain lowercase letters in words are accepted.
    ok = ("lantern harbour meadow " * 3)[:64]
    assert client.post_form(f"/invite/{token}", {"password": ok, "confirm": ok}).status_code == 302


def test_counselor_creates_couple_and_sees_links(world, client):
    client.login(world.counselor)
    response = client.post_form(
        "/couples/new",
        {
            "label": "Ng & Ortiz",
            "timezone": "Europe/Paris",
            "partner1_name": "Lee Ng",
            "partner1_email": "lee@test.example",
            "partner2_name": "Sol Ortiz",
            "partner2_email": "sol@test.example",
        },
    )
    assert response.status_code == 200
    links = re.findall(r'value="(http://localhost/invite/[^"]+)"', response.text)
    assert len(links) == 2
    partner = type(client)(client.application, client.response_wrapper)
    path = links[0].removeprefix("http://localhost")
    assert partner.get(path).status_code == 200


def _invitations() -> int:
    from practice.auth.models import Invitation

    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Invitation.id)))


def test_no_invitation_link_is_made_for_a_partner_who_already_has_a_password(world, client):
    before = _invitations()
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/partners/{world.partner_a.id}/invite"
    response = client.post_form(url)
    assert response.status_code == 302
    assert _invitations() == before  # a link would let its holder replace the password
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "has already set a password" in page


def test_a_partner_who_has_not_accepted_yet_still_gets_a_new_link(world, client):
    from practice.couples.services import add_partner

    couple = make_couple(world.counselor, partners=1)
    pending = add_partner(couple, "pending@test.example", "Pending Partner")
    db.session.commit()
    before = _invitations()
    client.login(world.counselor)
    response = client.post_form(f"/couples/{couple.id}/partners/{pending.id}/invite")
    assert response.status_code == 200
    assert "/invite/" in response.get_data(as_text=True)
    assert _invitations() == before + 1
