"""Counselor and client pages run a fixed number of queries, whatever the caseload or history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from practice import clock
from practice.couples.models import Couple
from practice.exercises.models import Assignment
from practice.extensions import db

from .factories import TODAY, give, make_checkin, make_couple, make_user, noon_in_new_york


def _caseload(counselor, couples: int, days: int):
    """`couples` couples with a daily assignment and check-ins by both partners each day."""
    ids = []
    for n in range(couples):
        couple = make_couple(counselor, label=f"Load {n}")
        assignment = db.session.get(
            Assignment, give(couple, counselor, start=TODAY - timedelta(days=days)))
        for offset in range(days):
            for partner in couple.partner_users:
                make_checkin(partner, assignment, TODAY - timedelta(days=offset + 1),
                             submitted_at=clock.utcnow() - timedelta(days=offset),
                             closeness=1 + offset % 10, reflection="r")
        ids.append(couple.id)
    db.session.commit()
    return ids


def _count_get(count_queries, client, url):
    client.get(url)  # the first request of a practice creates its settings row
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return len(q)


# page, then (couples, days of check-ins) for a small and a big caseload
PAGES = {
    "counselor home": ("/caseload", (1, 1), (12, 9)),
    "couple page": ("/couples/{couple}", (1, 1), (1, 40)),
    "check-in list": ("/couples/{couple}/checkins", (1, 2), (1, 30)),
    "client home": ("/me", (1, 1), (1, 30)),
}


@pytest.mark.parametrize(("page", "small", "big"), list(PAGES.values()), ids=list(PAGES))
def test_a_page_runs_a_fixed_number_of_queries(app, ctx, make_client, count_queries, page,
                                               small, big):
    noon_in_new_york()
    counts = []
    for couples, days in (small, big):
        counselor = make_user("counselor")
        couple = db.session.get(Couple, _caseload(counselor, couples, days)[-1])
        c = make_client()
        c.login(couple.partner_users[0] if page == "/me" else counselor)
        counts.append(_count_get(count_queries, c, page.format(couple=couple.id)))
    assert counts[0] == counts[1], counts
