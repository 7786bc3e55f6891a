"""What is due when: occurrence dates from an assignment's cadence, and each one's state.

Pure functions over dates. Nothing here stores future rows: occurrences are computed for the
window asked for. Dates are the couple's local calendar days, so a daylight-saving change
never moves an occurrence; "today" comes from `clock.local_today(couple.timezone)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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


STEPS = {"daily": 1, "weekly": 7, "biweekly": 14}  # days between two occurrences


def _matching_days(cadence: str, start: date, weekdays: str | None) -> list[int]:
    """For 'weekdays': the chosen days (Monday 0), or the start's weekday when none."""
    return parse_weekdays(weekdays) or [start.weekday()]


def _count_until(cadence: str, start: date, weekdays: str | None, day: date) -> int:
    """How many occurrences of the unbounded rule fall in [start, day]. Arithmetic only."""
    if day < start:
        return 0
    span = (day - start).days
    if cadence == "once":
        return 1
    if cadence in STEPS:
        return span // STEPS[cadence] + 1
    days = set(_matching_days(cadence, start, weekdays))
    weeks, rest = divmod(span + 1, 7)
    return weeks * len(days) + sum(
        1 for k in range(rest) if (start.weekday() + weeks * 7 + k) % 7 in days)


def schedule_dates(cadence: str, start: date, weekdays: str | None, end: date | None,
                   count: int | None, window_start: date, window_end: date) -> list[date]:
    """Occurrence dates of a rule inside [window_start, window_end].

    Computed from the window, never by walking the schedule from its start: the cost depends
    on the window's length only, however old the assignment. `count` limits the rule to its
    first `count` occurrences; `end` is its last possible day.
    """
    if cadence not in CADENCE_LABELS:
        raise ValueError(f"unknown cadence {cadence!r}")
    if end is not None:
        window_end = min(window_end, end)
    window_start = max(window_start, start)
    if window_end < window_start:
        return []
    if cadence == "once":
        found = [start] if window_start == start else []
    elif cadence in STEPS:
        step = STEPS[cadence]
        first = -(-(window_start - start).days // step)
        last = (window_end - start).days // step
        found = [start + timedelta(days=i * step) for i in range(first, last + 1)]
    else:
        days = set(_matching_days(cadence, start, weekdays))
        found = [window_start + timedelta(days=k)
                 for k in range((window_end - window_start).days + 1)
                 if (window_start + timedelta(days=k)).weekday() in days]
    if count is not None:
        allowed = count - _count_until(cadence, start, weekdays, window_start - timedelta(days=1))
        found = found[:max(allowed, 0)]
    return found


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
    if assignment.status == "paused" or day <= assignment.start_date:
        return 0
    last = day - timedelta(days=1)
    if assignment.end_date is not None:
        last = min(last, assignment.end_date)
    total = _count_until(assignment.cadence, assignment.start_date, assignment.weekdays, last)
    if assignment.occurrence_limit is not None:
        total = min(total, assignment.occurrence_limit)
    return total


def first_on_or_after(cadence: str, anchor: date, weekdays: str | None, day: date) -> date | None:
    """The first date of the (unbounded) rule anchored at `anchor` that is on or after `day`."""
    if cadence == "once":
        return anchor if anchor >= day else None
    found = schedule_dates(cadence, anchor, weekdays, None, None, day, max(day, anchor)
                           + timedelta(days=13))
    return found[0] if found else None


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
