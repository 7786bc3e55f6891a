"""The counselor's home and the couple's page run a fixed number of queries however many
appointments the caseload holds (in the style of test_query_bounds.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from practice import clock
from practice.appointments.services import record_attendance, schedule_appointment
from practice.extensions import db

from .factories import make_couple, make_user


def _caseload(counselor, couples: int, appointments: int):
    """Couples each with `appointments` sessions from today on, the first one attended."""
    made = []
    for n in range(couples):
        couple = make_couple(counselor, label=f"Sessions {n}")
        for k in range(appointments):
            made.append(schedule_appointment(
                couple, counselor, day=datetime(2026, 12, 1).date() + timedelta(days=k % 3),
                start=time(10 + k % 8), duration_minutes=50,
                mode="individual" if k % 2 else "joint",
                partner_id=couple.partner_users[0].id if k % 2 else None))
        made.append(couple)
    db.session.commit()
    return made[-1]


@pytest.mark.parametrize("url", ["/caseload", "/couples/{couple}",
                                 "/couples/{couple}/appointments"])
def test_appointments_add_no_queries(app, ctx, make_client, count_queries, url):
    counts = []
    for couples, appointments in ((1, 2), (6, 9)):
        clock.set_clock(datetime(2026, 12, 1, 12, 0))
        counselor = make_user("counselor")
        couple = _caseload(counselor, couples, appointments)
        clock.set_clock(datetime(2026, 12, 1, 16, 0))
        first = min(couple_appointments_of(couple), key=lambda a: a.starts_at)
        record_attendance(first, counselor, "attended")
        db.session.commit()
        page = url.format(couple=couple.id)
        c = make_client()
        c.login(counselor)
        db.session.close()  # nothing the test loaded may stand in for a query of the page
        c.get(page)
        with count_queries() as q:
            assert c.get(page).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], counts


def couple_appointments_of(couple):
    from practice.appointments.services import couple_appointments

    return couple_appointments(couple)
