"""Issue 13, point 6: a calm client home: today's progress with done work ticked, new feedback
marked until opened, a compact signs self-check, and the client's own score trend."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from practice import clock
from practice.checkins import services
from practice.checkins.models import CheckIn
from practice.content import SIGN_RATINGS, SIGNS
from practice.extensions import db
from tests.client_steps import checkins, send, token_of
from tests.factories import TODAY, give, noon_in_new_york


def _progress(page: str) -> str | None:
    match = re.search(r'id="today-progress"><strong>([^<]+)</strong>', page)
    return match and match.group(1)


def test_today_shows_progress_and_keeps_done_work_ticked(world, client, make_client):
    noon_in_new_york()
    first = give(world.couple, world.counselor, slug="daily-empathy")
    give(world.couple, world.counselor, slug="appreciation")
    client.login(world.partner_a)
    assert _progress(client.get("/me").get_data(as_text=True)) == "0 of 2 done"

    send(client, first)

    home = client.get("/me").get_data(as_text=True)
    checkin = db.session.scalar(select(CheckIn))
    assert _progress(home) == "1 of 2 done"
    done = re.search(r'<li class="today-done">(.*?)</li>', home, re.S).group(1)
    assert "(done)" in done
    assert f'href="/me/checkins/{checkin.id}"' in done
    assert f"/me/checkins/{first}/{TODAY.isoformat()}" not in home  # not offered again
    # the partner's own list is their own
    other = make_client()
    other.login(world.partner_b)
    assert _progress(other.get("/me").get_data(as_text=True)) == "0 of 2 done"


def _feedback_given(world, client, text: str) -> CheckIn:
    """Partner A (signed in on `client`) checks in on shared work; the counselor answers."""
    noon_in_new_york()
    client.login(world.partner_a)
    send(client, give(world.couple, world.counselor))
    [checkin] = checkins()
    services.give_feedback(checkin, world.counselor, text, checkin.version)
    db.session.commit()
    return checkin


def test_new_feedback_is_marked_until_its_check_in_is_opened(world, client):
    checkin = _feedback_given(world, client, "Well done.")
    new_mark = '<span class="badge badge-new">New</span>'
    assert new_mark in client.get("/me").get_data(as_text=True)
    assert new_mark in client.get("/me/checkins").get_data(as_text=True)

    assert client.get(f"/me/checkins/{checkin.id}").status_code == 200

    assert new_mark not in client.get("/me").get_data(as_text=True)
    assert new_mark not in client.get("/me/checkins").get_data(as_text=True)
    # changed feedback is new again
    clock.set_clock(clock.utcnow() + timedelta(minutes=5))
    db.session.refresh(checkin)
    services.give_feedback(checkin, world.counselor, "Well done, again.", checkin.version)
    db.session.commit()
    assert new_mark in client.get("/me").get_data(as_text=True)


def _send_signs(client, aid, due, rating):
    url = f"/me/checkins/{aid}/{due.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    data = {"token": token_of(page), **{f"sign_{key}": rating for key, _ in SIGNS}}
    assert client.post_form(url, data).status_code == 302


def test_signs_self_check_has_one_audience_note(world, client):
    noon_in_new_york()
    aid = give(world.couple, world.counselor, slug="signs-self-check")
    client.login(world.partner_a)
    page = client.get(f"/me/checkins/{aid}/{TODAY.isoformat()}").get_data(as_text=True)
    assert page.count('class="audience') == 1
    assert "Everything on this page: your counselor only" in page


def test_the_client_sees_their_own_signs_trend_and_only_their_own(world, make_client):
    aid_day = TODAY - timedelta(days=7)
    noon_in_new_york(aid_day)
    aid = give(world.couple, world.counselor, slug="signs-self-check", cadence="weekly",
               start=aid_day)
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    often = next(key for key, _label, value in SIGN_RATINGS if value == 2)
    rarely = next(key for key, _label, value in SIGN_RATINGS if value == 0)
    _send_signs(a, aid, aid_day, often)
    noon_in_new_york()
    _send_signs(a, aid, TODAY, rarely)

    history = a.get("/me/checkins").get_data(as_text=True)
    assert "Your self-check over time" in history
    assert "2 answers, from 20 to 0 (closer)" in history
    assert "lower means fewer signs of distance" in history
    assert "Your self-check over time" not in b.get("/me/checkins").get_data(as_text=True)
    assert "from 20 to 0" not in b.get("/me").get_data(as_text=True)
