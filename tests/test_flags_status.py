"""The flag status machine: every allowed change, every refused one, history and conflicts."""

from __future__ import annotations

import pytest

from practice.extensions import db
from practice.flags.models import Flag, FlagEvent
from practice.flags.services import TRANSITIONS, FlagError, change_status, raise_flag
from practice.modelbase import EditConflictError

STATUSES = ("open", "acknowledged", "session_scheduled", "resolved")
ALLOWED = [
    ("open", "acknowledged"),
    ("open", "session_scheduled"),
    ("open", "resolved"),
    ("acknowledged", "session_scheduled"),
    ("acknowledged", "resolved"),
    ("session_scheduled", "resolved"),
    ("resolved", "open"),
]
REFUSED = [(a, b) for a in STATUSES for b in STATUSES if (a, b) not in ALLOWED]


def _flag(world, status="open"):
    flag = raise_flag(world.couple, "broken_trust", "high", "Noticed in session.", "counselor",
                      partner=world.partner_a, actor=world.counselor)
    flag.status = status
    db.session.flush()
    return flag


def test_the_machine_is_exactly_the_documented_one():
    pairs = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert pairs == set(ALLOWED)


@pytest.mark.parametrize(("start", "target"), ALLOWED)
def test_allowed_transition_changes_status_and_writes_history(world, start, target):
    flag = _flag(world, start)
    change_status(flag, target, world.counselor, note="Done in session.")
    assert flag.status == target
    event = db.session.query(FlagEvent).filter_by(flag_id=flag.id).order_by(FlagEvent.id.desc())[0]
    assert (event.from_status, event.to_status, event.actor_id) == (start, target,
                                                                   world.counselor.id)
    assert event.note == "Done in session."
    assert event.action == ("reopened" if start == "resolved" else "status_changed")


@pytest.mark.parametrize(("start", "target"), REFUSED)
def test_refused_transition_says_why_and_changes_nothing(world, start, target):
    flag = _flag(world, start)
    with pytest.raises(FlagError) as refused:
        change_status(flag, target, world.counselor, note="A note.")
    assert flag.status == start
    message = str(refused.value)
    assert "already" in message or "cannot become" in message


def test_resolving_needs_a_note(world):
    flag = _flag(world)
    with pytest.raises(FlagError, match="resolution note"):
        change_status(flag, "resolved", world.counselor, note="   ")
    change_status(flag, "resolved", world.counselor, note="Worked through it.")
    assert flag.resolution_note == "Worked through it."
    assert flag.resolved_at is not None


def test_reopening_clears_the_resolved_time_and_keeps_history(world):
    flag = _flag(world)
    change_status(flag, "resolved", world.counselor, note="Closed.")
    change_status(flag, "open", world.counselor, note="It came back.")
    assert flag.status == "open"
    assert flag.resolved_at is None
    actions = [e.action for e in db.session.query(FlagEvent).filter_by(flag_id=flag.id)
               .order_by(FlagEvent.id)]
    assert actions == ["raised", "status_changed", "reopened"]


def test_acknowledging_stamps_the_time(world):
    flag = _flag(world)
    change_status(flag, "acknowledged", world.counselor)
    assert flag.acknowledged_at is not None


def test_an_edit_from_an_older_version_is_refused(world):
    flag = _flag(world)
    old = flag.version
    change_status(flag, "acknowledged", world.counselor, version=old)
    with pytest.raises(EditConflictError):
        change_status(flag, "resolved", world.counselor, note="x", version=old)


def _url(world, flag, suffix=""):
    return f"/couples/{world.couple.id}/flags/{flag.id}{suffix}"


def test_counselor_changes_status_through_the_page(world, client):
    flag = _flag(world)
    db.session.commit()
    client.login(world.counselor)
    response = client.post_form(_url(world, flag, "/status"),
                                {"to_status": "acknowledged", "version": flag.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "acknowledged"


def test_refused_change_through_the_page_keeps_the_typed_note(world, client):
    flag = _flag(world, "session_scheduled")
    db.session.commit()
    client.login(world.counselor)
    response = client.post_form(_url(world, flag, "/status"),
                                {"to_status": "acknowledged", "version": flag.version,
                                 "note": "typed words stay"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "cannot become acknowledged" in body
    assert "typed words stay" in body
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "session_scheduled"


def test_resolve_without_note_through_the_page_is_refused(world, client):
    flag = _flag(world)
    db.session.commit()
    client.login(world.counselor)
    body = client.post_form(_url(world, flag, "/status"),
                            {"to_status": "resolved", "version": flag.version}).get_data(True)
    assert "Write a resolution note" in body
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "open"


def test_two_staff_edits_from_the_same_version_second_is_refused(world, client):
    flag = _flag(world)
    db.session.commit()
    version = flag.version
    client.login(world.counselor)
    first = client.post_form(_url(world, flag, "/status"),
                             {"to_status": "acknowledged", "version": version})
    assert first.status_code == 302
    second = client.post_form(_url(world, flag, "/status"),
                              {"to_status": "resolved", "version": version,
                               "note": "my resolution text"})
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    assert "Someone else changed this flag" in body
    assert "my resolution text" in body
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "acknowledged"


def test_viewing_a_flag_is_audited(world, client):
    from practice.audit.models import AuditEntry

    flag = _flag(world)
    db.session.commit()
    client.login(world.supervisor)
    assert client.get(_url(world, flag)).status_code == 200
    db.session.expire_all()
    entry = db.session.query(AuditEntry).filter_by(action="flag_viewed").one()
    assert (entry.actor_id, entry.object_id) == (world.supervisor.id, flag.id)


def test_supervisor_sees_the_flag_read_only(world, client):
    flag = _flag(world)
    db.session.commit()
    client.login(world.supervisor)
    body = client.get(_url(world, flag)).get_data(as_text=True)
    assert "Read-only" in body
    assert "/status" not in body


def _error_for(body, field_id):
    import re

    match = re.search(rf'id="{field_id}-error">([^<]*)<', body)
    return match and match.group(1)


def test_each_refusal_shows_beside_the_field_it_is_about(world, client):
    flag = _flag(world)
    db.session.commit()
    client.login(world.counselor)
    url = _url(world, flag, "/status")
    body = client.post_form(url, {"version": flag.version, "note": "kept"}).get_data(True)
    assert _error_for(body, "to_status") == "Choose the new status."
    assert _error_for(body, "note") is None
    assert "kept" in body
    body = client.post_form(url, {"to_status": "resolved", "version": flag.version}
                            ).get_data(True)
    assert "Write a resolution note" in _error_for(body, "note")
    assert _error_for(body, "to_status") is None
    body = client.post_form(url, {"to_status": "open", "version": flag.version}).get_data(True)
    assert "already open" in _error_for(body, "to_status")
    body = client.post_form(url, {"to_status": "acknowledged", "version": flag.version,
                                  "note": "x" * 4001}).get_data(True)
    assert "4000" in _error_for(body, "note")
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == "open"
