"""Appointments: recording sessions, what happened, the counselor's day, calendar files and the
counselor's secret calendar feed, and what clients see."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from flask_migrate import downgrade, upgrade
from icalendar import Calendar
from sqlalchemy import Text, select, text, type_coerce

from practice import clock
from practice.appointments.models import Appointment
from practice.appointments.services import schedule_appointment
from practice.audit.models import AuditEntry
from practice.couples.models import Couple
from practice.crypto import cipher
from practice.extensions import db
from practice.flags.services import raise_flag

from .factories import make_couple


@pytest.fixture(autouse=True)
def _morning_of_the_first():
    """Tuesday 1 December 2026, 09:00 in New York, the couples' zone (the practice's: UTC)."""
    clock.set_clock(datetime(2026, 12, 1, 14, 0))


def _form(world, **overrides):
    data = {"day": "2026-12-01", "start": "15:00", "duration_minutes": "50", "mode": "joint",
            "partner_id": "", "agenda": "talk about weekends"}
    data.update(overrides)
    return data


def _schedule(world, day=date(2026, 12, 2), start=time(10, 0), couple=None, **kw):
    kw.setdefault("mode", "joint")
    kw.setdefault("partner_id", None)
    appointment = schedule_appointment(couple or world.couple, world.counselor, day=day,
                                       start=start, duration_minutes=50, **kw)
    db.session.commit()
    return appointment


def _actions(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_counselor_records_an_appointment_and_sees_it_today(world, client):
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/appointments/new", _form(world))
    appointment = db.session.scalars(select(Appointment)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/couples/{world.couple.id}/appointments/{appointment.id}")
    assert appointment.flag_id is None
    assert appointment.status == "scheduled"
    assert appointment.starts_at == datetime(2026, 12, 1, 20, 0)
    home = client.get("/caseload").get_data(as_text=True)
    today = home.split("Today, Tue 01 Dec")[1].split("Tomorrow")[0]
    assert world.couple.label in today
    assert f"/couples/{world.couple.id}/appointments/{appointment.id}" in today


def test_tomorrow_is_shown_and_the_day_after_is_not(world, client):
    tomorrow = _schedule(world, day=date(2026, 12, 2))
    later = _schedule(world, day=date(2026, 12, 3))
    client.login(world.counselor)
    home = client.get("/caseload").get_data(as_text=True)
    assert f"appointments/{tomorrow.id}\"" in home.split("Tomorrow, Wed 02 Dec")[1]
    assert f"appointments/{later.id}\"" not in home


def test_another_counselors_appointments_stay_off_the_home(world, make_client):
    mine = _schedule(world)
    c = make_client()
    c.login(world.other_counselor)
    assert f"appointments/{mine.id}" not in c.get("/caseload").get_data(as_text=True)


def test_a_failed_form_keeps_its_input(world, client):
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/appointments/new",
                                _form(world, mode="individual", agenda="keep this text"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose which partner the session is with." in body
    assert "keep this text" in body
    assert db.session.scalars(select(Appointment)).first() is None


def test_an_open_harm_flag_holds_joint_sessions_until_a_reason_is_recorded(world, client):
    raise_flag(world.couple, "harm", "urgent", "Seen.", "counselor", partner=world.partner_a,
               actor=world.counselor)
    db.session.commit()
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/appointments/new"
    refused = client.post_form(url, _form(world))
    assert "A harm flag is open on this couple" in refused.get_data(as_text=True)
    assert client.post_form(url, _form(world, partner_id=str(world.partner_a.id),
                                       mode="individual")).status_code == 302
    assert client.post_form(url, _form(world, joint_safety_reason="Both asked; screened."),
                            ).status_code == 302


def test_attendance_is_recorded_afterwards_and_the_last_session_shows(world, client):
    appointment = _schedule(world)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/appointments/{appointment.id}/attendance"
    early = client.post_form(url, {"status": "attended", "version": "1"})
    assert "has not started yet" in early.get_data(as_text=True)
    clock.set_clock(datetime(2026, 12, 2, 16, 0))
    assert client.post_form(url, {"status": "attended", "version": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).status == "attended"
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    last = page.split("Last attended")[1].split("</dd>")[0]
    assert "02 Dec 2026" in last


def test_a_stale_attendance_form_is_a_conflict_not_an_overwrite(world, client):
    appointment = _schedule(world)
    clock.set_clock(datetime(2026, 12, 2, 16, 0))
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/appointments/{appointment.id}/attendance"
    assert client.post_form(url, {"status": "no_show", "version": "1"}).status_code == 302
    stale = client.post_form(url, {"status": "attended", "version": "1"})
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).status == "no_show"


def test_the_calendar_file_names_time_and_label_only_and_is_audited(world, client):
    appointment = _schedule(world, mode="individual", partner_id=world.partner_a.id,
                            agenda="the affair")
    client.login(world.supervisor)
    response = client.get(f"/couples/{world.couple.id}/appointments/{appointment.id}.ics")
    assert response.mimetype == "text/calendar"
    event = next(iter(Calendar.from_ical(response.data).walk("VEVENT")))
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 12, 2, 15, 0)
    assert str(event["summary"]) == f"Session: {world.couple.label}"
    assert b"affair" not in response.data
    assert world.partner_a.display_name.encode() not in response.data
    assert len(_actions("appointment_downloaded")) == 1


def _new_address(client):
    body = client.post_form("/calendar/address").get_data(as_text=True)
    start = body.index("http://localhost/calendar/feed/")
    return body[start:body.index('"', start)]


def test_the_calendar_feed_lists_the_caseloads_sessions_and_its_fetch_is_audited(world, client,
                                                                                make_client):
    mine = _schedule(world, mode="individual", partner_id=world.partner_b.id, agenda="secret")
    other = _schedule(world, couple=world.other_couple)
    client.login(world.counselor)
    address = _new_address(client)
    anonymous = make_client()
    response = anonymous.get(address)
    assert response.status_code == 200
    events = list(Calendar.from_ical(response.data).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"appointment-{mine.id}@bridgework"]
    assert str(events[0]["summary"]) == f"Session: {world.couple.label}"
    for word in (b"secret", world.partner_b.display_name.encode(), b"DESCRIPTION"):
        assert word not in response.data
    assert f"appointment-{other.id}" not in response.get_data(as_text=True)
    fetched = _actions("calendar_feed_fetched")
    assert [(e.actor_id, e.object_type) for e in fetched] == [(world.counselor.id,
                                                               "calendar_feed")]


def test_a_revoked_or_replaced_address_stops_working(world, client, make_client):
    client.login(world.counselor)
    first = _new_address(client)
    second = _new_address(client)
    anonymous = make_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    client.post_form("/calendar/address/revoke")
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/calendar/feed/not-a-token.ics").status_code == 404


def test_clients_see_their_own_and_joint_appointments_only(world, make_client):
    _schedule(world, day=date(2026, 12, 2), start=time(10, 0))
    _schedule(world, day=date(2026, 12, 3), start=time(11, 0), mode="individual",
              partner_id=world.partner_a.id)
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    home_a, home_b = a.get("/me").get_data(as_text=True), b.get("/me").get_data(as_text=True)
    # Every appointment reads the same on a client's home (issue 13): "Appointment with your
    # counselor" and its time, whoever it is with.
    assert "Appointment with your counselor · Wed 02 Dec, 10:00" in home_a
    assert "Appointment with your counselor · Wed 02 Dec, 10:00" in home_b
    assert "Appointment with your counselor · Thu 03 Dec, 11:00" in home_a
    assert "Thu 03 Dec, 11:00" not in home_b


def test_reading_an_appointment_is_audited(world, client):
    appointment = _schedule(world)
    client.login(world.counselor)
    client.get(f"/couples/{world.couple.id}/appointments/{appointment.id}")
    client.get(f"/couples/{world.couple.id}/appointments")
    assert len(_actions("appointment_viewed")) == 1
    assert len(_actions("appointments_viewed")) == 1


def test_the_migration_moves_focused_sessions_into_appointments(app, world):
    flag = raise_flag(world.couple, "broken_trust", "high", "Seen.", "counselor",
                      actor=world.counselor)
    couple = make_couple(world.counselor)
    db.session.commit()
    flag_id, couple_id, other_id = flag.id, world.couple.id, couple.id
    db.session.remove()
    downgrade(revision="1303")
    with db.engine.begin() as conn:
        for sid, status in ((7, "done"), (9, "scheduled")):
            conn.execute(text(
                "INSERT INTO focused_sessions (id, flag_id, couple_id, starts_at, "
                "duration_minutes, mode, status, version, created_at, updated_at) VALUES "
                "(:id, :flag, :couple, :at, 50, 'joint', :status, 1, :at, :at)"),
                {"id": sid, "flag": flag_id, "couple": couple_id, "status": status,
                 "at": datetime(2026, 11, 20, 10, 0)})
    upgrade()
    moved = {a.id: (a.flag_id, a.status) for a in db.session.scalars(select(Appointment))}
    assert moved == {7: (flag_id, "attended"), 9: (flag_id, "scheduled")}
    other = db.session.get(Couple, other_id)
    fresh = schedule_appointment(other, other.counselor, day=date(2026, 12, 2), start=time(9),
                                 duration_minutes=50, mode="joint", partner_id=None)
    assert fresh.id > 9


def test_the_migration_moves_an_encrypted_agenda_as_it_is_and_back(app, world):
    """Focused-session agendas are encrypted at rest (issue 11): the move into appointments
    copies the ciphertext, never decrypting it, and the appointment reads the same words."""
    flag = raise_flag(world.couple, "broken_trust", "high", "Seen.", "counselor",
                      actor=world.counselor)
    db.session.commit()
    flag_id, couple_id = flag.id, world.couple.id
    token = cipher().encrypt(b"their weekend plans").decode()
    db.session.remove()
    downgrade(revision="1303")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO focused_sessions (id, flag_id, couple_id, starts_at, duration_minutes, "
            "mode, agenda, status, version, created_at, updated_at) VALUES "
            "(5, :flag, :couple, :at, 50, 'joint', :agenda, 'scheduled', 1, :at, :at)"),
            {"flag": flag_id, "couple": couple_id, "agenda": token,
             "at": datetime(2026, 11, 20, 10, 0)})
    upgrade()
    raw = db.session.execute(text("SELECT agenda FROM appointments WHERE id = 5")).scalar()
    assert raw == token
    assert db.session.get(Appointment, 5).agenda == "their weekend plans"
    db.session.remove()
    downgrade(revision="1303")
    with db.engine.connect() as conn:
        back = conn.execute(text("SELECT agenda FROM focused_sessions WHERE id = 5")).scalar()
    assert back == token
    upgrade()


def test_session_notes_are_stored_encrypted(world):
    from practice.appointments.models import NoteAddendum, SessionNote

    appointment = _schedule(world)
    note = SessionNote(appointment_id=appointment.id, couple_id=world.couple.id,
                       author_id=world.counselor.id, template="dap", dap_data="CANARY-DATA",
                       assessment="CANARY-ASSESSMENT", plan="CANARY-PLAN")
    db.session.add(note)
    db.session.flush()
    db.session.add(NoteAddendum(note_id=note.id, author_id=world.counselor.id,
                                body="CANARY-ADDENDUM"))
    db.session.commit()
    for column in (SessionNote.dap_data, SessionNote.assessment, SessionNote.plan,
                   NoteAddendum.body):
        raw = db.session.scalars(select(type_coerce(column, Text))).one()
        assert "CANARY" not in raw, column
        assert raw.startswith("gAAAAA"), column
    db.session.expire_all()
    assert db.session.get(SessionNote, note.id).plan == "CANARY-PLAN"


def test_a_session_to_come_can_be_cancelled_but_not_missed(world, client):
    appointment = _schedule(world)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/appointments/{appointment.id}/attendance"
    missed = client.post_form(url, {"status": "no_show", "version": "1"})
    assert "has not started yet" in missed.get_data(as_text=True)
    assert client.post_form(url, {"status": "cancelled", "version": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).status == "cancelled"
