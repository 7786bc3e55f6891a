"""The private safety screen, the safety page and the quick exit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from practice import clock
from practice.content import (
    SAFETY_AUDIENCE,
    SAFETY_DEFERRED_MESSAGE,
    SAFETY_PAGE_TEXT,
    SAFETY_PRIVACY_QUESTION,
)
from practice.extensions import db
from practice.flags.models import Flag, SafetyScreen

from .client_steps import answer_screen, token_of
from .factories import make_checkin

NO_HARM = {"q_afraid": "no", "q_threatened": "no", "q_controlled": "prefer_not_to_say",
           "q_hurt": "no"}
HARM = {**NO_HARM, "q_controlled": "yes"}
PROMPT = "A few private questions"


def _screens(user):
    db.session.expire_all()
    return db.session.query(SafetyScreen).filter_by(partner_id=user.id).all()


def test_first_login_shows_the_prompt(world, client):
    client.login(world.partner_a)
    assert PROMPT in client.get("/me").get_data(as_text=True)


def test_the_screen_first_asks_whether_they_can_answer_privately(world, client):
    client.login(world.partner_a)
    body = client.get("/me/safety-check").get_data(as_text=True)
    assert SAFETY_PRIVACY_QUESTION in body
    assert "has anyone at home" not in body


def test_not_private_records_only_a_deferral(world, client):
    client.login(world.partner_a)
    response = client.post_form("/me/safety-check", {"private": "no"})
    assert response.headers["Location"] == "/me/safety-check/later"
    body = client.get("/me/safety-check/later").get_data(as_text=True)
    assert SAFETY_DEFERRED_MESSAGE in body
    assert "Nothing has been saved" not in body  # the check-in before it was, and the deferral
    client.get("/me/safety-check/later")  # reloading the page records nothing more
    [screen] = _screens(world.partner_a)
    assert (screen.status, screen.answers, screen.note, screen.indicates_harm) == (
        "deferred", None, None, False)
    assert db.session.query(Flag).count() == 0


def test_a_deferral_is_offered_again_the_next_day(world, client):
    clock.set_clock(datetime(2026, 11, 25, 9, 0))
    client.login(world.partner_a)
    client.post_form("/me/safety-check", {"private": "no"})
    assert PROMPT not in client.get("/me").get_data(as_text=True)
    clock.advance(timedelta(days=1, minutes=1))
    assert PROMPT in client.get("/me").get_data(as_text=True)


def test_privacy_question_must_be_answered(world, client):
    client.login(world.partner_a)
    body = client.post_form("/me/safety-check", {}).get_data(as_text=True)
    assert "Choose one to continue" in body
    assert _screens(world.partner_a) == []


def test_private_now_shows_the_questions_and_records_nothing_yet(world, client):
    client.login(world.partner_a)
    body = client.post_form("/me/safety-check", {"private": "yes"},
                            follow_redirects=True).get_data(as_text=True)
    assert "has anyone at home made you feel afraid" in body
    # Said as it is: the couple's counselor and the team around them (supervisors) read it.
    assert body.count(SAFETY_AUDIENCE) == 5  # four questions and the note
    assert "Your counselor only" not in body
    assert "Only your counselor" not in body
    assert _screens(world.partner_a) == []


def test_no_harm_answers_are_stored_without_a_flag(world, client):
    client.login(world.partner_a)
    response = answer_screen(client,
                                {**NO_HARM, "context": "first_login", "note": "all fine"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/me/safety"
    [screen] = _screens(world.partner_a)
    assert screen.status == "completed"
    assert not screen.indicates_harm
    assert screen.answers["controlled"] == "prefer_not_to_say"
    assert screen.context == "first_login"
    assert db.session.query(Flag).count() == 0


def test_a_yes_raises_an_urgent_harm_flag_and_goes_to_the_safety_page(world, client):
    client.login(world.partner_a)
    response = answer_screen(client,
                                {**HARM, "note": "private words"}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert SAFETY_PAGE_TEXT in body
    assert "911" in body
    assert "1-800-799-7233" in body
    assert world.couple.counselor.display_name in body
    db.session.expire_all()
    [flag] = db.session.query(Flag).all()
    assert (flag.category, flag.severity, flag.source, flag.partner_id) == (
        "harm", "urgent", "client", world.partner_a.id)
    [screen] = _screens(world.partner_a)
    assert flag.screen_id == screen.id
    assert screen.note == "private words"


def test_unanswered_questions_keep_the_note(world, client):
    client.login(world.partner_a)
    body = client.post_form("/me/safety-check/answers",
                            {"q_afraid": "no", "note": "kept text"}).get_data(as_text=True)
    assert "kept text" in body
    assert "Choose an answer" in body
    assert _screens(world.partner_a) == []


def test_after_a_screen_the_prompt_returns_after_the_interval(world, client):
    clock.set_clock(datetime(2026, 11, 1, 12, 0))
    world.couple.screen_interval_days = 7
    db.session.commit()
    client.login(world.partner_a)
    answer_screen(client, NO_HARM)
    assert PROMPT not in client.get("/me").get_data(as_text=True)
    clock.advance(timedelta(days=6))
    assert PROMPT not in client.get("/me").get_data(as_text=True)
    clock.advance(timedelta(days=1))
    assert PROMPT in client.get("/me").get_data(as_text=True)
    assert _screens(world.partner_a)[0].context == "first_login"
    answer_screen(client, {**NO_HARM, "context": "scheduled"})
    assert {s.context for s in _screens(world.partner_a)} == {"first_login", "scheduled"}


def test_counselor_sets_the_interval(world, client):
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/safety-screens/interval",
                                {"screen_interval_days": "30", "version": world.couple.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.couple.screen_interval_days == 30


def test_interval_out_of_range_is_refused_with_a_message(world, client):
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/safety-screens/interval",
                                {"screen_interval_days": "0", "version": world.couple.version},
                                follow_redirects=True)
    assert "Between 1 and 365 days" in response.get_data(as_text=True)
    db.session.expire_all()
    assert world.couple.screen_interval_days == 14


def test_checkin_screen_links_the_checkin(world, client):
    checkin = make_checkin(world.partner_a, couple=world.couple)
    db.session.commit()
    client.login(world.partner_a)
    url = f"/me/safety-check?context=checkin&checkin_id={checkin.id}"
    assert client.get(url).status_code == 200
    answer_screen(client,
                     {**HARM, "context": "checkin", "checkin_id": checkin.id})
    [screen] = _screens(world.partner_a)
    assert (screen.context, screen.checkin_id) == ("checkin", checkin.id)
    assert db.session.query(Flag).one().checkin_id == checkin.id


def test_another_partners_checkin_cannot_be_used(world, client):
    checkin = make_checkin(world.partner_a, couple=world.couple)
    db.session.commit()
    client.login(world.partner_b)
    assert client.get(f"/me/safety-check?checkin_id={checkin.id}").status_code == 404
    response = client.post_form("/me/safety-check/answers",
                                {**HARM, "context": "checkin", "checkin_id": checkin.id})
    assert response.status_code == 404
    assert _screens(world.partner_b) == []


def test_staff_in_scope_read_the_answers_and_note(world, client, make_client):
    client.login(world.partner_a)
    answer_screen(client, {**HARM, "note": "note-for-staff"})
    [screen] = _screens(world.partner_a)
    flag = db.session.query(Flag).one()
    for user in (world.counselor, world.supervisor, world.admin):
        staff = make_client()
        staff.login(user)
        assert "note-for-staff" in staff.get(
            f"/couples/{world.couple.id}/safety-screens/{screen.id}").get_data(as_text=True)
        assert "note-for-staff" in staff.get(
            f"/couples/{world.couple.id}/flags/{flag.id}").get_data(as_text=True)
    for user in (world.other_counselor, world.other_supervisor):
        staff = make_client()
        staff.login(user)
        assert staff.get(
            f"/couples/{world.couple.id}/safety-screens/{screen.id}").status_code == 404
        assert staff.get(f"/couples/{world.couple.id}/flags/{flag.id}").status_code == 404


def test_safety_page_has_the_practice_numbers_and_counselor(world, client):
    from practice.admin.services import get_settings

    settings = get_settings()
    settings.emergency_number = "112"
    settings.hotline_name = "Harbor Helpline"
    settings.hotline_phone = "0800 123 456"
    settings.contact_text = "Text the practice on 555-0100."
    db.session.commit()
    client.login(world.partner_b)
    body = client.get("/me/safety").get_data(as_text=True)
    assert 'href="tel:112"' in body
    assert "Harbor Helpline" in body
    assert 'href="tel:0800123456"' in body
    assert "Text the practice on 555-0100." in body
    assert world.couple.counselor.display_name in body
    assert SAFETY_PAGE_TEXT not in body  # that text is for someone who just told us


def test_quick_exit_is_on_every_client_page(app, world, client):
    """Every GET page a client can open has the quick-exit link (which signs out, then leaves
    for the neutral site)."""
    from tests.test_access_matrix import RULES

    for rule in RULES.values():
        if rule.setup:
            rule.setup(world)
    db.session.commit()
    client.login(world.partner_a)
    exit_link = 'class="quick-exit" href="/exit"'
    checked = 0
    for endpoint, rule in RULES.items():
        if rule.method != "GET" or endpoint == "static":
            continue
        response = client.get(rule.url(world))
        if response.status_code == 200 and response.mimetype == "text/html":
            assert exit_link in response.get_data(as_text=True), endpoint
            checked += 1
    assert checked >= 4
    js = client.get("/static/js/app.js").get_data(as_text=True)
    assert "location.replace" in js


def _prompt(body: str) -> str | None:
    match = re.search(
        r'<section class="card"[^>]*>\s*<h2[^>]*>A few private questions</h2>.*?</section>',
        body, re.S)
    return match and match.group(0)


def test_the_prompt_reads_the_same_whether_or_not_anyone_disclosed(world, make_client):
    clock.set_clock(datetime(2026, 11, 1, 12, 0))
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    never = _prompt(b.get("/me").get_data(as_text=True))
    answer_screen(a, {**HARM, "note": "hard things"})
    clock.advance(timedelta(days=14))
    after_disclosing = _prompt(a.get("/me").get_data(as_text=True))
    after_partner_disclosed = _prompt(b.get("/me").get_data(as_text=True))
    assert never is not None
    assert never == after_disclosing == after_partner_disclosed


def test_a_resubmitted_screen_stores_one_screen_and_one_flag(world, client):
    client.login(world.partner_a)
    page = client.post_form("/me/safety-check", {"private": "yes"},
                            follow_redirects=True).get_data(as_text=True)
    token = token_of(page)
    for _ in range(2):
        response = client.post_form("/me/safety-check/answers", {**HARM, "token": token})
        assert response.headers["Location"] == "/me/safety"
    assert len(_screens(world.partner_a)) == 1
    assert db.session.query(Flag).count() == 1


def test_answers_without_a_valid_token_are_not_saved_and_say_so(world, client, make_client):
    other = make_client()
    other.login(world.partner_b)
    page = other.post_form("/me/safety-check", {"private": "yes"},
                           follow_redirects=True).get_data(as_text=True)
    b_token = token_of(page)
    client.login(world.partner_a)
    body = client.post_form("/me/safety-check/answers",
                            {**HARM, "token": b_token, "note": "keep me"}).get_data(as_text=True)
    assert "They were not saved" in body
    assert "keep me" in body
    assert _screens(world.partner_a) == []


def test_the_thank_you_for_telling_us_shows_once_then_the_page_reads_as_always(world, client,
                                                                              make_client):
    """Someone picking up the partner's phone later and opening 'Getting help' from the menu
    cannot tell from it that a disclosure was made."""
    clock.set_clock(datetime(2026, 11, 25, 9, 0))
    never = make_client()
    never.login(world.partner_b)
    usual = never.get("/me/safety").get_data(as_text=True)
    client.login(world.partner_a)
    first = answer_screen(client, {**HARM, "note": "hard things"}, follow_redirects=True)
    assert SAFETY_PAGE_TEXT in first.get_data(as_text=True)
    clock.advance(timedelta(minutes=5))
    again = client.get("/me/safety").get_data(as_text=True)
    assert SAFETY_PAGE_TEXT not in again
    assert "Thank you" not in again
    strip = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')
    assert strip.sub("", again).replace(world.partner_a.display_name, "X") == strip.sub(
        "", usual).replace(world.partner_b.display_name, "X")


def test_answering_now_leads_to_a_plain_questions_page(world, client):
    """Post/redirect/get: Back after a quick exit never resends the privacy answer."""
    client.login(world.partner_a)
    response = client.post_form("/me/safety-check", {"private": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/me/safety-check/questions"
    page = client.get("/me/safety-check/questions")
    assert page.status_code == 200
    assert 'name="token"' in page.text
    client.get("/exit")
    assert client.get("/me/safety-check/questions").status_code == 302
