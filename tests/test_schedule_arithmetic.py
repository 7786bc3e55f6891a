"""Occurrences are computed from the window, without walking the schedule from its start; they
must be exactly the dates dateutil's rrule gives for the same cadence."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from dateutil.rrule import DAILY, WEEKLY, rrule

from practice.exercises import schedule


def _reference(cadence, start, weekdays, end, count, window_start, window_end):
    """The dates as dateutil counts them, walking from the start."""
    at = datetime.combine(start, datetime.min.time())
    kwargs = {"dtstart": at, "count": count} if count else {"dtstart": at}
    if cadence == "once":
        rule = rrule(DAILY, dtstart=at, count=1)
    elif cadence == "daily":
        rule = rrule(DAILY, **kwargs)
    elif cadence == "weekly":
        rule = rrule(WEEKLY, **kwargs)
    elif cadence == "biweekly":
        rule = rrule(WEEKLY, interval=2, **kwargs)
    else:
        rule = rrule(WEEKLY, byweekday=schedule.parse_weekdays(weekdays) or [start.weekday()],
                     **kwargs)
    last = min(window_end, end) if end else window_end
    if last < window_start:
        return []
    return [d.date() for d in rule.between(datetime.combine(window_start, datetime.min.time()),
                                           datetime.combine(last, datetime.min.time()),
                                           inc=True)]


def _random_rule(rng, base: date, days: int, most_weekdays: int):
    cadence = rng.choice(list(schedule.CADENCE_LABELS))
    start = base + timedelta(days=rng.randrange(days))
    chosen = rng.sample(range(7), rng.randint(0, most_weekdays))
    return cadence, start, ",".join(str(d) for d in sorted(chosen))


def test_window_arithmetic_agrees_with_rrule_for_every_cadence():
    rng = random.Random(20261201)
    base = date(2025, 1, 1)
    for _ in range(3000):
        cadence, start, weekdays = _random_rule(rng, base, 400, 4)
        end = start + timedelta(days=rng.randrange(-3, 300)) if rng.random() < 0.4 else None
        count = rng.randint(1, 40) if rng.random() < 0.3 else None
        window_start = base + timedelta(days=rng.randrange(-20, 500))
        window_end = window_start + timedelta(days=rng.randrange(-2, 60))
        args = (cadence, start, weekdays or None, end, count, window_start, window_end)
        assert schedule.schedule_dates(*args) == _reference(*args), args


def test_counting_before_a_day_and_the_next_date_agree_with_rrule():
    rng = random.Random(7)
    base = date(2025, 6, 1)
    for _ in range(1000):
        cadence, start, weekdays = _random_rule(rng, base, 100, 3)
        day = base + timedelta(days=rng.randrange(-10, 400))

        class Row:
            pass

        row = Row()
        row.cadence, row.start_date, row.weekdays, row.status = cadence, start, weekdays, "active"
        row.end_date = start + timedelta(days=rng.randrange(200)) if rng.random() < 0.3 else None
        row.occurrence_limit = rng.randint(1, 30) if rng.random() < 0.3 else None
        expected = len(_reference(cadence, start, weekdays, row.end_date, row.occurrence_limit,
                                  start, day - timedelta(days=1))) if day > start else 0
        assert schedule.count_before(row, day) == expected
        after = _reference(cadence, start, weekdays, None, None, day,
                           max(day, start) + timedelta(days=30))
        assert schedule.first_on_or_after(cadence, start, weekdays, day) == (
            after[0] if after else None)
