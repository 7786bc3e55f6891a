"""Homework numbers for many couples at once, in a fixed number of queries.

Future occurrences are never stored: what was due is computed from each assignment's cadence
with dateutil's rrule. An assignment for both partners (partner_id None) is due once per
partner, so twice a day for a daily exercise of a two-partner couple.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from dateutil.rrule import DAILY, WEEKLY, rrule
from sqlalchemy import func, select

from ..couples.models import Partner
from ..exercises.models import Assignment, AssignmentEvent
from ..extensions import db
from .models import CheckIn

# History actions that stop or restart an assignment's schedule.
_STOP_ACTIONS = ("paused", "ended")
_START_ACTIONS = ("resumed",)


def _rule(assignment: Assignment) -> rrule:
    start = datetime.combine(assignment.start_date, datetime.min.time())
    # rrule refuses `count` together with `until`; the end date is applied afterwards.
    limits: dict = {}
    if assignment.occurrence_limit:
        limits["count"] = assignment.occurrence_limit
    elif assignment.end_date:
        limits["until"] = datetime.combine(assignment.end_date, datetime.min.time())
    cadence = assignment.cadence
    if cadence == "once":
        return rrule(DAILY, dtstart=start, count=1)
    if cadence == "daily":
        return rrule(DAILY, dtstart=start, **limits)
    if cadence == "weekdays":
        days = sorted({int(d) for d in (assignment.weekdays or "").split(",") if d.strip()})
        return rrule(WEEKLY, dtstart=start, byweekday=days or [start.weekday()], **limits)
    if cadence == "biweekly":
        return rrule(WEEKLY, interval=2, dtstart=start, **limits)
    return rrule(WEEKLY, dtstart=start, **limits)  # weekly


def occurrence_dates(assignment: Assignment, start: date, end: date) -> list[date]:
    """The days in [start, end] on which `assignment` is due (schedule only, no pauses)."""
    lo = datetime.combine(max(start, assignment.start_date), datetime.min.time())
    hi = datetime.combine(end, datetime.min.time())
    if lo > hi:
        return []
    days = [moment.date() for moment in _rule(assignment).between(lo, hi, inc=True)]
    if assignment.end_date:
        days = [d for d in days if d <= assignment.end_date]
    return days


def _stopped_spans(
    events: list[tuple[str, datetime]], status: str, end_date: date | None
) -> list[tuple[date, date]]:
    """Days (inclusive spans) on which the assignment was paused or ended, from its history."""
    spans = []
    stopped_from: date | None = None
    for action, at in sorted(events, key=lambda e: e[1]):
        if action in _STOP_ACTIONS and stopped_from is None:
            stopped_from = at.date()
        elif action in _START_ACTIONS and stopped_from is not None:
            spans.append((stopped_from, at.date() - timedelta(days=1)))
            stopped_from = None
    if stopped_from is None and status != "active" and not (status == "ended" and end_date):
        stopped_from = date.min  # paused (or ended, no end date) with no history: none due
    if stopped_from is not None:
        spans.append((stopped_from, date.max))
    return spans


def completion_stats(
    couple_ids: Iterable[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    """{couple_id: (submitted, due)} for occurrences due from `start` to `end` inclusive.

    `due` counts each partner's occurrences from the assignments' cadence, skipping days on
    which the assignment was paused or ended; `submitted` counts check-ins for those days
    (never more than what was due). Four queries whatever the number of couples.
    """
    ids = sorted(set(couple_ids))
    result = dict.fromkeys(ids, (0, 0))
    if not ids or start > end:
        return result
    assignments = db.session.scalars(
        select(Assignment).where(
            Assignment.couple_id.in_(ids),
            Assignment.start_date <= end,
            (Assignment.end_date.is_(None)) | (Assignment.end_date >= start),
        )
    ).all()
    if not assignments:
        return result
    partner_counts = dict(
        db.session.execute(
            select(Partner.couple_id, func.count(Partner.id))
            .where(Partner.couple_id.in_(ids))
            .group_by(Partner.couple_id)
        ).all()
    )
    history: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for assignment_id, action, at in db.session.execute(
        select(AssignmentEvent.assignment_id, AssignmentEvent.action, AssignmentEvent.at).where(
            AssignmentEvent.assignment_id.in_([a.id for a in assignments]),
            AssignmentEvent.action.in_(_STOP_ACTIONS + _START_ACTIONS),
        )
    ):
        history[assignment_id].append((action, at))
    submitted_by_key: dict[tuple[int, date], int] = defaultdict(int)
    for assignment_id, due_date, count in db.session.execute(
        select(CheckIn.assignment_id, CheckIn.due_date, func.count(CheckIn.id))
        .where(
            CheckIn.assignment_id.in_([a.id for a in assignments]),
            CheckIn.due_date >= start,
            CheckIn.due_date <= end,
        )
        .group_by(CheckIn.assignment_id, CheckIn.due_date)
    ):
        submitted_by_key[(assignment_id, due_date)] += count
    totals: dict[int, list[int]] = {couple_id: [0, 0] for couple_id in ids}
    for assignment in assignments:
        spans = _stopped_spans(
            history.get(assignment.id, []), assignment.status, assignment.end_date
        )
        per_day = 1 if assignment.partner_id else partner_counts.get(assignment.couple_id, 0)
        for day in occurrence_dates(assignment, start, end):
            if any(lo <= day <= hi for lo, hi in spans):
                continue
            totals[assignment.couple_id][1] += per_day
            totals[assignment.couple_id][0] += min(
                submitted_by_key.get((assignment.id, day), 0), per_day
            )
    return {couple_id: (done, due) for couple_id, (done, due) in totals.items()}


def last_checkin_at(couple_ids: Iterable[int]) -> dict[int, datetime | None]:
    """{couple_id: time of the couple's latest check-in, or None}. One query."""
    ids = sorted(set(couple_ids))
    result: dict[int, datetime | None] = dict.fromkeys(ids)
    if not ids:
        return result
    result.update(
        db.session.execute(
            select(CheckIn.couple_id, func.max(CheckIn.submitted_at))
            .where(CheckIn.couple_id.in_(ids))
            .group_by(CheckIn.couple_id)
        ).all()
    )
    return result
