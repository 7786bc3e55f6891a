"""The review flow keeps its place: the filter survives every action, "… and next" opens the
next check-in waiting, and everything shown can be marked reviewed after a confirmation."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from practice.checkins.models import CheckIn
from practice.extensions import db

from .factories import make_assignment, make_checkin


@pytest.fixture
def waiting(world):
    """Seven check-ins waiting: four by partner A, three by B, newest first in the list."""
    assignment = make_assignment(world.couple, start=date(2026, 11, 1))
    rows = []
    for n in range(7):
        partner = world.partner_a if n % 2 == 0 else world.partner_b
        rows.append(make_checkin(partner, assignment, date(2026, 11, 20) + timedelta(days=n),
                                 closeness=5, reflection=f"answer {n}"))
    db.session.commit()
    return sorted(rows, key=lambda c: (c.due_date, c.id), reverse=True)


def _location(response):
    url = urlsplit(response.headers["Location"])
    return url.path, {k: v[0] for k, v in parse_qs(url.query).items()}


def _review(client, world, checkin, **form):
    return client.post_form(f"/couples/{world.couple.id}/checkins/{checkin.id}/review", form)


def test_mark_reviewed_and_next_walks_the_waiting_ones_in_list_order(world, client, waiting):
    client.login(world.counselor)
    base = f"/couples/{world.couple.id}/checkins"
    path, args = _location(client.get(f"{base}/next?unreviewed=1"))
    assert (path, args) == (f"{base}/{waiting[0].id}", {"unreviewed": "1"})
    for current, following in zip(waiting, waiting[1:], strict=False):
        path, args = _location(_review(client, world, current, and_next="1", unreviewed="1"))
        assert (path, args) == (f"{base}/{following.id}", {"unreviewed": "1"})
    path, args = _location(_review(client, world, waiting[-1], and_next="1", unreviewed="1"))
    assert (path, args) == (base, {"unreviewed": "1"})
    assert db.session.query(CheckIn).filter(CheckIn.reviewed_at.is_(None)).count() == 0


def test_the_partner_filter_survives_and_limits_next(world, client, waiting):
    client.login(world.counselor)
    b = str(world.partner_b.id)
    theirs = [c for c in waiting if c.partner_id == world.partner_b.id]
    path, args = _location(_review(client, world, theirs[0], and_next="1", unreviewed="1",
                                   partner=b))
    assert path.endswith(f"/checkins/{theirs[1].id}")
    assert args == {"unreviewed": "1", "partner": b}


def test_mark_reviewed_from_the_list_returns_to_the_same_filtered_page(world, client, waiting):
    client.login(world.counselor)
    path, args = _location(_review(client, world, waiting[2], back="list", unreviewed="1",
                                   partner=str(world.partner_a.id)))
    assert path == f"/couples/{world.couple.id}/checkins"
    assert args == {"unreviewed": "1", "partner": str(world.partner_a.id)}


def test_save_feedback_and_next(world, client, waiting):
    client.login(world.counselor)
    first = waiting[0]
    response = client.post_form(
        f"/couples/{world.couple.id}/checkins/{first.id}/feedback",
        {"version": str(first.version), "feedback": "Thank you.", "and_next": "1",
         "unreviewed": "1"})
    assert _location(response)[0].endswith(f"/checkins/{waiting[1].id}")
    db.session.expire_all()
    assert db.session.get(CheckIn, first.id).feedback == "Thank you."


def test_the_detail_page_carries_the_filter_into_its_forms(world, client, waiting):
    client.login(world.counselor)
    body = client.get(f"/couples/{world.couple.id}/checkins/{waiting[0].id}?unreviewed=1"
                      ).get_data(as_text=True)
    assert body.count('<input type="hidden" name="unreviewed" value="1">') == 3
    assert "Mark reviewed and next" in body
    assert "Save feedback and next" in body
    assert "Back to the list (7 waiting)" in body


def test_mark_all_shown_asks_with_the_count_then_marks_only_those(world, client, waiting):
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/checkins/review-shown"
    shown = [str(c.id) for c in waiting[:5]]
    listing = client.get(f"/couples/{world.couple.id}/checkins?unreviewed=1"
                         ).get_data(as_text=True)
    assert "Mark all 7 shown as reviewed" in listing
    ask = client.post(url, data={"csrf_token": client.csrf_token(), "checkin": shown,
                                 "unreviewed": "1"})
    assert "Mark 5 check-ins as reviewed?" in ask.get_data(as_text=True)
    assert db.session.query(CheckIn).filter(CheckIn.reviewed_at.is_(None)).count() == 7
    done = client.post(url, data={"csrf_token": client.csrf_token(), "checkin": shown,
                                  "unreviewed": "1", "confirmed": "1"})
    assert _location(done) == (f"/couples/{world.couple.id}/checkins", {"unreviewed": "1"})
    db.session.expire_all()
    left = {c.id for c in db.session.query(CheckIn).filter(CheckIn.reviewed_at.is_(None))}
    assert left == {waiting[5].id, waiting[6].id}


def test_mark_all_ignores_another_couples_check_ins(world, client, waiting):
    other = make_checkin(world.other_client, couple=world.other_couple)
    db.session.commit()
    client.login(world.counselor)
    client.post(f"/couples/{world.couple.id}/checkins/review-shown",
                data={"csrf_token": client.csrf_token(), "checkin": [str(other.id)],
                      "confirmed": "1"})
    db.session.expire_all()
    assert db.session.get(CheckIn, other.id).reviewed_at is None
