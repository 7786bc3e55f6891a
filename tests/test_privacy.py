"""What one partner may see of the other's check-ins, tested on the query the client pages use
(`shared_answers`) and on those pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from practice.checkins.privacy import shared_answers
from practice.extensions import db

from .client_steps import send
from .factories import TODAY, give, make_assignment, make_checkin, make_exercise, noon_in_new_york

WORDS = "We cooked together on Sunday"
# Each case: how partner A's check-in is made, and whether partner B may read its reflection.
POLICY = {
    "shared": ({}, True),
    "not shared": ({"share_with_partner": False}, False),
    "blank reflection": ({"reflection": "   "}, False),
    "signs self-check": ({"kind": "signs"}, False),
    "individual work": ({"individual": True}, False),
    "reveal together, B not answered": ({"reveal_together": True}, False),
    "reveal together, B answered that day": ({"reveal_together": True, "b_answered": 0}, True),
    "reveal together, B answered another day": (
        {"reveal_together": True, "b_answered": -1}, False),
}


@pytest.mark.parametrize(("case", "visible"), list(POLICY.values()), ids=list(POLICY))
def test_the_policy_on_the_query_and_the_client_pages(world, make_client, case, visible):
    noon_in_new_york()
    exercise = make_exercise(kind=case.get("kind", "exercise"),
                             reveal_together=case.get("reveal_together", False))
    assignment = make_assignment(world.couple, start=TODAY - timedelta(days=3),
                                 exercise=exercise,
                                 partner=world.partner_a if case.get("individual") else None)
    make_checkin(world.partner_a, assignment, TODAY, reflection=case.get("reflection", WORDS),
                 share_with_partner=case.get("share_with_partner", True),
                 private_note="SECRET-NOTE", closeness=3)
    if "b_answered" in case:
        make_checkin(world.partner_b, assignment, TODAY + timedelta(days=case["b_answered"]),
                     reflection="B's own words", share_with_partner=False)
    db.session.commit()
    answers = shared_answers(world.partner_b.id, world.couple.id)
    assert [a.reflection for a in answers] == ([WORDS] if visible else [])
    if visible:
        [answer] = answers
        assert (answer.author_name, answer.exercise_title, answer.due_date) == (
            world.partner_a.display_name, exercise.title, TODAY)
    assert shared_answers(world.partner_a.id, world.couple.id) == []  # one's own is not shared
    b = make_client()
    b.login(world.partner_b)
    for url in ("/me", "/me/checkins"):
        page = b.get(url).get_data(as_text=True)
        assert (WORDS in page) is visible, url
        assert "SECRET-NOTE" not in page

def test_only_shared_reflections_reach_the_partner(world, make_client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    a = make_client()
    a.login(world.partner_a)
    send(a, aid, reflection="Shared thought", share_with_partner="y",
         private_note="SECRET-NOTE", closeness="3")
    send(a, aid, due=TODAY.replace(day=TODAY.day - 1), reflection="Not shared thought")
    [answer] = shared_answers(world.partner_b.id, world.couple.id)
    assert answer.reflection == "Shared thought"
    assert not hasattr(answer, "private_note")
    assert not hasattr(answer, "closeness")
    b = make_client()
    b.login(world.partner_b)
    for url in ("/me", "/me/checkins"):
        page = b.get(url).get_data(as_text=True)
        assert "Shared thought" in page
        assert "Not shared thought" not in page
        assert "SECRET-NOTE" not in page
        assert "private note" not in page.lower()
    assert shared_answers(world.partner_a.id, world.couple.id) == []
    assert shared_answers(world.other_client.id, world.other_couple.id) == []


def test_reveal_together_waits_for_both(world, make_client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, slug="shared-goals", cadence="once", start=TODAY)
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    send(a, aid, reflection="A trip to the coast", share_with_partner="y")
    assert shared_answers(world.partner_b.id, world.couple.id) == []
    assert "A trip to the coast" not in b.get("/me").get_data(as_text=True)
    assert "A trip to the coast" not in b.get("/me/checkins").get_data(as_text=True)
    send(b, aid, reflection="Redo the garden", share_with_partner="y")
    assert [s.reflection for s in shared_answers(world.partner_b.id, world.couple.id)] == [
        "A trip to the coast"]
    assert [s.reflection for s in shared_answers(world.partner_a.id, world.couple.id)] == [
        "Redo the garden"]
    assert "A trip to the coast" in b.get("/me/checkins").get_data(as_text=True)


def test_a_partner_cannot_open_the_other_partners_check_in(world, make_client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    send(a, aid, private_note="SECRET-NOTE")
    from .client_steps import checkins

    [c] = checkins()
    assert b.login(world.partner_b)
    assert b.get(f"/me/checkins/{c.id}").status_code == 404
    assert b.get(f"/me/checkins/{c.id}/edit").status_code == 404
    assert b.get(f"/couples/{world.couple.id}/checkins/{c.id}").status_code == 403


def test_the_signs_self_check_is_never_shared(world, make_client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, slug="signs-self-check", cadence="biweekly",
               start=TODAY)
    a = make_client()
    a.login(world.partner_a)
    from practice.content import SIGNS

    from .client_steps import token_of

    url = f"/me/checkins/{aid}/{TODAY.isoformat()}"
    data = {"token": token_of(a.get(url).get_data(as_text=True)),
            "reflection": "Lonely lately", "share_with_partner": "y"}
    data.update({f"sign_{k}": "often" for k, _t in SIGNS})
    assert a.post_form(url, data).status_code == 302
    assert shared_answers(world.partner_b.id, world.couple.id) == []


def test_individual_work_is_never_shared(world, make_client):
    """Work given to one partner may follow a disclosure: the other partner must not learn of
    it, even through a reflection its author tried to share."""
    noon_in_new_york()
    aid = give(world.couple, world.counselor, partner_id=world.partner_a.id)
    a = make_client()
    a.login(world.partner_a)
    form = a.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").get_data(as_text=True)
    assert "Share this answer with my partner" not in form
    send(a, aid, reflection="Individual thought", share_with_partner="y")
    assert shared_answers(world.partner_b.id, world.couple.id) == []
    b = make_client()
    b.login(world.partner_b)
    for url in ("/me", "/me/checkins"):
        assert "Individual thought" not in b.get(url).get_data(as_text=True)
