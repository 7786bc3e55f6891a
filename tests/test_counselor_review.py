"""Counselor review: the couple's page (trends, completion, the pause), check-in pages,
feedback and case notes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from practice.audit.models import AuditEntry
from practice.checkins import services
from practice.extensions import db

from .client_steps import checked_in, checkins, send
from .factories import TODAY, give, noon_in_new_york


def test_couple_page_shows_unreviewed_trends_and_completion(world, client, make_client):
    aid, c = checked_in(world, make_client, closeness="6", private_note="note")
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "Waiting for review" in page
    assert f"/couples/{world.couple.id}/checkins/{c.id}" in page
    assert 'class="chart"' in page
    assert 'class="line-a"' in page
    assert "<title id=\"closeness-chart-title\">" in page
    assert "Show the numbers" in page
    # Completion counts the 28 full days before today: three occurrences each (7th to 9th).
    # Partner A's check-in is for today, which is not counted until it is over (it used to
    # count today, so homework not yet done today showed as missed).
    assert "Completion, last 28 days up to yesterday" in page
    assert '<td class="num">0</td><td class="num">3</td>' in page
    assert '<td class="num">4</td>' not in page
    a = make_client()
    a.login(world.partner_a)
    send(a, aid, due=TODAY - timedelta(days=1))  # yesterday's, done late: counts
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert '<td class="num">1</td><td class="num">3</td>' in page
    assert page.count('<td class="num">0</td><td class="num">3</td>') == 1  # partner B


def test_couple_page_completion_window_is_the_28_days_before_today(world, client):
    """The first day counted is 28 days back; 29 days back and today are outside."""
    noon_in_new_york()
    give(world.couple, world.counselor, cadence="once", start=TODAY - timedelta(days=28))
    give(world.couple, world.counselor, cadence="once", start=TODAY - timedelta(days=29))
    give(world.couple, world.counselor, cadence="once", start=TODAY)
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert page.count('<td class="num">0</td><td class="num">1</td>') == 2  # one per partner
    assert page.count("Nothing due yet") == 2  # the one 29 days back, and today's


def test_staff_reads_of_check_ins_are_audited(world, client, make_client):
    _aid, c = checked_in(world, make_client)
    client.login(world.supervisor)
    assert client.get(f"/couples/{world.couple.id}/checkins/{c.id}").status_code == 200
    assert client.get(f"/couples/{world.couple.id}/checkins").status_code == 200
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"checkin_viewed", "checkins_viewed"} <= actions


def test_supervisor_reads_without_write_controls(world, client, make_client):
    _aid, c = checked_in(world, make_client)
    client.login(world.supervisor)
    page = client.get(f"/couples/{world.couple.id}/checkins/{c.id}").get_data(as_text=True)
    assert "Mark reviewed" not in page
    assert "Send feedback" not in page
    assert client.post_form(f"/couples/{world.couple.id}/checkins/{c.id}/review"
                            ).status_code == 403


def test_mark_reviewed_and_feedback_reach_the_client(world, client, make_client):
    _aid, c = checked_in(world, make_client)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/checkins/{c.id}"
    assert client.post_form(url + "/review").status_code == 302
    c = checkins()[0]
    assert c.reviewed_by_id == world.counselor.id
    response = client.post_form(url + "/feedback", {"feedback": "Keep going.",
                                                    "version": str(c.version)})
    assert response.status_code == 302
    a = make_client()
    a.login(world.partner_a)
    assert "Keep going." in a.get(f"/me/checkins/{c.id}").get_data(as_text=True)
    b = make_client()
    b.login(world.partner_b)
    assert "Keep going." not in b.get("/me/checkins").get_data(as_text=True)


def test_stale_feedback_is_refused_and_the_text_kept(world, client, make_client):
    _aid, c = checked_in(world, make_client)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/checkins/{c.id}/feedback"
    version = str(c.version)
    assert client.post_form(url, {"feedback": "First", "version": version}).status_code == 302
    response = client.post_form(url, {"feedback": "Second from an old page", "version": version})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Second from an old page" in page
    assert "changed while you were writing" in page
    assert checkins()[0].feedback == "First"


def test_case_notes_are_dated_and_never_for_clients(world, client, make_client):
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/notes"
    response = client.post_form(url, {"note_date": "2026-03-09", "body": "CASE-NOTE-TEXT"})
    assert response.status_code == 302
    assert "CASE-NOTE-TEXT" in client.get(url).get_data(as_text=True)
    missing = client.post_form(url, {"note_date": "2026-03-09", "body": ""})
    assert "Write the note first." in missing.get_data(as_text=True)
    a = make_client()
    a.login(world.partner_a)
    assert a.get(url).status_code == 403
    for page in ("/me", "/me/checkins"):
        assert "CASE-NOTE-TEXT" not in a.get(page).get_data(as_text=True)
    s = make_client()
    s.login(world.supervisor)
    assert s.post_form(url, {"note_date": "2026-03-09", "body": "x"}).status_code == 403


# ---- query bounds


def test_feedback_service_refuses_a_stale_version(world, make_client):
    _aid, c = checked_in(world, make_client)
    services.give_feedback(c, world.counselor, "one", c.version)
    from practice.modelbase import EditConflictError

    try:
        services.give_feedback(c, world.counselor, "two", c.version - 1)
    except EditConflictError:
        pass
    else:
        raise AssertionError("a stale feedback edit was accepted")


def test_couple_page_explains_what_the_pause_covers(world, client):
    noon_in_new_york()
    give(world.couple, world.counselor)
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "pauses the work given to both partners; work given to one partner alone" in page
    assert "Pause the homework given to both partners?" in page
    response = client.post_form(f"/couples/{world.couple.id}/joint-work", {"paused": "1"})
    assert response.status_code == 302
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "nothing given to both partners is due" in page
    assert "Resume shared homework" in page


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
