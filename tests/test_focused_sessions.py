"""Focused sessions: individual first for harm, outcomes, calendar files, what clients see."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from icalendar import Calendar

from practice import clock
from practice.extensions import db
from practice.flags.models import Flag, FocusedSession
from practice.flags.services import FlagError, change_status, raise_flag, schedule_session


@pytest.fixture(autouse=True)
def _before_the_sessions():
    """Sessions below are on fixed December days: the clock stands before them."""
    clock.set_clock(datetime(2026, 11, 25, 12, 0))


def _flag(world, category="harm"):
    flag = raise_flag(world.couple, category, "urgent" if category == "harm" else "high",
                      "Seen in session.", "counselor", partner=world.partner_a,
                      actor=world.counselor)
    db.session.commit()
    return flag


def _url(world, flag, suffix=""):
    return f"/couples/{world.couple.id}/flags/{flag.id}{suffix}"


def _form(world, **overrides):
    data = {"day": "2026-12-03", "start": "18:30", "duration_minutes": "50",
            "mode": "individual", "partner_id": str(world.partner_a.id), "agenda": "the plan"}
    data.update(overrides)
    return data


def _checked_mode(body):
    match = re.search(r'<input checked id="mode-\d" name="mode"[^>]*value="(\w+)"', body)
    return match and match.group(1)


def test_harm_flag_proposes_an_individual_session_with_that_partner(world, client):
    flag = _flag(world)
    client.login(world.counselor)
    body = client.get(_url(world, flag, "/sessions/new")).get_data(as_text=True)
    assert _checked_mode(body) == "individual"
    assert f'<option selected value="{world.partner_a.id}">' in body


def test_other_flags_propose_a_joint_session(world, client):
    flag = _flag(world, "broken_trust")
    client.login(world.counselor)
    body = client.get(_url(world, flag, "/sessions/new")).get_data(as_text=True)
    assert _checked_mode(body) == "joint"


def test_a_flag_from_a_partners_private_answer_proposes_a_session_with_them_alone(world,
                                                                                 client):
    """'Something broke my trust' is marked for the counselor only: the first session the
    form proposes is with that partner, not one the other partner would see on their home."""
    from practice.flags.hooks import after_checkin_submitted

    from .factories import make_checkin

    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=6, broke_trust=True)
    after_checkin_submitted(checkin)
    flag = db.session.query(Flag).filter_by(category="broken_trust").one()
    db.session.commit()
    client.login(world.counselor)
    body = client.get(_url(world, flag, "/sessions/new")).get_data(as_text=True)
    assert _checked_mode(body) == "individual"
    assert f'<option selected value="{world.partner_a.id}">' in body


def test_joint_session_on_a_harm_flag_needs_a_recorded_reason(world, client):
    flag = _flag(world)
    client.login(world.counselor)
    response = client.post_form(_url(world, flag, "/sessions/new"), _form(world, mode="joint"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "record why it is safe" in body
    assert "the plan" in body  # what was typed is kept
    assert db.session.query(FocusedSession).count() == 0
    response = client.post_form(_url(world, flag, "/sessions/new"),
                                _form(world, mode="joint",
                                      joint_safety_reason="Both seen alone; no current risk."))
    assert response.status_code == 302
    db.session.expire_all()
    session = db.session.query(FocusedSession).one()
    assert (session.mode, session.partner_id) == ("joint", None)
    assert session.joint_safety_reason == "Both seen alone; no current risk."


def test_service_refuses_joint_harm_session_without_reason(world):
    flag = _flag(world)
    with pytest.raises(FlagError):
        schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                         duration_minutes=50, mode="joint", partner_id=None, agenda=None,
                         joint_safety_reason="  ")


def test_individual_session_needs_a_partner_of_this_couple(world):
    flag = _flag(world, "broken_trust")
    with pytest.raises(FlagError, match="which partner"):
        schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                         duration_minutes=50, mode="individual",
                         partner_id=world.other_client.id, agenda=None, joint_safety_reason=None)


def test_scheduling_stores_utc_and_moves_the_flag(world, client):
    flag = _flag(world)  # couple in America/New_York
    client.login(world.counselor)
    assert client.post_form(_url(world, flag, "/sessions/new"), _form(world)).status_code == 302
    db.session.expire_all()
    session = db.session.query(FocusedSession).one()
    assert session.starts_at == datetime(2026, 12, 3, 23, 30)  # 18:30 EST = 23:30 UTC
    assert db.session.get(Flag, flag.id).status == "session_scheduled"


def test_outcome_then_resolve_needs_a_note(world, client):
    flag = _flag(world, "broken_trust")
    session = schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                               duration_minutes=50, mode="joint", partner_id=None, agenda=None,
                               joint_safety_reason=None)
    db.session.commit()
    client.login(world.counselor)
    url = _url(world, flag, f"/sessions/{session.id}/outcome")
    body = client.post_form(url, {"outcome": "Good talk", "next_step": "resolve",
                                  "version": session.version}).get_data(as_text=True)
    assert "resolution note" in body
    assert "Good talk" in body
    response = client.post_form(url, {"outcome": "Good talk", "next_step": "resolve",
                                      "resolution_note": "Trust plan agreed.",
                                      "version": session.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FocusedSession, session.id).outcome == "Good talk"
    flag = db.session.get(Flag, flag.id)
    assert (flag.status, flag.resolution_note) == ("resolved", "Trust plan agreed.")


def test_outcome_can_keep_the_flag_open(world, client):
    flag = _flag(world, "broken_trust")
    session = schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                               duration_minutes=50, mode="joint", partner_id=None, agenda=None,
                               joint_safety_reason=None)
    db.session.commit()
    client.login(world.counselor)
    client.post_form(_url(world, flag, f"/sessions/{session.id}/outcome"),
                     {"outcome": "More to do", "next_step": "keep", "version": session.version})
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "session_scheduled"


def test_flag_page_suggests_the_categorys_exercises(world, client):
    flag = _flag(world, "broken_trust")
    client.login(world.counselor)
    body = client.get(_url(world, flag)).get_data(as_text=True)
    assert "Rebuild trust, bit by bit" in body
    assert "Set regular check-ins" in body
    assert f'href="/couples/{world.couple.id}"' in body


def test_calendar_file_has_the_time_and_no_agenda(world, client):
    flag = _flag(world)
    session = schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(18, 30),
                               duration_minutes=45, mode="individual",
                               partner_id=world.partner_a.id, agenda="secret agenda",
                               joint_safety_reason=None)
    db.session.commit()
    client.login(world.supervisor)
    response = client.get(_url(world, flag, f"/sessions/{session.id}.ics"))
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    event = next(iter(Calendar.from_ical(response.data).walk("VEVENT")))
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 12, 3, 23, 30)
    assert (event.decoded("dtend") - event.decoded("dtstart")).seconds == 45 * 60
    assert b"secret agenda" not in response.data
    assert b"harm" not in response.data.lower()


def test_clients_see_only_their_own_individual_sessions_and_joint_ones(world, make_client):
    clock.set_clock(datetime(2026, 12, 1, 12, 0))
    flag = _flag(world)
    schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(18, 30),
                     duration_minutes=50, mode="individual", partner_id=world.partner_a.id,
                     agenda="agenda-for-a", joint_safety_reason=None)
    db.session.commit()
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    home_a = a.get("/me").get_data(as_text=True)
    assert "Thursday 03 December, 18:30" in home_a
    assert "Just you and your counselor" in home_a
    assert "agenda-for-a" not in home_a
    assert "Emotional or physical harm" not in home_a
    home_b = b.get("/me").get_data(as_text=True)
    assert "upcoming sessions" not in home_b
    assert "18:30" not in home_b
    schedule_session(flag, world.counselor, day=date(2026, 12, 10), start=time(9, 0),
                     duration_minutes=50, mode="joint", partner_id=None, agenda="joint-agenda",
                     joint_safety_reason="Assessed safe.")
    db.session.commit()
    home_b = b.get("/me").get_data(as_text=True)
    assert "Thursday 10 December, 09:00" in home_b
    assert "Together with your counselor" in home_b
    assert "joint-agenda" not in home_b
    assert "Assessed safe" not in home_b
    assert "03 December" not in home_b


def _error_for(body, field_id):
    match = re.search(rf'id="{field_id}-error">([^<]*)<', body)
    return match and match.group(1)


def test_a_session_in_the_past_is_refused_with_what_was_typed_kept(world, client):
    flag = _flag(world)
    client.login(world.counselor)
    response = client.post_form(_url(world, flag, "/sessions/new"),
                                _form(world, day="2025-01-01", agenda="typed agenda"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "has already passed" in _error_for(body, "day")
    assert "typed agenda" in body
    assert db.session.query(FocusedSession).count() == 0
    # Earlier today, in the couple's own zone (12:00 UTC is 07:00 in New York), also passed.
    response = client.post_form(_url(world, flag, "/sessions/new"),
                                _form(world, day="2026-11-25", start="06:30"))
    assert "has already passed" in response.get_data(as_text=True)
    assert client.post_form(_url(world, flag, "/sessions/new"),
                            _form(world, day="2026-11-25", start="07:30")).status_code == 302


def test_a_time_the_clocks_skip_or_repeat_is_refused_not_moved(world, client):
    flag = _flag(world)  # America/New_York: 14 Mar 2027 02:00 -> 03:00, 7 Nov 2027 02:00 -> 01:00
    client.login(world.counselor)
    url = _url(world, flag, "/sessions/new")
    body = client.post_form(url, _form(world, day="2027-03-14", start="02:30")).get_data(
        as_text=True)
    assert "does not exist in America/New_York" in _error_for(body, "start")
    body = client.post_form(url, _form(world, day="2027-11-07", start="01:30")).get_data(
        as_text=True)
    assert "happens twice in America/New_York" in _error_for(body, "start")
    assert db.session.query(FocusedSession).count() == 0
    assert client.post_form(url, _form(world, day="2027-03-14", start="03:30")).status_code == 302
    db.session.expire_all()
    assert db.session.query(FocusedSession).one().starts_at == datetime(2027, 3, 14, 7, 30)


def test_a_resolved_flag_gets_no_new_session(world, client):
    flag = _flag(world, "broken_trust")
    change_status(flag, "resolved", world.counselor, "Done.")
    db.session.commit()
    client.login(world.counselor)
    response = client.get(_url(world, flag, "/sessions/new"))
    assert response.headers["Location"] == _url(world, flag)
    response = client.post_form(_url(world, flag, "/sessions/new"), _form(world),
                                follow_redirects=True)
    assert "Reopen it to schedule" in response.get_data(as_text=True)
    assert db.session.query(FocusedSession).count() == 0
    with pytest.raises(FlagError, match="Reopen"):
        schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                         duration_minutes=50, mode="joint", partner_id=None, agenda=None,
                         joint_safety_reason=None)


def test_an_outcome_can_be_recorded_for_a_session_of_a_resolved_flag(world, client):
    flag = _flag(world, "broken_trust")
    first = schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                             duration_minutes=50, mode="joint", partner_id=None, agenda=None,
                             joint_safety_reason=None)
    change_status(flag, "resolved", world.counselor, "Resolved after a call.")
    db.session.commit()
    client.login(world.counselor)
    url = _url(world, flag, f"/sessions/{first.id}/outcome")
    page = client.get(url).get_data(as_text=True)
    assert 'name="next_step"' not in page  # the form offers no choice for a resolved flag
    response = client.post_form(url, {"outcome": "Went well", "version": first.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(FocusedSession, first.id).outcome == "Went well"
    # Asking to resolve it again is refused before anything is saved.
    session = db.session.get(FocusedSession, first.id)
    body = client.post_form(url, {"outcome": "Changed", "next_step": "resolve",
                                  "resolution_note": "again", "version": session.version}
                            ).get_data(as_text=True)
    assert "already resolved" in body
    db.session.expire_all()
    assert db.session.get(FocusedSession, first.id).outcome == "Went well"
