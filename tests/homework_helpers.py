"""Shared helpers for the homework tests."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from practice import clock
from practice.checkins.models import CheckIn
from practice.exercises.assignments import assign
from practice.exercises.library import load_builtin_exercises
from practice.exercises.models import Exercise
from practice.extensions import db

TODAY = date(2026, 3, 10)  # a Tuesday


def noon_in_new_york(day: date = TODAY) -> None:
    clock.set_clock(datetime(day.year, day.month, day.day, 16, 0))


def exercise(slug: str) -> Exercise:
    if db.session.scalar(select(Exercise).where(Exercise.slug == slug)) is None:
        load_builtin_exercises()
    return db.session.scalar(select(Exercise).where(Exercise.slug == slug))


def give(couple, counselor, slug="daily-empathy", start=None, **kw) -> int:
    """Assign an exercise starting `start` (default: 3 days before TODAY); returns its id."""
    data = {"cadence": "daily", "start_date": TODAY, "partner_id": None, "ends": "never"}
    data.update(kw)
    a = assign(couple, exercise(slug), counselor, data)
    a.start_date = start or TODAY - timedelta(days=3)
    db.session.commit()
    return a.id


def token_of(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def checkin_form(client, assignment_id: int, due: date, **answers):
    url = f"/me/checkins/{assignment_id}/{due.isoformat()}"
    page = client.get(url).get_data(as_text=True)
    data = {"token": token_of(page), "outcome": "done", "closeness": "7"}
    data.update(answers)
    return url, data


def send(client, assignment_id: int, due: date = TODAY, **answers):
    url, data = checkin_form(client, assignment_id, due, **answers)
    return client.post_form(url, data)


def checkins() -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(select(CheckIn).order_by(CheckIn.id)))

