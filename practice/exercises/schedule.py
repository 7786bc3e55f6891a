"""What is due when: occurrence dates from an assignment's cadence, and each one's state.

Pure functions over dates. Nothing here stores future rows: occurrences are computed for the
window asked for. Dates are the couple's local calendar days, so a daylight-saving change
never moves an occurrence; "today" comes from `clock.local_today(couple.timezone)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import DAILY, WEEKLY, rrule

CADENCE_LABELS = {
    "once": "Once",
    "daily": "Every day",
    "weekdays": "On chosen days of the week",
    "weekly": "Every week",
    "biweekly": "Every two weeks",
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

DUE, OVERDUE, EXPIRED, UPCOMING, DONE = "due", "overdue", "expired", "upcoming", "done"


def parse_weekdays(value: str | None) -> list[int]:
    if not value:
        return []
    return sorted({int(v) for v in value.split(",") if v.strip().isdigit() and int(v) < 7})


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def rule_for(cadence: str, start: date, weekdays: str | None = None,
             end: date | None = None, count: int | None = None) -> rrule:
    """The dateutil rule for a cadence starting on `start` (weekly ones keep start's weekday).

    dateutil refuses both `until` and `count`; with both, the count wins here and callers
    cut at the end date (see `schedule_dates`).
    """
    kwargs: dict = {"dtstart": _at(start)}
    if count is not None:
        kwargs["count"] = count
    elif end is not None:
        kwargs["until"] = _at(end)
    if cadence == "once":
        return rrule(DAILY, dtstart=_at(start), count=1)
    if cadence == "daily":
        return rrule(DAILY, **kwargs)
    if cadence == "weekdays":
        days = parse_weekdays(weekdays) or [start.weekday()]
        return rrule(WEEKLY, byweekday=days, **kwargs)
    if cadence == "weekly":
        return rrule(WEEKLY, **kwargs)
    if cadence == "biweekly":
        return rrule(WEEKLY, interval=2, **kwargs)
    raise ValueError(f"unknown cadence {cadence!r}")


def schedule_dates(cadence: str, start: date, weekdays: str | None, end: date | None,
                   count: int | None, window_start: date, window_end: date) -> list[date]:
    """Occurrence dates of a rule inside [window_start, window_end]."""
    if end is not None:
        window_end = min(window_end, end)
    if window_end < window_start:
        return []
    rule = rule_for(cadence, start, weekdays, end, count)
    return [d.date() for d in rule.between(_at(window_start), _at(window_end), inc=True)]


def occurrences(assignment, window_start: date, window_end: date) -> list[date]:
    """Due dates of an assignment in the window. A paused assignment has none."""
    if assignment.status == "paused":
        return []
    return schedule_dates(
        assignment.cadence, assignment.start_date, assignment.weekdays, assignment.end_date,
        assignment.occurrence_limit, window_start, window_end,
    )


def count_before(assignment, day: date) -> int:
    """How many occurrences of the assignment fall before `day`."""
    if day <= assignment.start_date:
        return 0
    return len(occurrences(assignment, assignment.start_date, day - timedelta(days=1)))


def first_on_or_after(cadence: str, anchor: date, weekdays: str | None, day: date) -> date | None:
    """The first date of the (unbounded) rule anchored at `anchor` that is on or after `day`."""
    if cadence == "once":
        return anchor if anchor >= day else None
    found = rule_for(cadence, anchor, weekdays).after(_at(day), inc=True)
    return found.date() if found else None


def state(due: date, today: date, expiry_days: int, submitted: bool) -> str:
    """done, upcoming, due (today), overdue (day passed, still open) or expired (closed).

    An occurrence can be submitted on its day and for `expiry_days` days after; later it
    has expired.
    """
    if submitted:
        return DONE
    if due > today:
        return UPCOMING
    if due == today:
        return DUE
    if (today - due).days <= expiry_days:
        return OVERDUE
    return EXPIRED


def open_window(today: date, expiry_days: int) -> tuple[date, date]:
    """The days whose occurrences can still be submitted today."""
    return today - timedelta(days=expiry_days), today


@dataclass
class Occurrence:
    assignment: object
    partner_id: int
    due_date: date
    state: str
    checkin: object | None = None


def partner_ids_for(assignment, couple_partner_ids: list[int]) -> list[int]:
    if assignment.partner_id is not None:
        return [assignment.partner_id] if assignment.partner_id in couple_partner_ids else []
    return list(couple_partner_ids)


def paused_for_couple(assignment, joint_work_paused: bool) -> bool:
    """Whether the couple's "pause shared homework" holds this assignment.

    The pause covers joint work only (an assignment for both partners, `partner_id` None).
    Work given to one partner alone (when the other is not willing, or individual work after
    a disclosure) keeps running, so pausing never cancels it as a side effect.
    """
    return joint_work_paused and assignment.partner_id is None


def open_occurrences(assignments, partner_id: int, couple_partner_ids: list[int],
                     submitted: set[tuple[int, date]], today: date, expiry_days: int,
                     joint_work_paused: bool = False) -> list[Occurrence]:
    """What one partner can check in on today: due today first, then overdue (newest first).

    `submitted` holds (assignment_id, due_date) pairs this partner already answered. While the
    couple's shared homework is paused, work given to both partners has nothing due; work
    given to this partner alone keeps running (see `paused_for_couple`).
    """
    start, end = open_window(today, expiry_days)
    out = []
    for assignment in assignments:
        if assignment.status == "ended" or paused_for_couple(assignment, joint_work_paused):
            continue
        if partner_id not in partner_ids_for(assignment, couple_partner_ids):
            continue
        for day in occurrences(assignment, start, end):
            if (assignment.id, day) in submitted:
                continue
            out.append(Occurrence(assignment, partner_id, day,
                                  state(day, today, expiry_days, False)))
    out.sort(key=lambda o: (o.state != DUE, -o.due_date.toordinal(), o.assignment.id))
    return out
