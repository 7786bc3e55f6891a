"""Issue 13, point 5: reveal-together as a moment. The first to answer waits, with no hint of
the partner; once both have answered, each sees both shared answers side by side, right after
sending and on the check-in's page."""

from __future__ import annotations

import re

from sqlalchemy import select

from practice.checkins.models import CheckIn
from practice.extensions import db
from tests.client_steps import send
from tests.factories import TODAY, give, noon_in_new_york

CSRF = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')
WAITING = "Waiting for your partner"
SIDE_BY_SIDE = "Your answers, side by side"


def _goals(world) -> int:
    noon_in_new_york()
    return give(world.couple, world.counselor, slug="shared-goals", cadence="once", start=TODAY)


def _own(user_id: int) -> CheckIn:
    return db.session.scalar(select(CheckIn).where(CheckIn.partner_id == user_id))


def _page(client, user_id: int) -> str:
    body = client.get(f"/me/checkins/{_own(user_id).id}").get_data(as_text=True)
    return CSRF.sub(r"\1\2", body)


def test_the_first_to_answer_waits_without_a_hint_of_the_partner(world, make_client):
    aid = _goals(world)
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)

    sent = send(a, aid, reflection="A-GOAL a trip north", share_with_partner="y")

    first = _own(world.partner_a.id)
    assert sent.headers["Location"] == f"/me/checkins/{first.id}"  # straight to the moment
    assert "Your check-in is saved" in _page(a, world.partner_a.id)
    waiting = _page(a, world.partner_a.id)
    assert WAITING in waiting
    assert SIDE_BY_SIDE not in waiting
    # B answering without sharing changes nothing A can see: no hint they answered
    send(b, aid, reflection="B-GOAL kept for the counselor")
    assert _page(a, world.partner_a.id) == waiting
    assert "B-GOAL" not in waiting


def test_both_answers_side_by_side_for_each_once_both_are_in(world, make_client):
    aid = _goals(world)
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    send(a, aid, reflection="A-GOAL a trip north", share_with_partner="y")

    sent = send(b, aid, reflection="B-GOAL a new kitchen", share_with_partner="y",
                private_note="B-PRIVATE")

    assert sent.headers["Location"] == f"/me/checkins/{_own(world.partner_b.id).id}"
    for client, user in ((b, world.partner_b), (a, world.partner_a)):
        page = _page(client, user.id)
        assert SIDE_BY_SIDE in page
        assert "A-GOAL a trip north" in page
        assert "B-GOAL a new kitchen" in page
        assert WAITING not in page
    assert "B-PRIVATE" not in _page(a, world.partner_a.id)


def test_other_exercises_go_home_after_sending(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, slug="daily-empathy")
    client.login(world.partner_a)
    response = send(client, aid, reflection="Shared", share_with_partner="y")
    assert response.headers["Location"] == "/me"
    page = _page(client, world.partner_a.id)
    assert WAITING not in page
    assert SIDE_BY_SIDE not in page
