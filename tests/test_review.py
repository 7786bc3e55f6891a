"""Counselor review: the couple's page, check-in pages, feedback, case notes, the home panel,
completion stats and query bounds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from practice import clock
from practice.audit.models import AuditEntry
from practice.checkins import services
from practice.checkins.engagement import engagement_for, recency
from practice.checkins.models import CheckIn
from practice.extensions import db

from .factories import make_couple, make_user
from .homework_helpers import (
    TODAY,
    checkins,
    count_queries,
    give,
    noon_in_new_york,
    send,
)


def _checked_in(world, make_client, **answers):
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    a = make_client()
    a.login(world.partner_a)
    send(a, aid, **answers)
    return aid, checkins()[0]


def test_couple_page_shows_unreviewed_trends_and_completion(world, client, make_client):
    aid, c = _checked_in(world, make_client, closeness="6", private_note="note")
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "Waiting for review" in page
    assert f"/couples/{world.couple.id}/checkins/{c.id}" in page
    assert 'class="chart"' in page
    assert 'class="line-a"' in page
    assert "<title id=\"closeness-chart-title\">" in page
    assert "Show the numbers" in page
    # Completion counts the 28 full days before today: three occurrences each (7th to 9th).
    # Partner A's check-in is for today, which is not counted until it is over (it used to
    # count today, so homework not yet done today showed as missed).
    assert "Completion, last 28 days up to yesterday" in page
    assert '<td class="num">0</td><td class="num">3</td>' in page
    assert '<td class="num">4</td>' not in page
    a = make_client()
    a.login(world.partner_a)
    send(a, aid, due=TODAY - timedelta(days=1))  # yesterday's, done late: counts
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert '<td class="num">1</td><td class="num">3</td>' in page
    assert page.count('<td class="num">0</td><td class="num">3</td>') == 1  # partner B


def test_couple_page_completion_window_is_the_28_days_before_today(world, client):
    """The first day counted is 28 days back; 29 days back and today are outside."""
    noon_in_new_york()
    give(world.couple, world.counselor, cadence="once", start=TODAY - timedelta(days=28))
    give(world.couple, world.counselor, cadence="once", start=TODAY - timedelta(days=29))
    give(world.couple, world.counselor, cadence="once", start=TODAY)
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert page.count('<td class="num">0</td><td class="num">1</td>') == 2  # one per partner
    assert page.count("Nothing due yet") == 2  # the one 29 days back, and today's


def test_staff_reads_of_check_ins_are_audited(world, client, make_client):
    _aid, c = _checked_in(world, make_client)
    client.login(world.supervisor)
    assert client.get(f"/couples/{world.couple.id}/checkins/{c.id}").status_code == 200
    assert client.get(f"/couples/{world.couple.id}/checkins").status_code == 200
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"checkin_viewed", "checkins_viewed"} <= actions


def test_supervisor_reads_without_write_controls(world, client, make_client):
    _aid, c = _checked_in(world, make_client)
    client.login(world.supervisor)
    page = client.get(f"/couples/{world.couple.id}/checkins/{c.id}").get_data(as_text=True)
    assert "Mark reviewed" not in page
    assert "Send feedback" not in page
    assert client.post_form(f"/couples/{world.couple.id}/checkins/{c.id}/review"
                            ).status_code == 403


def test_mark_reviewed_and_feedback_reach_the_client(world, client, make_client):
    _aid, c = _checked_in(world, make_client)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/checkins/{c.id}"
    assert client.post_form(url + "/review").status_code == 302
    c = checkins()[0]
    assert c.reviewed_by_id == world.counselor.id
    response = client.post_form(url + "/feedback", {"feedback": "Keep going.",
                                                    "version": str(c.version)})
    assert response.status_code == 302
    a = make_client()
    a.login(world.partner_a)
    assert "Keep going." in a.get(f"/me/checkins/{c.id}").get_data(as_text=True)
    b = make_client()
    b.login(world.partner_b)
    assert "Keep going." not in b.get("/me/checkins").get_data(as_text=True)


def test_stale_feedback_is_refused_and_the_text_kept(world, client, make_client):
    _aid, c = _checked_in(world, make_client)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/checkins/{c.id}/feedback"
    version = str(c.version)
    assert client.post_form(url, {"feedback": "First", "version": version}).status_code == 302
    response = client.post_form(url, {"feedback": "Second from an old page", "version": version})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Second from an old page" in page
    assert "changed while you were writing" in page
    assert checkins()[0].feedback == "First"


def test_case_notes_are_dated_and_never_for_clients(world, client, make_client):
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/notes"
    response = client.post_form(url, {"note_date": "2026-03-09", "body": "CASE-NOTE-TEXT"})
    assert response.status_code == 302
    assert "CASE-NOTE-TEXT" in client.get(url).get_data(as_text=True)
    missing = client.post_form(url, {"note_date": "2026-03-09", "body": ""})
    assert "Write the note first." in missing.get_data(as_text=True)
    a = make_client()
    a.login(world.partner_a)
    assert a.get(url).status_code == 403
    for page in ("/me", "/me/checkins"):
        assert "CASE-NOTE-TEXT" not in a.get(page).get_data(as_text=True)
    s = make_client()
    s.login(world.supervisor)
    assert s.post_form(url, {"note_date": "2026-03-09", "body": "x"}).status_code == 403


def test_counselor_home_lists_what_needs_attention(world, client, make_client):
    _aid, _c = _checked_in(world, make_client)
    quiet = make_couple(world.counselor, label="Quiet couple")
    give(quiet, world.counselor, start=TODAY - timedelta(days=20))
    db.session.commit()
    client.login(world.counselor)
    page = client.get("/caseload").get_data(as_text=True)
    assert "recency-2d" in page
    assert "In the last 2 days" in page
    assert "recency-old" in page
    assert "No check-ins yet" in page
    names = ", ".join(u.display_name for u in quiet.partner_users)
    assert names in page  # both partners quiet for 14+ days


def test_recency_bands():
    now = datetime(2026, 3, 10, 12)
    assert recency(now - timedelta(days=1), now)[0] == "recency-2d"
    assert recency(now - timedelta(days=5), now)[0] == "recency-7d"
    assert recency(now - timedelta(days=20), now)[0] == "recency-30d"
    assert recency(now - timedelta(days=40), now)[0] == "recency-old"
    assert recency(None, now) == ("recency-old", "no check-ins yet")


def test_a_check_in_for_a_day_no_longer_scheduled_does_not_count(world, make_client):
    _aid, c = _checked_in(world, make_client)
    c.due_date = TODAY - timedelta(days=1)
    db.session.commit()
    numbers = engagement_for([world.couple])[world.couple.id]
    assert (numbers.done, numbers.due) == (1, 6)  # 3 days before today x 2 partners
    c.due_date = TODAY - timedelta(days=10)  # before the assignment began
    db.session.commit()
    numbers = engagement_for([world.couple])[world.couple.id]
    assert (numbers.done, numbers.due) == (0, 6)


# ---- query bounds


def _caseload(counselor, couples: int, days: int):
    """`couples` couples with a daily assignment and check-ins by both partners each day."""
    ids = []
    for n in range(couples):
        couple = make_couple(counselor, label=f"Load {n}")
        aid = give(couple, counselor, start=TODAY - timedelta(days=days))
        for offset in range(days):
            for partner in couple.partner_users:
                db.session.add(CheckIn(
                    assignment_id=aid, couple_id=couple.id, partner_id=partner.id,
                    due_date=TODAY - timedelta(days=offset + 1),
                    submit_token=f"{aid}-{partner.id}-{offset}-tok",
                    outcome="done", closeness=1 + offset % 10, reflection="r",
                    submitted_at=clock.utcnow() - timedelta(days=offset),
                ))
        ids.append(couple.id)
    db.session.commit()
    return ids


def _count_get(client, url):
    client.get(url)  # the first request of a practice creates its settings row
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q["n"]


def test_counselor_home_runs_a_fixed_number_of_queries(app, ctx, make_client):
    noon_in_new_york()
    counts = []
    for couples, days in ((1, 1), (12, 9)):
        counselor = make_user("counselor")
        _caseload(counselor, couples, days)
        c = make_client()
        c.login(counselor)
        counts.append(_count_get(c, "/caseload"))
    assert counts[0] == counts[1], counts


def test_couple_page_runs_a_fixed_number_of_queries(app, ctx, make_client):
    noon_in_new_york()
    counts = []
    for days in (1, 40):
        counselor = make_user("counselor")
        [couple_id] = _caseload(counselor, 1, days)
        c = make_client()
        c.login(counselor)
        counts.append(_count_get(c, f"/couples/{couple_id}"))
    assert counts[0] == counts[1], counts


def test_check_in_list_runs_a_fixed_number_of_queries(app, ctx, make_client):
    noon_in_new_york()
    counts = []
    for days in (2, 30):
        counselor = make_user("counselor")
        [couple_id] = _caseload(counselor, 1, days)
        c = make_client()
        c.login(counselor)
        counts.append(_count_get(c, f"/couples/{couple_id}/checkins"))
    assert counts[0] == counts[1], counts


def test_client_home_runs_a_fixed_number_of_queries(app, ctx, make_client):
    noon_in_new_york()
    counts = []
    for days in (1, 30):
        counselor = make_user("counselor")
        [couple_id] = _caseload(counselor, 1, days)
        from practice.couples.models import Couple

        couple = db.session.get(Couple, couple_id)
        c = make_client()
        c.login(couple.partner_users[0])
        counts.append(_count_get(c, "/me"))
    assert counts[0] == counts[1], counts


def test_feedback_service_refuses_a_stale_version(world, make_client):
    _aid, c = _checked_in(world, make_client)
    services.give_feedback(c, world.counselor, "one", c.version)
    from practice.modelbase import EditConflictError

    try:
        services.give_feedback(c, world.counselor, "two", c.version - 1)
    except EditConflictError:
        pass
    else:
        raise AssertionError("a stale feedback edit was accepted")


def _caseload_row(client, label: str) -> str:
    page = client.get("/caseload").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"recency-[^\"]*\">.*?</tr>", page, re.S)
    [row] = [r for r in rows if f">{label}</a>" in r]
    return row


def test_counselor_home_counts_only_running_work_while_shared_homework_is_paused(
        world, client):
    """While shared homework is paused, joint work is not overdue and does not make a
    partner 'quiet'; work given to one partner alone still does (it used to be dropped)."""
    noon_in_new_york()
    world.couple.label = "Paused pair"
    give(world.couple, world.counselor, start=TODAY - timedelta(days=20))
    give(world.couple, world.counselor, slug="rebuild-trust", start=TODAY - timedelta(days=20),
         partner_id=world.partner_a.id)
    client.login(world.counselor)
    row = _caseload_row(client, "Paused pair")
    # 4 open overdue days (expiry 4) x (joint for two + A's own)
    assert '<td class="num">12</td>' in row
    assert f"{world.partner_a.display_name}, {world.partner_b.display_name}" in row
    world.couple.joint_work_paused = True
    db.session.commit()
    row = _caseload_row(client, "Paused pair")
    assert "Shared homework paused" in row
    assert '<td class="num">4</td>' in row  # A's own work only
    assert f"<td>{world.partner_a.display_name}</td>" in row  # B has nothing running
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "Work given to one partner alone continues as scheduled." in page


def test_counselor_home_with_only_joint_work_paused_shows_nothing_due(world, client):
    noon_in_new_york()
    world.couple.label = "Paused pair"
    world.couple.joint_work_paused = True
    give(world.couple, world.counselor, start=TODAY - timedelta(days=20))
    client.login(world.counselor)
    row = _caseload_row(client, "Paused pair")
    assert '<td class="num">0</td><td>—</td>' in row.replace("\n", "").replace("  ", "")


def test_couple_page_explains_what_the_pause_covers(world, client):
    noon_in_new_york()
    give(world.couple, world.counselor)
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "pauses the work given to both partners; work given to one partner alone" in page
    assert "Pause the homework given to both partners?" in page
    response = client.post_form(f"/couples/{world.couple.id}/joint-work", {"paused": "1"})
    assert response.status_code == 302
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "nothing given to both partners is due" in page
    assert "Resume shared homework" in page
