"""The supervisor's team table, against numbers worked out by hand, and its query bound."""

from __future__ import annotations

from datetime import date, datetime

from practice import clock
from practice.admin.services import get_settings
from practice.auth.services import set_supervision
from practice.extensions import db
from practice.supervision.services import caseload_summary

from .factories import add_event, make_assignment, make_checkin, make_couple, make_flag, make_user

NOW = datetime(2026, 3, 20, 12, 0)  # a Friday; completion counts 20 Feb .. 19 Mar


def build_team():
    """Counselor One's caseload, worked out by hand (see each line's comment)."""
    clock.set_clock(datetime(2026, 1, 15, 9))
    supervisor = make_user("supervisor", name="Sue Pervisor")
    one = make_user("counselor", name="Counselor One")
    two = make_user("counselor", name="Counselor Two")
    stranger = make_user("counselor", name="Not In Team")
    set_supervision(supervisor, [one.id, two.id])
    couple = make_couple(one)
    a, b = couple.partner_users
    couple2 = make_couple(one)
    c, d = couple2.partner_users
    couple3 = make_couple(one, partners=1)
    e = couple3.partner_users[0]
    couple4 = make_couple(one)
    couple4.status = "paused"
    make_couple(stranger)
    lone = make_couple(two)
    clock.set_clock(datetime(2026, 3, 15, 9))
    make_couple(one)  # couple5: new, no homework yet, not quiet
    clock.set_clock(NOW)

    # Due (28 days): couple 40, couple2 10, couple3 1 -> 51.  Submitted: 19.
    a1 = make_assignment(couple, "daily", date(2026, 3, 10))  # 10 days x 2 partners = 20
    for day in range(10, 20):
        make_checkin(a, a1, date(2026, 3, day), reviewed=True)  # 10 (reviewed)
    make_checkin(b, a1, date(2026, 3, 18))
    make_checkin(b, a1, date(2026, 3, 19))  # 2
    a2 = make_assignment(couple, "weekly", date(2026, 1, 1), partner=a)  # Thursdays: 4 in window
    make_checkin(a, a2, date(2026, 3, 12))
    make_checkin(a, a2, date(2026, 3, 19))  # 2
    make_checkin(a, a2, date(2026, 2, 12))  # before the window: not counted
    # Paused on 5 March and resumed on 8 March: the homework feature ends the row the day
    # before the pause and continues in a new row, so 19 days - 3 paused = 16 are due.
    a8 = make_assignment(couple, "daily", date(2026, 3, 1), end=date(2026, 3, 4), partner=b)
    a8b = make_assignment(couple, "daily", date(2026, 3, 8), partner=b)
    make_checkin(b, a8, date(2026, 3, 6))  # a paused day: not due, not counted
    make_checkin(b, a8b, date(2026, 3, 10))  # 1
    a3 = make_assignment(couple2, "weekdays", date(2026, 3, 1), weekdays="0,2", limit=4)  # 8
    make_checkin(c, a3, date(2026, 3, 2), submitted_at=datetime(2026, 3, 2, 20))
    make_checkin(d, a3, date(2026, 3, 2), submitted_at=datetime(2026, 3, 2, 21))
    make_checkin(c, a3, date(2026, 3, 4), submitted_at=datetime(2026, 3, 4, 20))  # 3
    make_assignment(couple2, "once", date(2026, 3, 15))  # 2 due, none done
    make_assignment(couple2, "daily", date(2026, 3, 1), status="paused")  # nothing due
    a6 = make_assignment(couple3, "biweekly", date(2026, 2, 1), end=date(2026, 3, 10))  # 1 Mar
    make_checkin(e, a6, date(2026, 3, 1), submitted_at=datetime(2026, 3, 1, 20))  # 1
    a7 = make_assignment(couple4, "daily", date(2026, 3, 1))  # paused couple: not counted
    make_checkin(couple4.partner_users[0], a7, date(2026, 3, 2))  # but waits for review
    # Unreviewed: 21 check-ins on couple 1-3, 10 reviewed -> 11, + 1 on couple4 = 12.

    make_flag(couple, "urgent", created_at=datetime(2026, 3, 19, 6))  # 30 h: escalated
    make_flag(couple, "high", created_at=datetime(2026, 3, 19, 12))  # 24 h: not yet
    make_flag(couple2, "high", status="acknowledged", created_at=datetime(2026, 3, 10))
    make_flag(couple2, "moderate", status="session_scheduled", created_at=datetime(2026, 3, 1))
    make_flag(couple3, "low", status="resolved", created_at=datetime(2026, 2, 1))
    make_flag(couple4, "urgent", created_at=datetime(2026, 3, 20, 10))  # 2 h

    make_flag(lone, "high", created_at=datetime(2026, 3, 16, 12))  # 96 h: escalated
    get_settings()
    db.session.commit()
    return supervisor, one, two


