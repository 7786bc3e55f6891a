"""Homework completion and recency, for the counselor's pages and the supervision feature.

Each function runs a fixed number of queries whatever the number of couples and check-ins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, select

from ..couples.models import Partner
from ..exercises.models import Assignment
from ..exercises.schedule import occurrences, partner_ids_for
from ..extensions import db
from .models import CheckIn

Key = tuple[int, int, date]  # (assignment id, partner id, due day)


def due_keys(assignments: Iterable[Assignment], partners: dict[int, list[int]], start: date,
             end: date) -> dict[int, set[Key]]:
    """Per assignment, every (assignment, partner, day) due in [start, end]."""
    out: dict[int, set[Key]] = {}
    for a in assignments:
        people = partner_ids_for(a, partners.get(a.couple_id, []))
        out[a.id] = {(a.id, pid, day) for day in occurrences(a, start, end) for pid in people}
    return out


def partners_by_couple(couple_ids: list[int]) -> dict[int, list[int]]:
    rows = db.session.execute(
        select(Partner.couple_id, Partner.user_id).where(Partner.couple_id.in_(couple_ids))
        .order_by(Partner.couple_id, Partner.slot)
    ).all()
    out: dict[int, list[int]] = defaultdict(list)
    for couple_id, user_id in rows:
        out[couple_id].append(user_id)
    return out


def submitted_keys(couple_ids: list[int], start: date, end: date) -> set[Key]:
    rows = db.session.execute(
        select(CheckIn.assignment_id, CheckIn.partner_id, CheckIn.due_date)
        .where(CheckIn.couple_id.in_(couple_ids), CheckIn.due_date >= start,
               CheckIn.due_date <= end)
    ).all()
    return {tuple(row) for row in rows}


def completion_stats(couple_ids: Iterable[int], start: date,
                     end: date) -> dict[int, tuple[int, int]]:
    """Per couple: (check-ins submitted for occurrences due in [start, end], occurrences due).

    Occurrences come from each assignment's schedule, one per partner it is for; paused
    stretches have none. A check-in counts only if it answers one of those occurrences.
    The couple's "pause shared homework" switch is not applied: nothing records when a pause
    began, so past days count as they were scheduled (the pause only stops joint work from
    showing as due or overdue now, see `schedule.paused_for_couple`).
    Callers usually pass an `end` no later than today. Three queries.
    """
    ids = sorted(set(couple_ids))
    if not ids:
        return {}
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.couple_id.in_(ids), Assignment.start_date <= end)
    ).all()
    partners = partners_by_couple(ids)
    submitted = submitted_keys(ids, start, end)
    result = dict.fromkeys(ids, (0, 0))
    for a in assignments:
        keys = due_keys([a], partners, start, end)[a.id]
        done, due = result[a.couple_id]
        result[a.couple_id] = (done + len(keys & submitted), due + len(keys))
    return result


def last_checkin_at(couple_ids: Iterable[int]) -> dict[int, datetime | None]:
    """When each couple last sent a check-in (naive UTC), or None. One query."""
    ids = sorted(set(couple_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(CheckIn.couple_id, func.max(CheckIn.submitted_at))
        .where(CheckIn.couple_id.in_(ids)).group_by(CheckIn.couple_id)
    ).all()
    result: dict[int, datetime | None] = dict.fromkeys(ids)
    result.update(dict(rows))
    return result


RECENCY = (
    (2, "recency-2d", "in the last 2 days"),
    (7, "recency-7d", "in the last week"),
    (30, "recency-30d", "in the last month"),
)


def recency(last: datetime | None, now: datetime) -> tuple[str, str]:
    """CSS class and words for how recent the last check-in is."""
    if last is None:
        return "recency-old", "no check-ins yet"
    age_days = (now - last).total_seconds() / 86400
    for limit, css, words in RECENCY:
        if age_days <= limit:
            return css, words
    return "recency-old", "over a month ago"
