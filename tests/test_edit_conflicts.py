"""One edit-conflict path: a save made from a stale page answers 409, says so, and keeps what
was typed, with the current version in the form so that saving again works."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from practice import clock
from practice.extensions import db
from practice.flags.models import Flag, FocusedSession
from practice.flags.services import raise_flag, schedule_session


def _session(world):
    clock.set_clock(datetime(2026, 11, 25, 12, 0))
    flag = raise_flag(world.couple, "broken_trust", "high", "Seen in session.", "counselor",
                      partner=world.partner_a, actor=world.counselor)
    session = schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                               duration_minutes=50, mode="joint", partner_id=None, agenda=None,
                               joint_safety_reason=None)
    db.session.commit()
    return flag, session


def _version_in(page: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def test_a_stale_session_outcome_is_refused_kept_and_can_be_saved_again(world, client):
    flag, session = _session(world)
    url = f"/couples/{world.couple.id}/flags/{flag.id}/sessions/{session.id}/outcome"
    client.login(world.counselor)
    stale = str(session.version)
    first = client.post_form(url, {"outcome": "First notes", "next_step": "keep",
                                   "version": stale})
    assert first.status_code == 302
    second = client.post_form(url, {"outcome": "Notes from an old tab", "next_step": "keep",
                                    "version": stale})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this flag" in page
    assert "Notes from an old tab" in page
    db.session.expire_all()
    current = db.session.get(FocusedSession, session.id)
    assert current.outcome == "First notes"
    assert _version_in(page) == str(current.version)
    again = client.post_form(url, {"outcome": "Notes from an old tab", "next_step": "keep",
                                   "version": _version_in(page)})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(FocusedSession, session.id).outcome == "Notes from an old tab"


def test_a_flag_change_without_the_version_it_was_made_from_is_a_conflict(world, client):
    flag = raise_flag(world.couple, "broken_trust", "high", "Seen in session.", "counselor",
                      partner=world.partner_a, actor=world.counselor)
    db.session.commit()
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/flags/{flag.id}/status",
                                {"to_status": "resolved", "note": "typed resolution"})
    assert response.status_code == 409
    assert "typed resolution" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "open"


def test_a_stale_couple_edit_keeps_the_form_with_the_current_version(world, client):
    couple = world.couple
    url = f"/couples/{couple.id}/edit"
    client.login(world.counselor)
    stale = str(couple.version)
    data = {"label": "Renamed", "timezone": "UTC", "status": "active", "version": stale}
    assert client.post_form(url, data).status_code == 302
    response = client.post_form(url, {**data, "label": "From an old tab"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="From an old tab"' in page
    db.session.expire_all()
    assert _version_in(page) != stale
