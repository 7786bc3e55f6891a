"""Appointments: recording them, what happened, the counselor's day, and calendar files.

Calendar entries travel to phones and shared calendars: they carry the time and the couple's
label, never a flag, a situation, an agenda or a partner's name.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import couples_in_scope
from ..audit.services import record
from ..clock import local_to_utc, local_today, to_local, utcnow
from ..couples.models import Couple
from ..extensions import db
from ..flags.models import Flag
from ..flags.services import FlagError, session_start_utc
from ..links import public_url
from ..modelbase import LATEST, check_version, save_versioned
from .models import MODES, STATUS_LABELS, Appointment, CalendarFeed

FEED_PAST_DAYS = 30  # a subscribed calendar keeps the last month of sessions
OUTCOMES = ("attended", "cancelled", "no_show")


class AppointmentError(FlagError):
    """An appointment the rules refuse; `field` names the form field it is about."""


def holds_joint_work(couple: Couple) -> bool:
    """An open harm flag holds joint work: a joint session then needs a recorded reason."""
    return db.session.scalar(
        select(Flag.id).where(Flag.couple_id == couple.id, Flag.category == "harm",
                              Flag.status != "resolved").limit(1)
    ) is not None


def schedule_appointment(couple: Couple, actor, *, day: date, start: time,
                         duration_minutes: int, mode: str, partner_id: int | None,
                         agenda: str | None = None,
                         joint_safety_reason: str | None = None) -> Appointment:
    """Record a session with the couple or one partner; the time is wall-clock in the couple's
    zone (a time already past, skipped or repeated by a clock change is refused)."""
    starts_at = session_start_utc(day, start, couple.timezone)
    reason = (joint_safety_reason or "").strip() or None
    if mode not in MODES:
        raise AppointmentError("Choose an individual or a joint session.", field="mode")
    if mode == "individual":
        if partner_id is None or couple.partner_slot(partner_id) is None:
            raise AppointmentError("Choose which partner the session is with.",
                                   field="partner_id")
    else:
        partner_id = None
        if not reason and holds_joint_work(couple):
            raise AppointmentError(
                "A harm flag is open on this couple. To hold a joint session, record why it is "
                "safe to do so.", field="joint_safety_reason")
    appointment = Appointment(
        couple_id=couple.id, starts_at=starts_at, duration_minutes=duration_minutes, mode=mode,
        partner_id=partner_id, agenda=(agenda or "").strip() or None,
        joint_safety_reason=reason if mode == "joint" else None, status="scheduled",
        created_by_id=actor.id,
    )
    db.session.add(appointment)
    db.session.flush()
    record("appointment_scheduled", obj=appointment, actor=actor, detail=f"mode={mode}")
    return appointment


def record_attendance(appointment: Appointment, actor, status: str, version=LATEST) -> None:
    """Afterwards: attended, cancelled or did not come."""
    check_version(appointment, version)
    if status not in OUTCOMES:
        raise AppointmentError("Choose what happened.", field="status")
    if status != "cancelled" and appointment.starts_at > utcnow():
        raise AppointmentError("This session has not started yet: mark it attended or missed "
                               "once it has begun, or cancel it.", field="status")
    appointment.status = status
    save_versioned()
    record("appointment_attendance", obj=appointment, actor=actor, detail=status)


def couple_appointments(couple: Couple) -> list[Appointment]:
    """All of a couple's appointments, latest first (one query)."""
    return list(db.session.scalars(
        select(Appointment).options(joinedload(Appointment.partner))
        .where(Appointment.couple_id == couple.id)
        .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
    ))


def last_attended(couple: Couple) -> Appointment | None:
    """The last session the couple (or one partner) attended: where "since the last session"
    starts."""
    return db.session.scalars(
        select(Appointment).options(joinedload(Appointment.partner))
        .where(Appointment.couple_id == couple.id, Appointment.status == "attended")
        .order_by(Appointment.starts_at.desc()).limit(1)
    ).first()


def session_days(couple: Couple, since: date) -> list[date]:
    """Local days of the couple's attended or scheduled sessions from `since` on (one query)."""
    start, _ = day_bounds(since, couple.timezone)
    rows = db.session.scalars(
        select(Appointment.starts_at).where(
            Appointment.couple_id == couple.id, Appointment.starts_at >= start,
            Appointment.status.in_(("attended", "scheduled")))
    ).all()
    return sorted({to_local(at, couple.timezone).date() for at in rows})


