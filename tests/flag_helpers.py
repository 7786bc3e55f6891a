"""Test data for the flags feature: exercises, assignments and check-ins made directly.

The homework feature's services live on another branch; these build the rows it would.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime

from practice.checkins.models import CheckIn
from practice.clock import utcnow
from practice.exercises.models import Assignment, Exercise
from practice.extensions import db

_seq = itertools.count(1)


def make_exercise(slug: str | None = None) -> Exercise:
    exercise = Exercise(slug=slug, title=f"Exercise {next(_seq)}", purpose="A purpose.",
                        instructions="Do it.", suggested_cadence="weekly", situations=[],
                        is_builtin=slug is not None)
    db.session.add(exercise)
    db.session.flush()
    return exercise


def make_assignment(couple, partner=None, start: date | None = None, status: str = "active",
                    exercise: Exercise | None = None) -> Assignment:
    assignment = Assignment(couple_id=couple.id, exercise_id=(exercise or make_exercise()).id,
                            partner_id=getattr(partner, "id", None), cadence="daily",
                            start_date=start or utcnow().date(), status=status)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def make_checkin(couple, partner, assignment: Assignment | None = None,
                 submitted_at: datetime | None = None, closeness: int | None = None,
                 signs_score: int | None = None, broke_trust: bool = False,
                 private_note: str | None = None) -> CheckIn:
    assignment = assignment or make_assignment(couple)
    when = submitted_at or utcnow()
    checkin = CheckIn(assignment_id=assignment.id, couple_id=couple.id, partner_id=partner.id,
                      due_date=when.date(), submit_token=f"tok-{next(_seq)}", outcome="done",
                      closeness=closeness, signs_score=signs_score, broke_trust=broke_trust,
                      private_note=private_note, submitted_at=when, created_at=when,
                      updated_at=when)
    db.session.add(checkin)
    db.session.flush()
    return checkin


def answer_screen(client, data: dict, **kwargs):
    """Go through the screen as a client does: 'private now', then the questions (with the
    one-time token the questions page carries)."""
    privacy = {"private": "yes"}
    for key in ("context", "checkin_id"):
        if key in data:
            privacy[key] = data[key]
    page = client.post_form("/me/safety-check", privacy, follow_redirects=True).get_data(
        as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post_form("/me/safety-check/answers", {**data, "token": token}, **kwargs)
