"""What a signed-in client does through the pages: check in, answer the safety questions."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from practice.checkins.models import CheckIn
from practice.extensions import db

from .factories import TODAY, give, noon_in_new_york


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


def checked_in(world, make_client, **answers):
    """Partner A checks in today on a daily exercise given three days ago; returns the
    assignment's id and the check-in."""
    noon_in_new_york()
    aid = give(world.couple, world.counselor)
    a = make_client()
    a.login(world.partner_a)
    send(a, aid, **answers)
    return aid, checkins()[0]


def answer_screen(client, data: dict, **kwargs):
    """Go through the screen as a client does: 'private now', then the questions (with the
    one-time token the questions page carries)."""
    privacy = {"private": "yes"}
    for key in ("context", "checkin_id"):
        if key in data:
            privacy[key] = data[key]
    page = client.post_form("/me/safety-check", privacy, follow_redirects=True).get_data(
        as_text=True)
    return client.post_form("/me/safety-check/answers", {**data, "token": token_of(page)},
                            **kwargs)
