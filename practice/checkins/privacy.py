"""What one partner may see of the other's check-ins. Decided here, in queries, not templates.

Policy:
- A partner sees the other's *reflection* only when its author switched sharing on.
- For an exercise with reveal_together, a shared reflection appears only once the viewer has
  submitted their own check-in for the same occurrence (same assignment, same due day), so
  neither answer shapes the other.
- Shared answers are the reflection text only, with the exercise and the day. Closeness,
  the outcome, signs self-check answers and the private note are never shown to the partner,
  and nothing tells the partner whether a private note (or a check-in that was not shared)
  exists: the query below never selects those columns or rows.
- The signs self-check is private to the counselor, so its reflections are never shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..exercises.models import Assignment, Exercise
from ..extensions import db
from .models import CheckIn


@dataclass(frozen=True)
class SharedAnswer:
    """A reflection a partner chose to share, as the other partner may see it."""

    checkin_id: int
    author_name: str
    exercise_title: str
    due_date: date
    reflection: str
    submitted_at: datetime


def shared_answers_query(viewer_id: int, couple_id: int) -> Select:
    """Reflections the other partner shared with `viewer_id`, newest first (columns only)."""
    mine = aliased(CheckIn)
    viewer_answered = exists().where(
        and_(mine.assignment_id == CheckIn.assignment_id, mine.due_date == CheckIn.due_date,
             mine.partner_id == viewer_id)
    )
    return (
        select(CheckIn.id, User.display_name, Exercise.title, CheckIn.due_date,
               CheckIn.reflection, CheckIn.submitted_at)
        .join(Assignment, Assignment.id == CheckIn.assignment_id)
        .join(Exercise, Exercise.id == Assignment.exercise_id)
        .join(User, User.id == CheckIn.partner_id)
        .where(
            CheckIn.couple_id == couple_id,
            CheckIn.partner_id != viewer_id,
            CheckIn.share_with_partner.is_(True),
            CheckIn.reflection.is_not(None),
            func.length(func.trim(CheckIn.reflection)) > 0,
            Exercise.kind != "signs",
            Assignment.partner_id.is_(None),  # individual work is never shared
            or_(Exercise.reveal_together.is_(False), viewer_answered),
        )
        .order_by(CheckIn.due_date.desc(), CheckIn.id.desc())
    )


def shared_answers(viewer_id: int, couple_id: int, limit: int | None = None
                   ) -> list[SharedAnswer]:
    """Answers shared with `viewer_id`, newest first (pages of them: checkins.history)."""
    query = shared_answers_query(viewer_id, couple_id).limit(limit)
    return [SharedAnswer(*row) for row in db.session.execute(query).all()]
