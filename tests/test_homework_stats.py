"""completion_stats, last_checkin_at and recency: what was due, from each cadence, what was
done, and how recent the last check-in is."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from practice.checkins.stats import completion_stats, last_checkin_at, recency
from practice.extensions import db

from .client_steps import checked_in
from .factories import TODAY, make_assignment, make_checkin, make_couple, make_user

START, END = date(2026, 3, 1), date(2026, 3, 31)  # 1 March 2026 is a Sunday


def _couple(partners=2):
    return make_couple(make_user("counselor"), partners=partners)


def _due(couple, start=START, end=END):
    return completion_stats([couple.id], start, end)[couple.id][1]


def test_each_cadence_counts_its_occurrences(ctx):
    cases = [
        (dict(cadence="once", start=date(2026, 3, 5)), 1),
        (dict(cadence="daily", start=date(2026, 3, 1)), 31),
        (dict(cadence="weekdays", start=date(2026, 3, 1), weekdays="0,2,4"), 13),
        (dict(cadence="weekly", start=date(2026, 2, 26)), 4),  # Thursdays 5, 12, 19, 26
        (dict(cadence="biweekly", start=date(2026, 3, 2)), 3),  # 2, 16, 30 March
    ]
    for kwargs, expected in cases:
        couple = _couple(partners=1)
        make_assignment(couple, **kwargs)
        assert _due(couple) == expected, kwargs


def test_both_partners_double_what_is_due_and_one_partner_does_not(ctx):
    couple = _couple()
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 10))
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 10),
                    partner=couple.partners[0].user)
    assert _due(couple) == 10 * 2 + 10


def test_end_date_and_occurrence_limit_stop_the_schedule(ctx):
    couple = _couple(partners=1)
    make_assignment(couple, "daily", date(2026, 2, 25), limit=10)  # 25 Feb .. 6 Mar
    make_assignment(couple, "weekly", date(2026, 3, 2), end=date(2026, 3, 20), limit=50)
    assert _due(couple) == 6 + 3


def test_paused_stretches_and_ended_assignments_are_not_due(ctx):
    """A pause ends the row the day before and a resumed continuation starts later; a row
    still paused has nothing due; an ended row keeps what was due before its end date."""
    couple = _couple(partners=1)
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 2))  # paused on 3 March
    make_assignment(couple, "daily", date(2026, 3, 6), end=date(2026, 3, 10))  # resumed 6 March
    make_assignment(couple, "daily", date(2026, 3, 1), status="paused")
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 4), status="ended")
    assert _due(couple) == 2 + 5 + 0 + 4


def test_submitted_counts_checkins_on_due_days_only(ctx):
    couple = _couple()
    a, b = couple.partner_users
    assignment = make_assignment(couple, "weekly", date(2026, 3, 2))  # Mondays: 2, 9, 16, 23, 30
    make_checkin(a, assignment, date(2026, 3, 2))
    make_checkin(b, assignment, date(2026, 3, 2))
    make_checkin(a, assignment, date(2026, 3, 9))
    make_checkin(a, assignment, date(2026, 2, 23))  # before the window
    assert completion_stats([couple.id], START, END)[couple.id] == (3, 10)


def test_couples_without_homework_and_last_checkin(ctx):
    couple, quiet = _couple(), _couple()
    a = couple.partners[0].user
    assignment = make_assignment(couple, "daily", date(2026, 3, 1))
    make_checkin(a, assignment, date(2026, 3, 1), submitted_at=datetime(2026, 3, 1, 20))
    make_checkin(a, assignment, date(2026, 3, 4), submitted_at=datetime(2026, 3, 5, 8))
    assert completion_stats([quiet.id], START, END) == {quiet.id: (0, 0)}
    assert last_checkin_at([couple.id, quiet.id]) == {
        couple.id: datetime(2026, 3, 5, 8),
        quiet.id: None,
    }


def test_recency_bands():
    now = datetime(2026, 3, 10, 12)
    assert recency(now - timedelta(days=1), now)[0] == "recency-2d"
    assert recency(now - timedelta(days=5), now)[0] == "recency-7d"
    assert recency(now - timedelta(days=20), now)[0] == "recency-30d"
    assert recency(now - timedelta(days=40), now)[0] == "recency-old"
    assert recency(None, now) == ("recency-old", "no check-ins yet")


def test_completion_stats_and_last_checkin(world, make_client, count_queries):
    _aid, c = checked_in(world, make_client)
    start = TODAY - timedelta(days=3)
    ours, theirs, submitted_at = world.couple.id, world.other_couple.id, c.submitted_at
    with count_queries() as q:
        stats = completion_stats([ours, theirs], start, TODAY)
    assert len(q) == 3
    assert stats == {ours: (1, 8), theirs: (0, 0)}
    assert completion_stats([ours], TODAY, TODAY) == {ours: (1, 2)}
    with count_queries() as q:
        last = last_checkin_at([ours, theirs])
    assert len(q) == 1
    assert last == {ours: submitted_at, theirs: None}


def test_a_check_in_for_a_day_no_longer_scheduled_does_not_count(world, make_client):
    _aid, c = checked_in(world, make_client)
    c.due_date = TODAY + timedelta(days=30)
    db.session.commit()
    assert completion_stats([world.couple.id], TODAY, TODAY)[world.couple.id] == (0, 2)
