"""Homework and flag records for supervision tests, built directly (their services live on
other branches): assignments, check-ins, assignment history and flags."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime

from practice.checkins.models import CheckIn
from practice.exercises.models import Assignment, AssignmentEvent, Exercise
from practice.extensions import db
from practice.flags.models import Flag

_seq = itertools.count(1)


def make_exercise() -> Exercise:
    exercise = Exercise(title=f"Exercise {next(_seq)}", purpose="Practice together.",
                        instructions="Do it together.", situations=[])
    db.session.add(exercise)
    db.session.flush()
    return exercise


def make_assignment(couple, cadence: str, start: date, *, partner=None, weekdays=None,
                    end: date | None = None, limit: int | None = None,
                    status: str = "active") -> Assignment:
    assignment = Assignment(
        couple_id=couple.id, exercise_id=make_exercise().id, cadence=cadence,
        partner_id=partner.id if partner is not None else None, weekdays=weekdays,
        start_date=start, end_date=end, occurrence_limit=limit, status=status,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def add_event(assignment: Assignment, action: str, at: datetime) -> None:
    db.session.add(AssignmentEvent(assignment_id=assignment.id, action=action, at=at))
    db.session.flush()


def make_checkin(assignment: Assignment, partner, due: date, *, submitted_at=None,
                 reviewed: bool = False, reflection: str | None = None,
                 private_note: str | None = None) -> CheckIn:
    submitted_at = submitted_at or datetime.combine(due, datetime.min.time()).replace(hour=20)
    checkin = CheckIn(
        assignment_id=assignment.id, couple_id=assignment.couple_id, partner_id=partner.id,
        due_date=due, submit_token=uuid.uuid4().hex, outcome="done", closeness=6,
        reflection=reflection, private_note=private_note, submitted_at=submitted_at,
        reviewed_at=submitted_at if reviewed else None,
    )
    db.session.add(checkin)
    db.session.flush()
    return checkin


def make_flag(couple, severity: str, *, status: str = "open", created_at: datetime,
              category: str = "broken_trust", description: str = "Raised by the counselor.",
              partner=None) -> Flag:
    flag = Flag(couple_id=couple.id, category=category, severity=severity, status=status,
                description=description, source="counselor", created_at=created_at,
                partner_id=partner.id if partner is not None else None,
                acknowledged_at=created_at if status != "open" else None)
    db.session.add(flag)
    db.session.flush()
    return flag