def next_scheduled(couple: Couple) -> Appointment | None:
    """The couple's next session still to come."""
    return db.session.scalars(
        select(Appointment).options(joinedload(Appointment.partner))
        .where(Appointment.couple_id == couple.id, Appointment.status == "scheduled",
               Appointment.starts_at >= utcnow())
        .order_by(Appointment.starts_at).limit(1)
    ).first()


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The naive UTC start and end of a local day."""
    start = local_to_utc(datetime.combine(day, time()), tz)
    return start, local_to_utc(datetime.combine(day + timedelta(days=1), time()), tz)


def agenda_for(user, tz: str, days: int = 2) -> list[tuple[date, list]]:
    """The counselor's scheduled appointments today and the next days, by local day, each row
    (appointment, couple label, couple zone). One query."""
    today = local_today(tz)
    start, _ = day_bounds(today, tz)
    _, end = day_bounds(today + timedelta(days=days - 1), tz)
    rows = db.session.execute(
        select(Appointment, Couple.label)
        .join(Couple, Couple.id == Appointment.couple_id)
        .where(couples_in_scope(user), Appointment.status == "scheduled",
               Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Appointment.starts_at)
    ).all()
    by_day = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        lo, hi = day_bounds(day, tz)
        by_day.append((day, [(a, label) for a, label in rows if lo <= a.starts_at < hi]))
    return by_day


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


# ---------------------------------------------------------------- calendar files


def calendar_file(entries, *, link_for=None) -> bytes:
    """An iCalendar file of (appointment, couple label) pairs: times and labels only.
    `link_for(appointment)` may add the appointment's address in the app."""
    cal = Calendar()
    cal.add("prodid", "-//Bridgework//Appointments//EN")
    cal.add("version", "2.0")
    stamp = utcnow().replace(tzinfo=UTC)
    for appointment, label in entries:
        event = Event()
        event.add("uid", f"appointment-{appointment.id}@bridgework")
        event.add("dtstamp", stamp)
        start = appointment.starts_at.replace(tzinfo=UTC)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=appointment.duration_minutes))
        event.add("summary", f"Session: {label}")
        if appointment.status == "cancelled":
            event.add("status", "CANCELLED")
        if link_for is not None:
            event.add("description", link_for(appointment))
        cal.add_component(event)
    return cal.to_ical()


def appointment_ics(appointment: Appointment, couple: Couple) -> bytes:
    """One appointment as a calendar file, with its address in the app."""
    return calendar_file(
        [(appointment, couple.label)],
        link_for=lambda a: public_url("appointments.detail", couple_id=couple.id,
                                      appointment_id=a.id),
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(counselor) -> CalendarFeed | None:
    return db.session.scalars(
        select(CalendarFeed)
        .where(CalendarFeed.counselor_id == counselor.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc()).limit(1)
    ).first()


def revoke_feed(counselor) -> bool:
    """Stop the counselor's calendar address; True when there was one."""
    feed = active_feed(counselor)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    record("calendar_feed_revoked", obj=feed, actor=counselor)
    db.session.flush()
    return True


def issue_feed(counselor) -> str:
    """A new secret calendar address token (any older address stops working). Only its hash is
    kept, so the address is shown once."""
    revoke_feed(counselor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(counselor_id=counselor.id, token_hash=_hash(token))
    db.session.add(feed)
    db.session.flush()
    record("calendar_feed_created", obj=feed, actor=counselor)
    return token


def feed_token_hash(token: str) -> str:
    return _hash(token)


def feed_calendar(feed: CalendarFeed) -> bytes:
    """The counselor's appointments from a month back onwards; the fetch is audited."""
    counselor = feed.counselor
    rows = db.session.execute(
        select(Appointment, Couple.label)
        .join(Couple, Couple.id == Appointment.couple_id)
        .where(couples_in_scope(counselor),
               Appointment.starts_at >= utcnow() - timedelta(days=FEED_PAST_DAYS))
        .order_by(Appointment.starts_at)
    ).all()
    feed.last_fetched_at = utcnow()
    record("calendar_feed_fetched", obj=feed, actor=counselor, detail=f"{len(rows)} entries")
    db.session.flush()
    return calendar_file(rows)
