"""Regressions found by the exploratory QA pass, each driven through the real routes."""

from __future__ import annotations

import re

import pytest

from practice.extensions import db

from .client_steps import send
from .factories import TODAY, exercise, give, make_couple, make_user, noon_in_new_york

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


@pytest.mark.parametrize("start", ["0001-01-01", "1990-05-01", "9999-12-31"])
def test_an_assignment_start_date_far_in_the_past_or_future_is_refused_on_the_field(
        world, client, start):
    noon_in_new_york()
    give(world.couple, world.counselor)  # loads the library and commits
    exercise_id = exercise("daily-empathy").id
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/assignments/new"
    response = client.post_form(url, {"exercise_id": exercise_id, "who": "both",
                                      "cadence": "daily", "start_date": start, "ends": "never",
                                      "instructions": "Ten minutes after dinner"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose a start date between" in page
    assert f'value="{start}"' in page
    assert "Ten minutes after dinner" in page


def test_the_trend_chart_on_the_couple_page_has_a_visible_title(world, client, make_client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    partner = make_client()
    partner.login(world.partner_a)
    assert send(partner, aid, TODAY).status_code == 302
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    outside_svgs = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    assert "Closeness over time" in outside_svgs
    assert "How close each partner felt" in outside_svgs


def _css_rule(css: str, selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert match, selector
    return match.group(1)


def test_on_a_phone_the_practice_name_wraps_beside_quick_exit_not_under_it(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    spacer = _css_rule(css, ".site-header::after")
    assert "flex: 0 0 7rem" in spacer  # the room kept for the fixed button never shrinks
    brand = _css_rule(css, ".brand")
    assert "flex: 1 1 0" in brand
    assert "min-width: 0" in brand  # so the name can wrap in the room left


@pytest.mark.parametrize(("day", "message"), [
    ("9999-12-31", "The note&#39;s date is in the future"),
    ("2026-03-12", "The note&#39;s date is in the future"),
    ("0001-01-01", "Enter a date from 01 Jan 2000 on"),
])
def test_a_case_note_dated_in_the_future_or_long_ago_keeps_its_text_and_says_why(
        world, client, day, message):
    noon_in_new_york()
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/notes"
    response = client.post_form(url, {"note_date": day, "body": "Talked about Sunday plans"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Talked about Sunday plans" in page
    assert f'value="{day}"' in page


def test_a_case_note_for_today_is_saved(world, client):
    noon_in_new_york()
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/notes"
    response = client.post_form(url, {"note_date": TODAY.isoformat(), "body": "Session one"})
    assert response.status_code == 302
    assert "Session one" in client.get(url).get_data(as_text=True)


def test_deactivating_a_counselor_who_still_holds_couples_warns_the_admin(world, client):
    client.login(world.admin)
    response = client.post_form(f"/admin/staff/{world.counselor.id}/active", {"active": "0"},
                                follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "is deactivated" in page
    assert "still holds 1 open couple." in page


def test_deactivating_a_counselor_with_no_couples_gives_no_caseload_warning(world, client):
    newcomer = make_user("counselor")
    db.session.commit()
    client.login(world.admin)
    response = client.post_form(f"/admin/staff/{newcomer.id}/active",
                                {"active": "0"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "is deactivated" in page
    assert "still holds" not in page


def test_the_closeness_question_and_its_help_ask_about_the_same_time(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    page = client.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").get_data(as_text=True)
    assert "How close do you feel right now?" in page
    assert "how things feel between you today" in page
    assert "past week" not in page  # the question asks about now; the help must not differ


def test_editing_a_built_in_exercise_explains_how_to_adapt_it(world, client):
    builtin = exercise("daily-empathy")
    db.session.commit()
    client.login(world.counselor)
    response = client.get(f"/exercises/{builtin.id}/edit")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Built-in exercises stay as written" in page
    assert "Copy to adapt" in page
    assert "belongs to another role" not in page  # the counselor is in the right role


def test_a_plain_403_still_shows_the_general_message(world, client):
    client.login(world.partner_a)
    page = client.get("/caseload").get_data(as_text=True)
    assert "belongs to another role" in page


def test_a_clients_form_errors_are_not_shown_in_alarm_red(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    client.login(world.partner_a)
    response = client.post_form(f"/me/checkins/{aid}/{TODAY.isoformat()}",
                                {"reflection": "Kept"})
    page = response.get_data(as_text=True)
    assert 'class="role-client"' in page
    assert "errors-summary" in page
    css = client.get("/static/css/app.css").get_data(as_text=True)
    calm = _css_rule(css, ".role-client")
    staff_red = _css_rule(css, ":root")
    error_colour = re.search(r"--error:\s*(#[0-9a-f]+)", calm).group(1)
    assert error_colour not in staff_red  # the client palette overrides the red one


def test_weekday_and_situation_boxes_are_labelled_choices_and_keep_what_was_ticked(
        world, client):
    noon_in_new_york()
    give(world.couple, world.counselor)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/assignments/new"
    page = client.post_form(url, {"exercise_id": exercise("daily-empathy").id, "who": "both",
                                  "weekdays": ["2"], "start_date": TODAY.isoformat(),
                                  "ends": "never"}).get_data(as_text=True)
    assert "Choose how often." in page
    assert '<ul id="weekdays"' not in page  # the bare list widget showed bullets, box apart
    assert re.search(r'<label for="weekdays-2"><input checked[^>]*> <span>Wednesday</span>',
                     page)
    page = client.get("/exercises/new").get_data(as_text=True)
    assert '<ul id="situations"' not in page
    assert re.search(r'<label for="situations-0"><input[^>]*> <span>', page)


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


def test_a_nul_character_in_a_case_note_or_couple_form_is_dropped(world, client):
    noon_in_new_york()
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/notes",
                                {"note_date": TODAY.isoformat(), "body": "Calm\x00 session"})
    assert response.status_code == 302
    response = client.post_form("/couples/new", {
        "label": "Nul\x00 Pair", "timezone": "America/New_York",
        "partner1_name": "Nina", "partner1_email": "nina@test.example"})
    assert response.status_code == 200
    assert "Nul Pair" in response.get_data(as_text=True)


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
