"""What is due when: every cadence, the due/overdue/expired rules, time zones and DST."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from practice import clock
from practice.exercises import schedule
from practice.exercises.schedule import DONE, DUE, EXPIRED, OVERDUE, UPCOMING


def _a(cadence, start, weekdays=None, end=None, count=None, status="active", partner_id=None,
       id_=1):
    return SimpleNamespace(id=id_, cadence=cadence, start_date=start, weekdays=weekdays,
                           end_date=end, occurrence_limit=count, status=status,
                           partner_id=partner_id)


MON = date(2026, 3, 2)  # a Monday


def test_once_is_due_on_its_start_day_only():
    assert schedule.occurrences(_a("once", MON), date(2026, 1, 1), date(2026, 12, 31)) == [MON]


def test_daily_until_an_end_date():
    days = schedule.occurrences(_a("daily", MON, end=date(2026, 3, 5)), MON, date(2026, 4, 1))
    assert days == [date(2026, 3, d) for d in (2, 3, 4, 5)]


def test_chosen_weekdays_for_a_number_of_times():
    # Monday, Wednesday, Friday, four times in all
    days = schedule.occurrences(_a("weekdays", MON, weekdays="0,2,4", count=4), MON,
                                date(2026, 4, 1))
    assert days == [date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 6), date(2026, 3, 9)]


def test_weekly_keeps_the_start_day():
    days = schedule.occurrences(_a("weekly", MON), date(2026, 3, 1), date(2026, 3, 31))
    assert days == [date(2026, 3, d) for d in (2, 9, 16, 23, 30)]


def test_biweekly_every_other_week_from_the_start():
    days = schedule.occurrences(_a("biweekly", MON), date(2026, 3, 10), date(2026, 4, 30))
    assert days == [date(2026, 3, 16), date(2026, 3, 30), date(2026, 4, 13), date(2026, 4, 27)]


def test_a_count_and_an_end_date_together_cut_at_whichever_comes_first():
    a = _a("daily", MON, end=date(2026, 3, 3), count=10)
    assert schedule.occurrences(a, MON, date(2026, 4, 1)) == [date(2026, 3, 2), date(2026, 3, 3)]


def test_only_the_window_is_computed_never_stored():
    a = _a("daily", date(2020, 1, 1))
    assert schedule.occurrences(a, date(2026, 3, 2), date(2026, 3, 3)) == [
        date(2026, 3, 2), date(2026, 3, 3)]


def test_a_paused_assignment_has_nothing_due():
    assert schedule.occurrences(_a("daily", MON, status="paused"), MON, date(2026, 3, 9)) == []


@pytest.mark.parametrize(
    ("due", "today", "submitted", "expected"),
    [
        (date(2026, 3, 10), date(2026, 3, 9), False, UPCOMING),
        (date(2026, 3, 9), date(2026, 3, 9), False, DUE),
        (date(2026, 3, 8), date(2026, 3, 9), False, OVERDUE),
        (date(2026, 3, 5), date(2026, 3, 9), False, OVERDUE),  # 4 days after: still open
        (date(2026, 3, 4), date(2026, 3, 9), False, EXPIRED),  # 5 days after: closed
        (date(2026, 3, 4), date(2026, 3, 9), True, DONE),
    ],
)
def test_due_overdue_expired(due, today, submitted, expected):
    assert schedule.state(due, today, 4, submitted) == expected


def test_first_occurrence_on_or_after_keeps_the_rhythm():
    assert schedule.first_on_or_after("biweekly", MON, None, date(2026, 3, 3)) == date(2026, 3, 16)
    assert schedule.first_on_or_after("weekdays", MON, "3", date(2026, 3, 3)) == date(2026, 3, 5)
    assert schedule.first_on_or_after("once", MON, None, date(2026, 3, 3)) is None


def _open(today, assignments, submitted=frozenset(), paused=False):
    return schedule.open_occurrences(assignments, 7, [7, 8], set(submitted), today, 4,
                                     joint_work_paused=paused)


def test_open_occurrences_lists_today_first_then_overdue():
    items = _open(date(2026, 3, 4), [_a("daily", MON)], {(1, date(2026, 3, 3))})
    assert [(o.due_date, o.state) for o in items] == [
        (date(2026, 3, 4), DUE), (date(2026, 3, 2), OVERDUE)]


def test_pausing_shared_homework_pauses_joint_work_only():
    """Joint work (for both partners) has nothing open while paused; work given to this
    partner alone keeps running (it used to be hidden as well)."""
    joint, own = _a("daily", MON), _a("daily", MON, partner_id=7, id_=2)
    assert _open(date(2026, 3, 4), [joint], paused=True) == []
    items = _open(date(2026, 3, 4), [joint, own], paused=True)
    assert {o.assignment.id for o in items} == {2}
    assert [(o.due_date, o.state) for o in items][:2] == [
        (date(2026, 3, 4), DUE), (date(2026, 3, 3), OVERDUE)]
    assert schedule.paused_for_couple(joint, True)
    assert not schedule.paused_for_couple(own, True)
    assert not schedule.paused_for_couple(joint, False)


def test_an_assignment_for_the_other_partner_is_not_open_for_this_one():
    assert _open(date(2026, 3, 4), [_a("daily", MON, partner_id=8)]) == []


def test_ended_assignments_have_nothing_open():
    assert _open(date(2026, 3, 4), [_a("daily", MON, status="ended")]) == []


# ---- the couple's local day, across daylight-saving changes (America/New_York)

NY = "America/New_York"


@pytest.mark.parametrize(
    ("utc_moment", "local_day"),
    [
        # spring forward: 8 March 2026 at 02:00 local clocks jump to 03:00 (UTC-5 -> UTC-4)
        (datetime(2026, 3, 8, 4, 59), date(2026, 3, 7)),  # 23:59 EST on the 7th
        (datetime(2026, 3, 8, 5, 0), date(2026, 3, 8)),  # midnight EST
        (datetime(2026, 3, 9, 3, 59), date(2026, 3, 8)),  # 23:59 EDT on the 8th
        (datetime(2026, 3, 9, 4, 0), date(2026, 3, 9)),  # midnight EDT
        # fall back: 1 November 2026 at 02:00 local clocks go back to 01:00
        (datetime(2026, 11, 1, 3, 59), date(2026, 10, 31)),
        (datetime(2026, 11, 2, 4, 59), date(2026, 11, 1)),  # 23:59 EST on the 1st
        (datetime(2026, 11, 2, 5, 0), date(2026, 11, 2)),
    ],
)
def test_local_today_follows_the_couple_clock_across_dst(utc_moment, local_day):
    clock.set_clock(utc_moment)
    assert clock.local_today(NY) == local_day


def test_daily_homework_across_spring_forward():
    """The night the clocks change, the same local days are due, overdue and expired."""
    a = _a("daily", date(2026, 3, 1))
    clock.set_clock(datetime(2026, 3, 9, 3, 30))  # 23:30 EDT on Sunday 8 March
    today = clock.local_today(NY)
    items = _open(today, [a])
    assert items[0].due_date == date(2026, 3, 8)
    assert items[0].state == DUE
    assert [o.due_date for o in items if o.state == OVERDUE] == [
        date(2026, 3, d) for d in (7, 6, 5, 4)]
    assert schedule.state(date(2026, 3, 3), today, 4, False) == EXPIRED
    clock.set_clock(datetime(2026, 3, 9, 4, 30))  # 00:30 on Monday 9 March: a new day
    today = clock.local_today(NY)
    assert _open(today, [a])[0].due_date == date(2026, 3, 9)
    assert schedule.state(date(2026, 3, 4), today, 4, False) == EXPIRED


def test_weekly_homework_across_fall_back_keeps_its_weekday():
    a = _a("weekly", date(2026, 10, 26))  # Mondays
    days = schedule.occurrences(a, date(2026, 10, 20), date(2026, 11, 10))
    assert days == [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9)]
    # Late on Sunday 1 November (EST again), Monday's occurrence is not due yet.
    clock.set_clock(datetime(2026, 11, 2, 4, 30))  # 23:30 EST on the 1st
    today = clock.local_today(NY)
    assert schedule.state(date(2026, 11, 2), today, 4, False) == UPCOMING
    clock.set_clock(datetime(2026, 11, 2, 5, 30))  # 00:30 on Monday
    assert schedule.state(date(2026, 11, 2), clock.local_today(NY), 4, False) == DUE


def test_the_same_moment_is_a_different_day_in_another_zone():
    clock.set_clock(datetime(2026, 3, 9, 2, 0))
    assert clock.local_today(NY) == date(2026, 3, 8)
    assert clock.local_today("Europe/Berlin") == date(2026, 3, 9)
