"""Session notes: the practice's template, draft then signed and locked, dated signed addenda,
staff only and audited when read."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from practice import clock
from practice.admin.services import get_settings
from practice.appointments.models import SessionNote
from practice.appointments.services import schedule_appointment
from practice.audit.models import AuditEntry
from practice.extensions import db


@pytest.fixture
def appointment(world):
    clock.set_clock(datetime(2026, 12, 1, 12, 0))
    made = schedule_appointment(world.couple, world.counselor, day=date(2026, 12, 2),
                                start=time(10), duration_minutes=50, mode="joint",
                                partner_id=None)
    db.session.commit()
    return made


def _url(world, appointment, suffix=""):
    return f"/couples/{world.couple.id}/appointments/{appointment.id}{suffix}"


def _note():
    db.session.expire_all()
    return db.session.scalars(select(SessionNote)).one()


def test_the_practice_chooses_the_template(world, client, appointment):
    get_settings().note_template = "soap"
    db.session.commit()
    client.login(world.counselor)
    page = client.get(_url(world, appointment, "/note")).get_data(as_text=True)
    for heading in ("Subjective", "Objective", "Assessment", "Plan"):
        assert f">{heading}</label>" in page
    assert ">Note</label>" not in page
    client.post_form(_url(world, appointment, "/note"),
                     {"subjective": "Both tired", "plan": "Weekly check-ins"})
    note = _note()
    assert (note.template, note.subjective, note.plan) == ("soap", "Both tired",
                                                           "Weekly check-ins")


def test_a_draft_is_edited_then_signed_and_locked(world, client, appointment):
    client.login(world.counselor)
    url = _url(world, appointment, "/note")
    client.post_form(url, {"body": "first draft"})
    assert _note().signed_at is None
    client.post_form(url, {"body": "final words", "version": str(_note().version),
                           "sign": "1"})
    note = _note()
    assert note.body == "final words"
    assert note.signed_by_id == world.counselor.id
    refused = client.post_form(url, {"body": "rewritten", "version": str(note.version)})
    assert refused.status_code == 409
    assert "signed and locked" in refused.get_data(as_text=True)
    assert _note().body == "final words"
    assert client.get(url).status_code == 302


def test_an_empty_note_cannot_be_signed_and_keeps_the_form(world, client, appointment):
    client.login(world.counselor)
    response = client.post_form(_url(world, appointment, "/note"), {"body": "  ", "sign": "1"})
    assert "An empty note cannot be signed" in response.get_data(as_text=True)
    assert db.session.scalars(select(SessionNote)).first() is None


def test_a_stale_draft_is_a_conflict_that_keeps_the_text(world, client, appointment):
    client.login(world.counselor)
    url = _url(world, appointment, "/note")
    client.post_form(url, {"body": "v1"})
    client.post_form(url, {"body": "v2", "version": "1"})
    stale = client.post_form(url, {"body": "my lost words", "version": "1"})
    assert stale.status_code == 409
    assert "my lost words" in stale.get_data(as_text=True)
    assert _note().body == "v2"


def test_addenda_only_after_signing_dated_and_signed(world, client, appointment):
    client.login(world.counselor)
    url = _url(world, appointment, "/note")
    client.post_form(url, {"body": "draft"})
    early = client.post_form(_url(world, appointment, "/note/addenda"), {"body": "extra"})
    assert "Sign the note first" in early.get_data(as_text=True)
    client.post_form(url, {"body": "done", "version": str(_note().version), "sign": "1"})
    clock.set_clock(datetime(2026, 12, 3, 15, 30))
    client.post_form(_url(world, appointment, "/note/addenda"), {"body": "Called them after."})
    addenda = _note().addenda
    assert [(a.body, a.author_id, a.signed_at) for a in addenda] == [
        ("Called them after.", world.counselor.id, datetime(2026, 12, 3, 15, 30))]
    page = client.get(_url(world, appointment)).get_data(as_text=True)
    assert "Called them after." in page
    assert f"signed {world.counselor.display_name}" in page


def test_the_supervisor_reads_it_in_drill_down_and_the_read_is_audited(world, client,
                                                                      make_client, appointment):
    client.login(world.counselor)
    client.post_form(_url(world, appointment, "/note"), {"body": "private reading"})
    supervisor, outsider = make_client(), make_client()
    supervisor.login(world.supervisor)
    outsider.login(world.other_supervisor)
    assert "private reading" in supervisor.get(_url(world, appointment)).get_data(as_text=True)
    assert outsider.get(_url(world, appointment)).status_code == 404
    reads = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "session_note_viewed")).all()
    assert [(r.actor_id, r.object_id) for r in reads] == [(world.supervisor.id, _note().id)]
    partner = make_client()
    partner.login(world.partner_a)
    assert "private reading" not in partner.get("/me").get_data(as_text=True)


def test_the_administrator_sets_the_template_in_practice_settings(world, client):
    settings = get_settings()
    db.session.commit()
    client.login(world.admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Session notes are written as" in page
    data = {"version": str(settings.version), "name": "Quiet Harbor", "default_timezone": "UTC",
            "checkin_expiry_days": "4", "urgent_ack_hours": "24", "high_ack_hours": "72",
            "emergency_number": "911", "hotline_name": "Line", "hotline_phone": "1-800",
            "contact_text": "Call us.", "note_template": "dap"}
    assert client.post_form("/admin/settings", data).status_code == 302
    db.session.expire_all()
    assert get_settings().note_template == "dap"
