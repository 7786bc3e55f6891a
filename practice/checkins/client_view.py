"""What a client's own pages add to the homework panel: today's progress, which feedback is
new, and their own signs self-check trend. Only ever the signed-in client's own check-ins.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..access import is_author, written_by
from ..auth.models import User
from ..clock import local_today, utcnow
from ..couples.models import Couple
from ..exercises.assignments import couple_assignments
from ..exercises.models import Assignment, Exercise
from ..exercises.schedule import DUE, open_occurrences
from ..extensions import db
from .charts import Series, line_chart
from .models import CheckIn
from .privacy import shared_answer_for_occurrence
from .services import expiry_days

SIGNS_MAX = 20
SIGNS_EXPLANATION = (
    "Each self-check adds up how often you noticed the ten signs of distance: 0 when you "
    "noticed none of them, 20 when you noticed all of them often. A line going down means "
    "you noticed fewer signs; going up, more. It is a way to see your own weeks side by "
    "side, not a grade, and only you and your counselor see it."
)


@dataclass(frozen=True)
class TodayItem:
    occurrence: object  # exercises.schedule.Occurrence
    checkin_id: int | None  # set once this client has checked in for it

    @property
    def done(self) -> bool:
        return self.checkin_id is not None


def today_progress(user: User, couple: Couple) -> dict:
    """Today's homework for this client, done ones included (ticked, not hidden), in a fixed
    number of queries."""
    today = local_today(couple.timezone)
    partner_ids = [p.user_id for p in couple.partners]
    occurrences = open_occurrences(couple_assignments(couple.id), user.id, partner_ids, set(),
                                   today, expiry_days(),
                                   joint_work_paused=couple.joint_work_paused)
    answered = dict(db.session.execute(
        select(CheckIn.assignment_id, CheckIn.id)
        .where(written_by(user), CheckIn.due_date == today)
    ).all())
    items = [TodayItem(o, answered.get(o.assignment.id)) for o in occurrences if o.state == DUE]
    items.sort(key=lambda item: item.done)  # still to do first
    return {"today_items": items, "today_done": sum(item.done for item in items),
            "today_total": len(items)}


def feedback_is_new(checkin: CheckIn) -> bool:
    """Feedback its author has not opened since it was written (or last changed)."""
    return bool(checkin.feedback and checkin.feedback_at
                and (checkin.feedback_seen_at is None
                     or checkin.feedback_seen_at < checkin.feedback_at))


def mark_feedback_seen(checkin: CheckIn, viewer: User) -> None:
    """The author opened their check-in: its feedback is no longer new."""
    if is_author(viewer, checkin) and feedback_is_new(checkin):
        checkin.feedback_seen_at = utcnow()
        db.session.flush()


def own_signs_trend(user: User, couple: Couple):
    """The client's own signs self-check scores over time, as a chart (None before the first)."""
    rows = db.session.execute(
        select(CheckIn.due_date, CheckIn.signs_score)
        .join(Assignment, Assignment.id == CheckIn.assignment_id)
        .join(Exercise, Exercise.id == Assignment.exercise_id)
        .where(written_by(user), CheckIn.couple_id == couple.id,
               Exercise.kind == "signs", CheckIn.signs_score.is_not(None))
        .order_by(CheckIn.due_date)
    ).all()
    series = Series("Your score", [(day, score) for day, score in rows])
    return line_chart("Your signs of distance over time", "Your self-check scores, from 0 to "
                      f"{SIGNS_MAX}; lower means fewer signs of distance.", [series], 0,
                      SIGNS_MAX, lower_is_better=True)


def reveal_moment(checkin: CheckIn, couple: Couple) -> dict | None:
    """On a reveal-together exercise given to both partners: the author's own answer and the
    partner's shared one side by side once both are in, else a plain 'waiting' state that
    says nothing of whether the partner has started, answered or chosen not to share.
    None for any other check-in."""
    assignment = checkin.assignment
    partner = couple.other_partner(checkin.partner_id)
    if (not assignment.exercise.reveal_together or assignment.partner_id is not None
            or assignment.exercise.kind == "signs" or partner is None):
        return None
    theirs = shared_answer_for_occurrence(checkin.partner_id, couple.id, assignment.id,
                                          checkin.due_date)
    mine = checkin.reflection if checkin.share_with_partner else None
    return {"partner_name": partner.display_name, "mine": mine, "theirs": theirs}
