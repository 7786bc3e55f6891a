"""Client check-ins: what is due, the form, double submits, the edit window, signs."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from practice import clock
from practice.checkins import services
from practice.checkins.models import CheckIn
from practice.content import NEUTRAL_PAUSE_MESSAGE
from practice.extensions import db

from .client_steps import checkin_form, checkins, send, token_of
from .factories import TODAY, give, noon_in_new_york


def test_home_lists_today_then_overdue_with_instructions(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    page = client.get("/me").get_data(as_text=True)
    assert f"/me/checkins/{aid}/{TODAY.isoformat()}" in page
    for days in (1, 2, 3):
        assert f"/me/checkins/{aid}/{(TODAY - timedelta(days=days)).isoformat()}" in page
    assert "Still open from earlier days" in page
    assert "Your exercises" in page
    assert "Practice empathy daily" in page


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_paused_shared_homework_shows_the_neutral_message_to_both(world, client, make_client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    world.couple.joint_work_paused = True
    db.session.commit()
    for partner in (world.partner_a, world.partner_b):
        c = make_client()
        c.login(partner)
        page = c.get("/me").get_data(as_text=True)
        assert NEUTRAL_PAUSE_MESSAGE.split(".")[0] in page
        assert f"/me/checkins/{aid}/" not in page
        assert "Practice empathy daily" not in page  # the joint exercise is not listed
        assert "Nothing due today" not in page
    response = client.get(f"/me/checkins/{aid}/{TODAY.isoformat()}")
    assert response.status_code == 302  # signed out: to login
    c = make_client()
    c.login(world.partner_a)
    assert c.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").status_code == 302
    assert checkins() == []


def test_the_pause_leaves_one_partners_own_homework_running(world, make_client):
    """Pausing shared homework pauses work given to both partners only. Work given to one
    partner alone (the other not willing, or individual work after a disclosure) continues:
    it is due, can be sent, and shows with its feedback. Before this, the pause hid it too."""
    noon_in_new_york()
    joint = give(world.couple, world.counselor)
    world.couple.joint_work_paused = True
    db.session.commit()
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    b_home, b_history = b.get("/me").get_data(as_text=True), b.get("/me/checkins").get_data(
        as_text=True)
    own = give(world.couple, world.counselor, slug="rebuild-trust",
               partner_id=world.partner_a.id)
    page = a.get("/me").get_data(as_text=True)
    assert NEUTRAL_PAUSE_MESSAGE.split(".")[0] in page
    assert f"/me/checkins/{own}/{TODAY.isoformat()}" in page
    assert f"/me/checkins/{own}/{(TODAY - timedelta(days=1)).isoformat()}" in page
    assert f"/me/checkins/{joint}/" not in page
    assert "Your exercises" in page
    assert "Practice empathy daily" not in page
    assert send(a, own, reflection="just mine").status_code == 302
    [mine] = checkins()
    assert (mine.assignment_id, mine.partner_id) == (own, world.partner_a.id)
    joint_url = f"/me/checkins/{joint}/{(TODAY - timedelta(days=1)).isoformat()}"
    assert a.get(joint_url).status_code == 302  # on hold: back home with a kind word
    response = a.post_form(joint_url, {"token": "t" * 32, "outcome": "done", "closeness": "7"})
    assert response.status_code == 302
    assert len(checkins()) == 1
    services.give_feedback(mine, world.counselor, "FEEDBACK-OWN", mine.version)
    db.session.commit()
    assert "FEEDBACK-OWN" in a.get("/me").get_data(as_text=True)
    # The other partner's pages are exactly as they were: the same neutral message, and
    # nothing that tells them the other partner has work of their own.
    assert _without_tokens(b.get("/me").get_data(as_text=True)) == _without_tokens(b_home)
    assert _without_tokens(b.get("/me/checkins").get_data(as_text=True)) == _without_tokens(
        b_history)
    assert b.get(f"/me/checkins/{own}/{TODAY.isoformat()}").status_code == 404
    # Resumed: joint work is due again for both, A's own work still only for A.
    world.couple.joint_work_paused = False
    db.session.commit()
    page = a.get("/me").get_data(as_text=True)
    assert NEUTRAL_PAUSE_MESSAGE.split(".")[0] not in page
    assert f"/me/checkins/{joint}/{TODAY.isoformat()}" in page
    page = b.get("/me").get_data(as_text=True)
    assert f"/me/checkins/{joint}/{TODAY.isoformat()}" in page
    assert f"/me/checkins/{own}/" not in page


def test_feedback_on_joint_homework_waits_while_it_is_paused(world, make_client):
    noon_in_new_york()
    joint = give(world.couple, world.counselor)
    a = make_client()
    a.login(world.partner_a)
    send(a, joint)
    [c] = checkins()
    services.give_feedback(c, world.counselor, "FEEDBACK-JOINT", c.version)
    world.couple.joint_work_paused = True
    db.session.commit()
    assert "FEEDBACK-JOINT" not in a.get("/me").get_data(as_text=True)
    assert "FEEDBACK-JOINT" in a.get(f"/me/checkins/{c.id}").get_data(as_text=True)


def test_a_check_in_is_saved_with_every_field(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    response = send(client, aid, reflection="It went well", share_with_partner="y",
                    private_note="Only for you", broke_trust="y", closeness="4",
                    outcome="partly")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me")
    [c] = checkins()
    assert (c.partner_id, c.due_date, c.outcome, c.closeness) == (
        world.partner_a.id, TODAY, "partly", 4)
    assert c.share_with_partner
    assert c.broke_trust
    assert (c.reflection, c.private_note) == ("It went well", "Only for you")


def test_the_form_says_who_reads_each_field(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    page = client.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").get_data(as_text=True)
    assert page.count("Your counselor only") >= 4
    assert "range-scale" in page
    assert 'name="share_with_partner"' in page
    assert 'name="share_with_partner" type="checkbox" value="y" checked' not in page


def test_errors_keep_what_was_typed(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    url, data = checkin_form(client, aid, TODAY, reflection="Typed words")
    del data["closeness"]
    response = client.post_form(url, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose a number from 1 to 10." in page
    assert "Typed words" in page
    assert checkins() == []


def test_a_double_submit_makes_one_check_in_and_lands_on_it(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    url, data = checkin_form(client, aid, TODAY)
    first = client.post_form(url, data)
    second = client.post_form(url, data)
    assert first.status_code == 302
    [c] = checkins()
    assert second.status_code == 302
    assert second.headers["Location"].endswith(f"/me/checkins/{c.id}")


def test_the_unique_constraint_catches_a_race(world, client, monkeypatch):
    """Two submits that both pass the first check: the database keeps one."""
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    url, first = checkin_form(client, aid, TODAY)
    _url, second = checkin_form(client, aid, TODAY)
    assert first["token"] != second["token"]
    client.post_form(url, first)
    real = services.existing_checkin
    calls = {"n": 0}

    def blind_once(*args, **kwargs):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "existing_checkin", blind_once)
    from practice.checkins import routes

    monkeypatch.setattr(routes, "existing_checkin", lambda *a, **k: None)
    response = client.post_form(url, second)
    assert response.status_code == 302
    assert len(checkins()) == 1


def test_expired_and_future_occurrences_cannot_be_submitted(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, start=TODAY - timedelta(days=10))
    client.login(world.partner_a)
    expired = TODAY - timedelta(days=5)
    page = client.get("/me").get_data(as_text=True)
    assert f"/me/checkins/{aid}/{expired.isoformat()}" not in page
    response = client.post_form(f"/me/checkins/{aid}/{expired.isoformat()}",
                                {"token": "x" * 32, "outcome": "done", "closeness": "5"})
    assert response.status_code == 302
    assert client.get(f"/me/checkins/{aid}/{(TODAY + timedelta(days=1)).isoformat()}"
                      ).status_code == 302
    assert checkins() == []
    assert client.get(f"/me/checkins/{aid}/2026-13-01").status_code == 404
    # the fourth day after is still open
    assert send(client, aid, TODAY - timedelta(days=4)).status_code == 302
    assert len(checkins()) == 1


def test_one_partner_assignment_is_not_open_to_the_other(world, make_client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, partner_id=world.partner_a.id)
    b = make_client()
    b.login(world.partner_b)
    assert b.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").status_code == 404
    assert f"/me/checkins/{aid}/" not in b.get("/me").get_data(as_text=True)


def test_edit_for_48_hours_then_locked(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    send(client, aid, reflection="first")
    [c] = checkins()
    clock.advance(timedelta(hours=47))
    page = client.get(f"/me/checkins/{c.id}/edit").get_data(as_text=True)
    assert "first" in page
    response = client.post_form(f"/me/checkins/{c.id}/edit", {
        "version": str(c.version), "outcome": "done", "closeness": "9", "reflection": "second"})
    assert response.status_code == 302
    assert checkins()[0].reflection == "second"
    clock.advance(timedelta(hours=2))  # 49 hours after sending
    assert client.get(f"/me/checkins/{c.id}/edit").status_code == 302
    response = client.post_form(f"/me/checkins/{c.id}/edit", {
        "version": str(checkins()[0].version), "outcome": "done", "closeness": "1",
        "reflection": "too late"})
    assert response.status_code == 302
    assert checkins()[0].reflection == "second"
    assert "Change it" not in client.get(f"/me/checkins/{c.id}").get_data(as_text=True)


def test_an_edit_puts_the_check_in_back_for_review(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    send(client, aid)
    [c] = checkins()
    services.mark_reviewed(c, world.counselor)
    db.session.commit()
    client.post_form(f"/me/checkins/{c.id}/edit", {
        "version": str(c.version), "outcome": "done", "closeness": "3"})
    assert checkins()[0].reviewed_at is None


def test_signs_self_check_stores_answers_and_score(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, slug="signs-self-check", cadence="biweekly",
               start=TODAY)
    client.login(world.partner_a)
    url = f"/me/checkins/{aid}/{TODAY.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    assert "I felt lonely even when we were in the same room." in page
    assert 'name="share_with_partner"' not in page
    from practice.content import SIGNS

    data = {"token": token_of(page)}
    for i, (key, _text) in enumerate(SIGNS):
        data[f"sign_{key}"] = ("rarely", "sometimes", "often")[i % 3]
    response = client.post_form(url, data)
    assert response.status_code == 302
    [c] = checkins()
    assert c.signs_answers["withholding_feelings"] == 0
    assert c.signs_answers["lack_of_curiosity"] == 1
    assert c.signs_score == sum(i % 3 for i in range(10))
    assert c.closeness is None
    assert not c.share_with_partner


def test_missing_sign_answers_are_named(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, slug="signs-self-check", cadence="biweekly",
               start=TODAY)
    client.login(world.partner_a)
    url = f"/me/checkins/{aid}/{TODAY.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    response = client.post_form(url, {"token": token_of(page),
                                      "sign_resentment": "often"})
    assert response.status_code == 200
    assert "Choose rarely, sometimes or often." in response.get_data(as_text=True)
    assert checkins() == []


def test_the_flags_seam_is_called_and_may_redirect(world, client, monkeypatch):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    seen = {}

    def hook(checkin, wants_safety_screen=False):
        seen["checkin"] = checkin.id
        seen["wants"] = wants_safety_screen
        return "/somewhere-private"

    from practice.checkins import routes

    monkeypatch.setattr(routes, "after_checkin_submitted", hook)
    client.login(world.partner_a)
    response = send(client, aid, wants_safety_screen="y", broke_trust="y")
    assert response.headers["Location"].endswith("/somewhere-private")
    [c] = checkins()
    assert seen == {"checkin": c.id, "wants": True}
    assert c.broke_trust


def test_history_shows_own_check_ins_with_feedback(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    send(client, aid)
    c = db.session.scalar(select(CheckIn))
    services.give_feedback(c, world.counselor, "Lovely progress.", c.version)
    db.session.commit()
    assert "Lovely progress." in client.get("/me/checkins").get_data(as_text=True)
    assert "Lovely progress." in client.get("/me").get_data(as_text=True)


def _trust_flags():
    from practice.flags.models import Flag, FlagEvent

    db.session.expire_all()
    flags = list(db.session.scalars(select(Flag).where(Flag.category == "broken_trust")))
    events = {f.id: [e.action for e in db.session.scalars(
        select(FlagEvent).where(FlagEvent.flag_id == f.id).order_by(FlagEvent.id))]
        for f in flags}
    return flags, events


def _edit(client, checkin_id: int, **answers):
    data = {"version": str(checkins()[0].version), "outcome": "done", "closeness": "7"}
    data.update(answers)
    return client.post_form(f"/me/checkins/{checkin_id}/edit", data)


def test_ticking_broke_trust_on_edit_raises_the_flag_once(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    send(client, aid)
    [c] = checkins()
    assert _trust_flags() == ([], {})
    clock.advance(timedelta(hours=3))
    assert _edit(client, c.id, broke_trust="y").status_code == 302
    [flag], events = _trust_flags()
    assert (flag.severity, flag.source, flag.partner_id, flag.checkin_id, flag.rule_key) == (
        "high", "client", world.partner_a.id, c.id, "broke_trust_answer")
    assert events[flag.id] == ["raised"]
    # Saved again still ticked: it was already marked, nothing new is raised or added.
    assert _edit(client, c.id, broke_trust="y", reflection="more").status_code == 302
    assert _trust_flags()[1] == {flag.id: ["raised"]}
    # Unticked, then ticked again: the open flag gets a 'reported again' entry, no second flag.
    assert _edit(client, c.id).status_code == 302
    assert _edit(client, c.id, broke_trust="y").status_code == 302
    assert _trust_flags()[1] == {flag.id: ["raised", "reported_again"]}


def test_an_edit_keeping_broke_trust_ticked_does_not_raise_again(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    send(client, aid, broke_trust="y")
    [c] = checkins()
    [flag], events = _trust_flags()
    assert events == {flag.id: ["raised"]}
    assert _edit(client, c.id, broke_trust="y", closeness="6").status_code == 302
    assert _trust_flags()[1] == {flag.id: ["raised"]}


def test_the_closeness_question_and_its_help_ask_about_the_same_time(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    page = client.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").get_data(as_text=True)
    assert "How close do you feel right now?" in page
    assert "how things feel between you today" in page
    assert "past week" not in page  # the question asks about now; the help must not differ


def test_the_edit_form_does_not_offer_safety_questions_it_would_never_ask(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    page = client.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").get_data(as_text=True)
    assert 'name="wants_safety_screen"' in page  # offered with a new check-in
    assert send(client, aid, TODAY).status_code == 302
    from practice.checkins.models import CheckIn

    checkin_id = db.session.scalar(db.select(CheckIn.id))
    page = client.get(f"/me/checkins/{checkin_id}/edit").get_data(as_text=True)
    assert "Save changes" in page
    assert 'name="wants_safety_screen"' not in page  # an edit never leads to the questions


def test_a_nul_character_in_a_check_in_is_dropped_not_a_500_on_postgresql(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    response = send(client, aid, TODAY, reflection="We\x00 walked", private_note="Tired\x00")
    assert response.status_code == 302
    from practice.checkins.models import CheckIn

    db.session.expire_all()
    saved = db.session.scalars(db.select(CheckIn)).one()
    assert (saved.reflection, saved.private_note) == ("We walked", "Tired")