def test_team_numbers_match_the_hand_computed_fixture(world, client):
    supervisor, one, two = build_team()
    rows = {r.counselor.id: r for r in caseload_summary(supervisor, get_settings(), NOW)}
    assert set(rows) == {one.id, two.id}
    r = rows[one.id]
    assert r.active_couples == 4
    assert r.unreviewed == 12
    assert (r.submitted, r.due) == (19, 51)
    assert r.open_flags == {"urgent": 2, "high": 2, "moderate": 1, "low": 0}
    assert r.oldest_unacknowledged_at == datetime(2026, 3, 19, 6)
    assert r.escalated == 1
    # Quiet window 6 .. 19 March. couple2: due 9 and 11 March, last check-in 4 March.
    # couple3 (last 1 March) had nothing due in the window; couple's B began on 8 March.
    assert r.quiet_couples == 1
    t = rows[two.id]
    assert (t.active_couples, t.due, t.completion, t.escalated) == (1, 0, None, 1)
    assert t.oldest_age(NOW).total_seconds() == 96 * 3600
    assert t.quiet_couples == 0  # never a check-in, but no homework either

    client.login(supervisor)
    page = client.get("/team").get_data(as_text=True)
    assert "37%" in page
    assert "(19/51)" in page
    assert "30 h" in page
    assert "4 d 0 h" in page
    assert "Not In Team" not in page


def _team_table(client, url):
    """The team table alone (the home page also lists escalated flags, with names)."""
    page = client.get(url).get_data(as_text=True)
    start = page.index("Caseloads at a glance")
    return page[start:page.index("</table>", start)]


def test_team_table_sorts_by_any_column(world, client):
    supervisor, one, two = build_team()
    client.login(supervisor)
    page = _team_table(client, "/team?sort=oldest&dir=desc")
    assert page.index("Counselor Two") < page.index("Counselor One")
    assert 'aria-sort="descending"' in page
    page = _team_table(client, "/team?sort=active&dir=desc")
    assert page.index("Counselor One") < page.index("Counselor Two")
    page = _team_table(client, "/team?sort=nonsense&dir=sideways")
    assert 'aria-sort="ascending"' in page


def _many_counselors(supervisor, n):
    counselors = [make_user("counselor", name=f"Team member {i:03d}") for i in range(n)]
    set_supervision(supervisor, [c.id for c in counselors])
    for counselor in counselors:
        couple = make_couple(counselor)
        a, b = couple.partner_users
        assignment = make_assignment(couple, "daily", date(2026, 3, 1))
        add_event(assignment, "edited", datetime(2026, 3, 2))
        make_checkin(a, assignment, date(2026, 3, 18))
        make_checkin(b, assignment, date(2026, 3, 19))
        make_flag(couple, "urgent", created_at=datetime(2026, 3, 18))
        make_flag(couple, "low", created_at=datetime(2026, 3, 1))
    db.session.commit()
    return counselors


def test_team_table_is_paginated(world, client):
    clock.set_clock(NOW)
    _many_counselors(world.supervisor, 30)
    client.login(world.supervisor)
    first = _team_table(client, "/team")
    second = _team_table(client, "/team?page=2")
    assert "Team member 000" in first
    assert "Team member 025" not in first
    assert "Team member 025" in second
    assert "Team member 000" not in second


def _queries_for(count_queries, client, url):
    """Statements for one view of `url`, once the session has had its first request (a new
    session is written once, whatever the page)."""
    assert client.get(url).status_code == 200
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_team_pages_run_a_fixed_number_of_queries(world, make_client, count_queries):
    clock.set_clock(NOW)
    get_settings()  # the settings row exists, as in any running practice
    _many_counselors(world.supervisor, 2)
    _many_counselors(world.other_supervisor, 40)
    small, big = make_client(), make_client()
    small.login(world.supervisor)
    big.login(world.other_supervisor)
    for url in ("/team", "/supervision/", "/supervision/export/caseload.csv"):
        assert _queries_for(count_queries, small, url) == _queries_for(count_queries, big, url), url
    admin = make_client()
    admin.login(world.admin)
    assert (_queries_for(count_queries, admin, "/supervision/")
            == _queries_for(count_queries, small, "/supervision/"))


def test_counselor_drill_down_runs_a_fixed_number_of_queries(world, client, count_queries):
    clock.set_clock(NOW)
    get_settings()
    small, big = _many_counselors(world.supervisor, 2)
    for _ in range(15):
        couple = make_couple(big)
        assignment = make_assignment(couple, "weekly", date(2026, 2, 2))
        make_checkin(couple.partner_users[0], assignment, date(2026, 3, 16))
        make_flag(couple, "high", created_at=datetime(2026, 3, 1))
    db.session.commit()
    client.login(world.supervisor)
    assert _queries_for(count_queries, client, f"/supervision/counselors/{small.id}") == (
        _queries_for(count_queries, client, f"/supervision/counselors/{big.id}"))
