"""Demo appointments: the first demo couple had a session a week ago and has the next one
tomorrow, so the counselor's day and the couple's page have something to show."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from ..appointments.services import record_attendance, schedule_appointment
from ..clock import local_today, utcnow
from ..couples.models import Couple
from ..extensions import db


def seed_appointment_demo(staff: dict) -> None:
    counselor = staff["counselor@example.org"]
    couple = db.session.scalar(select(Couple).where(Couple.label == "Rivera & Chen"))
    if couple is None:
        return
    tomorrow = local_today(couple.timezone) + timedelta(days=1)
    past = schedule_appointment(couple, counselor, day=tomorrow, start=time(9, 0),
                                duration_minutes=50, mode="joint", partner_id=None)
    # Written as tomorrow's (a past time is refused), then moved a week back and attended.
    past.starts_at -= timedelta(days=8)
    past.created_at = past.updated_at = utcnow() - timedelta(days=10)
    db.session.flush()
    record_attendance(past, counselor, "attended")
    schedule_appointment(couple, counselor, day=tomorrow, start=time(18, 0),
                         duration_minutes=50, mode="joint", partner_id=None)
