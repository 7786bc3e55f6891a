"""Test data: the one place tests build people, couples, homework and flags.

People and couples go through the app's own services; `give` assigns through the real
`assign` service. Exercises, assignments, check-ins and flags can also be made as rows
(`make_*`), for tests that need a shape the services would take days to produce.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from practice import clock
from practice.auth.models import User
from practice.auth.services import create_user, hash_password, set_supervision
from practice.checkins.models import CheckIn
from practice.couples.models import Couple
from practice.couples.services import add_partner, create_couple
from practice.exercises.assignments import assign
from practice.exercises.library import load_builtin_exercises
from practice.exercises.models import Assignment, AssignmentEvent, Exercise
from practice.extensions import db
from practice.flags.models import Flag

PASSWORD = "correct horse battery"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _password_hash() -> str:
    if "h" not in _hash_cache:
        _hash_cache["h"] = hash_password(PASSWORD)
    return _hash_cache["h"]


def make_user(role: str = "counselor", email: str | None = None, name: str | None = None,
              password: bool = True) -> User:
    n = next(_seq)
    user = create_user(email or f"{role}{n}@test.example", name or f"{role.title()} {n}", role)
    if password:
        user.password_hash = _password_hash()
    db.session.flush()
    return user


def make_couple(counselor: User, partners: int = 2, label: str | None = None,
                tz: str = "America/New_York") -> Couple:
    couple = create_couple(counselor, label or f"Couple {next(_seq)}", tz)
    for _ in range(partners):
        n = next(_seq)
        user = add_partner(couple, f"client{n}@test.example", f"Client {n}")
        user.password_hash = _password_hash()
    db.session.flush()
    return couple


@dataclass
class World:
    """Everyone the access rules distinguish between."""

    admin: User
    supervisor: User
    other_supervisor: User
    counselor: User
    other_counselor: User
    couple: Couple
    partner_a: User
    partner_b: User
    other_couple: Couple
    other_client: User
    extra: dict

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def make_world() -> World:
    admin = make_user("admin")
    supervisor = make_user("supervisor")
    other_supervisor = make_user("supervisor")
    counselor = make_user("counselor")
    other_counselor = make_user("counselor")
    set_supervision(supervisor, [counselor.id])
    set_supervision(other_supervisor, [other_counselor.id])
    couple = make_couple(counselor)
    other_couple = make_couple(other_counselor)
    db.session.commit()
    return World(
        admin=admin,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        counselor=counselor,
        other_counselor=other_counselor,
        couple=couple,
        partner_a=couple.partners[0].user,
        partner_b=couple.partners[1].user,
        other_couple=other_couple,
        other_client=other_couple.partners[0].user,
        extra={},
    )


# ---- homework and flags

TODAY = date(2026, 3, 10)  # a Tuesday


def noon_in_new_york(day: date = TODAY) -> None:
    clock.set_clock(datetime(day.year, day.month, day.day, 16, 0))


def exercise(slug: str) -> Exercise:
    """A built-in exercise of the library, loading the library the first time."""
    if db.session.scalar(select(Exercise).where(Exercise.slug == slug)) is None:
        load_builtin_exercises()
    return db.session.scalar(select(Exercise).where(Exercise.slug == slug))


def give(couple, counselor, slug="daily-empathy", start=None, **kw) -> int:
    """Assign a built-in exercise through the service, starting `start` (default: 3 days
    before TODAY) and commit; returns the assignment's id."""
    data = {"cadence": "daily", "start_date": TODAY, "partner_id": None, "ends": "never"}
    data.update(kw)
    a = assign(couple, exercise(slug), counselor, data)
    a.start_date = start or TODAY - timedelta(days=3)
    db.session.commit()
    return a.id


def make_exercise(**fields) -> Exercise:
    """A counselor-style exercise row; `fields` sets kind, reveal_together…"""
    exercise = Exercise(**{"title": f"Exercise {next(_seq)}", "purpose": "Practice together.",
                           "instructions": "Do it together.", "suggested_cadence": "weekly",
                           "situations": [], **fields})
    db.session.add(exercise)
    db.session.flush()
    return exercise


def make_assignment(couple, cadence: str = "daily", start: date | None = None, *,
                    partner=None, weekdays=None, end: date | None = None,
                    limit: int | None = None, status: str = "active",
                    exercise: Exercise | None = None) -> Assignment:
    """An assignment row (for both partners unless `partner`), starting today by default."""
    assignment = Assignment(
        couple_id=couple.id, exercise_id=(exercise or make_exercise()).id, cadence=cadence,
        partner_id=getattr(partner, "id", None), weekdays=weekdays,
        start_date=start or clock.utcnow().date(), end_date=end, occurrence_limit=limit,
        status=status,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def add_event(assignment: Assignment, action: str, at: datetime) -> None:
    db.session.add(AssignmentEvent(assignment_id=assignment.id, action=action, at=at))
    db.session.flush()


def make_checkin(partner, assignment: Assignment | None = None, due: date | None = None, *,
                 couple=None, submitted_at: datetime | None = None, reviewed: bool = False,
                 **answers) -> CheckIn:
    """A check-in row by `partner`, outcome "done".

    Without `assignment`, one is made for `couple`. Sent at 20:00 on `due` when only `due` is
    given, now when neither is; due the day it was sent when only `submitted_at` is given.
    `answers` sets the other columns (closeness, reflection, private_note, broke_trust…)."""
    assignment = assignment or make_assignment(couple)
    if submitted_at is None:
        submitted_at = (datetime.combine(due, datetime.min.time()).replace(hour=20)
                        if due is not None else clock.utcnow())
    checkin = CheckIn(
        assignment_id=assignment.id, couple_id=assignment.couple_id, partner_id=partner.id,
        due_date=due or submitted_at.date(), submit_token=uuid.uuid4().hex, outcome="done",
        submitted_at=submitted_at, created_at=submitted_at, updated_at=submitted_at,
        reviewed_at=submitted_at if reviewed else None, **answers,
    )
    db.session.add(checkin)
    db.session.flush()
    return checkin


def make_flag(couple, severity: str, *, status: str = "open", created_at: datetime | None = None,
              category: str = "broken_trust", description: str = "Raised by the counselor.",
              partner=None, **fields) -> Flag:
    """A flag row raised by the counselor (now, unless `created_at`)."""
    created_at = created_at or clock.utcnow()
    flag = Flag(couple_id=couple.id, category=category, severity=severity, status=status,
                description=description, source="counselor", created_at=created_at,
                partner_id=partner.id if partner is not None else None,
                acknowledged_at=created_at if status != "open" else None, **fields)
    db.session.add(flag)
    db.session.flush()
    return flag
