"""Completion, quiet partners and quiet couples: one definition (checkins/engagement.py),
the same numbers on every page that shows them."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from practice import clock
from practice.auth.services import set_supervision
from practice.checkins.engagement import (
    COMPLETION_DAYS,
    QUIET_DAYS,
    engagement_for,
    recency,
)
from practice.extensions import db
from practice.flags.models import Flag
from practice.flags.rules import evaluate_disengagement

from .client_steps import checked_in
from .factories import TODAY as FACTORY_TODAY
from .factories import make_assignment, make_checkin, make_couple, make_user

# --- what is due, from each cadence -----------------------------------------------------------
# With the clock at noon UTC on 29 March 2026 (morning in New York), the completion window is
# 1 .. 28 March (1 March is a Sunday).
TODAY = date(2026, 3, 29)


def _at_today():
    clock.set_clock(datetime(2026, 3, 29, 12))


def _couple(partners=2):
    return make_couple(make_user("counselor"), partners=partners)


def _numbers(couple):
    return engagement_for([couple])[couple.id]


def test_the_windows_are_four_weeks_and_two_weeks_before_today(ctx):
    assert (COMPLETION_DAYS, QUIET_DAYS) == (28, 14)


def test_each_cadence_counts_its_occurrences(ctx):
    _at_today()
    cases = [
        (dict(cadence="once", start=date(2026, 3, 5)), 1),
        (dict(cadence="daily", start=date(2026, 3, 1)), 28),
        (dict(cadence="weekdays", start=date(2026, 3, 1), weekdays="0,2,4"), 12),
        (dict(cadence="weekly", start=date(2026, 2, 26)), 4),  # Thursdays 5, 12, 19, 26
        (dict(cadence="biweekly", start=date(2026, 3, 2)), 2),  # 2 and 16 March
        (dict(cadence="daily", start=date(2026, 3, 29)), 0),  # today is not counted
    ]
    for kwargs, expected in cases:
        couple = _couple(partners=1)
        make_assignment(couple, **kwargs)
        assert _numbers(couple).due == expected, kwargs


def test_both_partners_double_what_is_due_and_one_partner_does_not(ctx):
    _at_today()
    couple = _couple()
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 10))
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 10),
                    partner=couple.partners[0].user)
    assert _numbers(couple).due == 10 * 2 + 10


def test_end_date_and_occurrence_limit_stop_the_schedule(ctx):
    _at_today()
    couple = _couple(partners=1)
    make_assignment(couple, "daily", date(2026, 2, 25), limit=10)  # 25 Feb .. 6 Mar
    make_assignment(couple, "weekly", date(2026, 3, 2), end=date(2026, 3, 20), limit=50)
    assert _numbers(couple).due == 6 + 3


def test_paused_stretches_and_ended_assignments_are_not_due(ctx):
    """A pause ends the row the day before and a resumed continuation starts later; a row
    still paused has nothing due; an ended row keeps what was due before its end date."""
    _at_today()
    couple = _couple(partners=1)
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 2))  # paused on 3 March
    make_assignment(couple, "daily", date(2026, 3, 6), end=date(2026, 3, 10))  # resumed 6 March
    make_assignment(couple, "daily", date(2026, 3, 1), status="paused")
    make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 4), status="ended")
    assert _numbers(couple).due == 2 + 5 + 0 + 4


def test_done_counts_checkins_on_due_days_in_the_window_only(ctx):
    _at_today()
    couple = _couple()
    a, b = couple.partner_users
    assignment = make_assignment(couple, "weekly", date(2026, 3, 2))  # Mondays: 2, 9, 16, 23
    make_checkin(a, assignment, date(2026, 3, 2))
    make_checkin(b, assignment, date(2026, 3, 2))
    make_checkin(a, assignment, date(2026, 3, 9))
    make_checkin(a, assignment, date(2026, 3, 4))  # not a due day
    make_checkin(a, assignment, date(2026, 2, 23))  # before the window
    numbers = _numbers(couple)
    assert (numbers.done, numbers.due) == (3, 8)
    assert numbers.by_assignment == {(assignment.id, a.id): (2, 4), (assignment.id, b.id): (1, 4)}


def test_couples_without_homework_and_last_checkin_in_four_queries(ctx, count_queries):
    _at_today()
    couple, idle = _couple(), _couple()
    a = couple.partners[0].user
    assignment = make_assignment(couple, "daily", date(2026, 3, 1))
    make_checkin(a, assignment, date(2026, 3, 1), submitted_at=datetime(2026, 3, 1, 20))
    make_checkin(a, assignment, date(2026, 3, 4), submitted_at=datetime(2026, 3, 5, 8))
    with count_queries() as q:
        numbers = engagement_for([couple, idle])
    assert len(q) == 4
    assert (numbers[idle.id].done, numbers[idle.id].due, numbers[idle.id].completion) == (
        0, 0, None)
    assert numbers[couple.id].last_checkin == datetime(2026, 3, 5, 8)
    assert numbers[couple.id].last_by_partner == {a.id: datetime(2026, 3, 5, 8)}
    assert numbers[idle.id].last_checkin is None


# --- quiet partners -----------------------------------------------------------------------------


def test_a_partner_is_quiet_only_when_homework_was_expected_and_nothing_came(ctx):
    _at_today()  # quiet window: 15 .. 28 March, New York days
    couple = _couple()
    a, b = couple.partner_users
    shared = make_assignment(couple, "daily", date(2026, 3, 1))
    make_checkin(a, shared, date(2026, 3, 16), submitted_at=datetime(2026, 3, 16, 4, 30))
    make_checkin(b, shared, date(2026, 3, 14), submitted_at=datetime(2026, 3, 15, 3, 59))
    # 15 March starts at 04:00 UTC in New York (daylight saving time began on 8 March):
    # A's check-in falls inside the window, B's just before it.
    assert _numbers(couple).quiet_partner_ids == [b.id]
    make_checkin(b, shared, date(2026, 3, 28), submitted_at=datetime(2026, 3, 29, 11))
    assert _numbers(couple).quiet_partner_ids == []  # a check-in today counts


def test_homework_begun_inside_the_window_or_over_before_it_makes_nobody_quiet(ctx):
    _at_today()
    couple = _couple()
    a, b = couple.partner_users
    make_assignment(couple, "daily", date(2026, 3, 16))  # began after the window's first day
    make_assignment(couple, "daily", date(2026, 2, 1), end=date(2026, 3, 14), partner=a)
    make_assignment(couple, "once", date(2026, 3, 1), partner=b)
    assert _numbers(couple).quiet_partner_ids == []
    make_assignment(couple, "weekly", date(2026, 3, 15), partner=b)  # due 15 and 22 March
    assert _numbers(couple).quiet_partner_ids == [b.id]


def test_paused_shared_homework_and_paused_couples_make_nobody_quiet(ctx):
    _at_today()
    couple = _couple()
    a, _b = couple.partner_users
    make_assignment(couple, "daily", date(2026, 3, 1))
    couple.joint_work_paused = True
    assert _numbers(couple).quiet_partner_ids == []
    make_assignment(couple, "daily", date(2026, 3, 1), partner=a)  # individual work goes on
    assert _numbers(couple).quiet_partner_ids == [a.id]
    couple.status = "paused"
    assert _numbers(couple).quiet_partner_ids == []


# --- one couple, every page ---------------------------------------------------------------------

# 20:00 UTC on 20 March is 09:00 on 21 March in Auckland (UTC+13): the couple's today is the
# 21st, so completion counts 21 February .. 20 March and the quiet window is 7 .. 20 March.
NOW = datetime(2026, 3, 20, 20)


def _one_couple():
    clock.set_clock(datetime(2026, 1, 10, 9))
    supervisor = make_user("supervisor", name="Sam Supervisor")
    counselor = make_user("counselor", name="Casey Counselor")
    set_supervision(supervisor, [counselor.id])
    couple = make_couple(counselor, label="Harbour pair", tz="Pacific/Auckland")
    a, b = couple.partner_users
    clock.set_clock(NOW)
    shared = make_assignment(couple, "daily", date(2026, 2, 1))  # 28 days x 2 partners = 56
    own = make_assignment(couple, "weekly", date(2026, 2, 2), partner=a)  # 23 Feb, 2, 9, 16 Mar
    for day in range(10, 21):
        make_checkin(a, shared, date(2026, 3, day), submitted_at=datetime(2026, 3, day, 6))
    make_checkin(a, own, date(2026, 3, 9))
    make_checkin(a, own, date(2026, 3, 16))
    for day in range(21, 26):
        make_checkin(b, shared, date(2026, 2, day))
    make_checkin(a, shared, date(2026, 2, 20))  # before the window
    db.session.commit()
    return supervisor, counselor, couple, a, b


def _cells(html: str, marker: str, row_start: str = "<tr") -> list[str]:
    pattern = re.escape(row_start) + r"[^>]*>.*?</tr>"
    row = next(r for r in re.findall(pattern, html, re.S) if marker in r)
    return [re.sub(r"<[^>]+>|\s+", " ", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def test_one_couple_has_the_same_numbers_on_every_page_and_in_the_flag_rule(ctx, make_client):
    supervisor, counselor, couple, a, b = _one_couple()
    done, due = 11 + 2 + 5, 56 + 4
    numbers = _numbers(couple)
    assert (numbers.done, numbers.due, numbers.quiet_partner_ids) == (done, due, [b.id])

    staff = make_client()
    staff.login(counselor)
    home = _cells(staff.get("/caseload").get_data(as_text=True), "Harbour pair",
                  '<tr class="recency-')
    assert home[-1] == b.display_name  # the quiet column
    page = staff.get(f"/couples/{couple.id}").get_data(as_text=True)
    assert f'<span class="completion-total">{done} of {due}</span>' in page
    quiet = re.search(r'<dd class="quiet-partners">(.*?)</dd>', page).group(1)
    assert quiet == b.display_name

    boss = make_client()
    boss.login(supervisor)
    table = _cells(boss.get("/team").get_data(as_text=True), "Casey Counselor")
    assert f"({done}/{due})" in table[3]
    assert table[-1] == "1"  # one quiet couple
    drill = _cells(boss.get(f"/supervision/counselors/{counselor.id}").get_data(as_text=True),
                   "Harbour pair")
    assert f"({done}/{due})" in drill[3]
    assert drill[4] == "1"  # one quiet partner
    export = boss.get("/supervision/export/caseload.csv").get_data(as_text=True)
    [row] = list(csv.DictReader(io.StringIO(export)))
    assert row[f"homework submitted ({COMPLETION_DAYS} days)"] == str(done)
    assert row[f"homework due ({COMPLETION_DAYS} days)"] == str(due)
    assert row[f"quiet couples ({QUIET_DAYS} days)"] == "1"

    evaluate_disengagement()
    flagged = db.session.scalars(select(Flag.partner_id).where(Flag.rule_key == "disengaged"))
    assert list(flagged) == [b.id]


# --- recency and check-ins moved off their schedule -------------------------------------------


def test_recency_bands():
    now = datetime(2026, 3, 10, 12)
    assert recency(now - timedelta(days=1), now)[0] == "recency-2d"
    assert recency(now - timedelta(days=5), now)[0] == "recency-7d"
    assert recency(now - timedelta(days=20), now)[0] == "recency-30d"
    assert recency(now - timedelta(days=40), now)[0] == "recency-old"
    assert recency(None, now) == ("recency-old", "no check-ins yet")


def test_a_check_in_for_a_day_no_longer_scheduled_does_not_count(world, make_client):
    _aid, c = checked_in(world, make_client)
    c.due_date = FACTORY_TODAY - timedelta(days=1)
    db.session.commit()
    numbers = engagement_for([world.couple])[world.couple.id]
    assert (numbers.done, numbers.due) == (1, 6)  # 3 days before today x 2 partners
    c.due_date = FACTORY_TODAY - timedelta(days=10)  # before the assignment began
    db.session.commit()
    numbers = engagement_for([world.couple])[world.couple.id]
    assert (numbers.done, numbers.due) == (0, 6)
