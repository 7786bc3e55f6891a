"""Demo homework: assignments and past check-ins so the demo caseload looks lived in.

Dates are relative to the clock, so the demo always shows recent activity.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..checkins.models import CaseNote, CheckIn
from ..clock import local_to_utc, local_today
from ..content import SIGNS
from ..couples.models import Couple
from ..exercises.models import Assignment, AssignmentEvent, Exercise
from ..exercises.schedule import occurrences, partner_ids_for
from ..extensions import db

REFLECTIONS = (
    "We managed it after dinner. It felt a bit awkward at first, then easier.",
    "Busy week, but we kept to it and I noticed we laughed more.",
    "I found it hard to listen without jumping in, but I tried.",
    "It was short, but it was nice to have time that was just ours.",
    "We argued beforehand, so it didn't go as planned. We'll try again.",
    "I felt heard for the first time in a while.",
)
FEEDBACK = (
    "Thank you for sticking with it in a busy week. Let's talk about what made it easier.",
    "Noticing the awkwardness is part of it. It usually eases with practice.",
    "Well done for trying again after a hard evening. That matters.",
)

# (couple label, exercise slug, cadence, weeks ago it started, one partner only,
#  days before today the check-ins stop, how many occurrences in a row each partner skips)
PLAN = [
    ("Rivera & Chen", "regular-check-ins", "weekly", 5, False, 1, (0, 4)),
    ("Rivera & Chen", "appreciation", "daily", 2, False, 1, (3, 5)),
    ("Rivera & Chen", "signs-self-check", "biweekly", 6, False, 1, (0, 0)),
    ("Okafor & Lind", "limit-distractions", "daily", 3, False, 9, (4, 3)),
    ("Patel & Moreau", "time-for-connection", "weekly", 4, False, 2, (0, 1)),
    ("Brennan", "daily-empathy", "daily", 2, True, 16, (2, 2)),
    ("Haddad & Novak", "laugh-together", "weekly", 5, False, 8, (0, 3)),
    ("Johnson & Kowalski", "new-things-together", "weekly", 6, False, 3, (0, 5)),
    ("Garcia & Byrne", "signs-self-check", "biweekly", 8, False, 2, (0, 0)),
]


def _by_label() -> dict[str, Couple]:
    return {c.label: c for c in db.session.scalars(select(Couple))}


def seed_homework(staff: dict) -> None:
    """Assignments and clock-relative check-ins for some demo couples."""
    couples = _by_label()
    exercises = {e.slug: e for e in db.session.scalars(select(Exercise).where(
        Exercise.slug.is_not(None)))}
    n = 0
    for label, slug, cadence, weeks, one_partner, stop_days, skips in PLAN:
        couple = couples.get(label)
        exercise = exercises.get(slug)
        if couple is None or exercise is None:
            continue
        today = local_today(couple.timezone)
        partners = [p.user_id for p in couple.partners]
        a = Assignment(
            couple_id=couple.id, exercise_id=exercise.id,
            partner_id=partners[0] if one_partner else None, cadence=cadence,
            start_date=today - timedelta(weeks=weeks), created_by_id=couple.counselor_id,
        )
        db.session.add(a)
        db.session.flush()
        db.session.add(AssignmentEvent(assignment_id=a.id, actor_id=couple.counselor_id,
                                       action="assigned",
                                       at=local_to_utc(datetime.combine(a.start_date, time(9)),
                                                       couple.timezone)))
        days = occurrences(a, a.start_date, today - timedelta(days=stop_days))
        for slot, pid in enumerate(partner_ids_for(a, partners)):
            skip_every = skips[slot] if slot < len(skips) else 0
            for i, day in enumerate(days):
                if skip_every and i % skip_every == skip_every - 1:
                    continue
                n += 1
                sent = local_to_utc(datetime.combine(day, time(20, 15 + slot * 20)),
                                    couple.timezone)
                progress = i / max(len(days) - 1, 1)
                checkin = CheckIn(
                    assignment_id=a.id, couple_id=couple.id, partner_id=pid, due_date=day,
                    submit_token=f"demo-{a.id}-{pid}-{day.isoformat()}", submitted_at=sent,
                    outcome=("done", "done", "partly", "not_this_time")[(i + slot) % 4],
                )
                if exercise.kind == "signs":
                    answers = {key: max(0, min(2, 2 - int(progress * 2.5) + (j + slot) % 2 - 1))
                               for j, (key, _t) in enumerate(SIGNS)}
                    checkin.signs_answers = answers
                    checkin.signs_score = sum(answers.values())
                    checkin.outcome = "done"
                else:
                    checkin.closeness = max(1, min(10, 3 + slot + round(progress * 4) + i % 2))
                    checkin.reflection = REFLECTIONS[(i + slot) % len(REFLECTIONS)]
                    checkin.share_with_partner = (i + slot) % 3 == 0
                if day < today - timedelta(days=3):
                    checkin.reviewed_at = sent + timedelta(hours=20)
                    checkin.reviewed_by_id = couple.counselor_id
                    if i % 3 == 1:
                        checkin.feedback = FEEDBACK[(i + slot) % len(FEEDBACK)]
                        checkin.feedback_at = checkin.reviewed_at
                        checkin.feedback_by_id = couple.counselor_id
                db.session.add(checkin)
    for label, days_ago, body in (
        ("Rivera & Chen", 7, "Session focused on weekly check-ins. Both keen; agreed Sunday "
                             "evenings."),
        ("Okafor & Lind", 12, "Work pressure high for both. Kept homework light."),
    ):
        couple = couples.get(label)
        if couple is not None:
            db.session.add(CaseNote(couple_id=couple.id, author_id=couple.counselor_id,
                                    note_date=local_today(couple.timezone)
                                    - timedelta(days=days_ago), body=body))
    haddad = couples.get("Haddad & Novak")
    if haddad is not None:
        haddad.joint_work_paused = True
    db.session.flush()
