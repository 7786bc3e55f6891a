"""The top of a couple's page: the story since the last attended session."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from practice import clock
from practice.appointments.services import record_attendance, schedule_appointment
from practice.extensions import db
from practice.flags.services import change_status, raise_flag

from .factories import make_assignment, make_checkin, make_flag

SESSION_DAY = date(2026, 11, 24)


@pytest.fixture
def story(world):
    """A joint session on 24 Nov (10:00 New York) attended, and a week of homework around it."""
    clock.set_clock(datetime(2026, 11, 20, 12, 0))
    session = schedule_appointment(world.couple, world.counselor, day=SESSION_DAY,
                                   start=time(10, 0), duration_minutes=50, mode="joint",
                                   partner_id=None)
    clock.set_clock(datetime(2026, 11, 24, 16, 0))
    record_attendance(session, world.counselor, "attended")
    daily = make_assignment(world.couple, start=date(2026, 11, 20))
    a, b = world.partner_a, world.partner_b
    make_checkin(a, daily, date(2026, 11, 23), closeness=2, reflection="before the session",
                 reviewed=True)
    make_checkin(a, daily, date(2026, 11, 25), closeness=5, reflection="we talked openly",
                 share_with_partner=True)
    make_checkin(a, daily, date(2026, 11, 26), closeness=3,
                 submitted_at=datetime(2026, 11, 26, 18, 0))
    # A second answer later the same day replaces the first in the trend.
    make_checkin(a, make_assignment(world.couple, start=date(2026, 11, 20)),
                 date(2026, 11, 26), closeness=7, submitted_at=datetime(2026, 11, 26, 21, 0),
                 private_note="only for you")
    make_checkin(b, daily, date(2026, 11, 25), closeness=6, reflection="felt unheard",
                 reviewed=True)
    old = make_flag(world.couple, "moderate", created_at=datetime(2026, 11, 1))
    change_status(old, "acknowledged", world.counselor)
    make_flag(world.couple, "low", category="external_stressors",
              created_at=datetime(2026, 11, 2))
    raise_flag(world.couple, "communication_breakdown", "moderate", "Seen.", "counselor",
               actor=world.counselor)
    db.session.commit()
    clock.set_clock(datetime(2026, 11, 28, 14, 0))
    return session


def _top(client, world):
    body = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    start = body.index('id="since"')
    return body, body[start:body.index("</section>", start)]


def test_the_summary_starts_at_the_last_attended_session_above_everything(world, client,
                                                                         story):
    client.login(world.counselor)
    body, top = _top(client, world)
    assert body.index('id="since"') < body.index("<h2>Partners</h2>")
    assert "Since the last session" in top
    assert f"/appointments/{story.id}" in top
    assert "before the session" not in top


def test_each_partners_trend_counts_the_days_last_answer(world, client, story):
    client.login(world.counselor)
    _body, top = _top(client, world)
    assert "Closeness: 2 answers, from 5 to 7 (closer)." in top
    assert "Closeness: one answer, 6." in top


def test_what_was_said_carries_its_audience_and_links_to_the_check_in(world, client, story):
    client.login(world.counselor)
    _body, top = _top(client, world)
    said = top.split("What was said")[1]
    shared = said.split("we talked openly")[0].rsplit("<li>", 1)[1]
    assert "Shared with the partner" in shared
    assert "/checkins/" in shared
    assert "Counselor only" in said.split("felt unheard")[0].rsplit("<li>", 1)[1]
    assert "Counselor only (private note)" in said.split("only for you")[0].rsplit("<li>", 1)[1]


def test_flags_raised_or_changed_since_and_what_waits(world, client, story):
    client.login(world.counselor)
    _body, top = _top(client, world)
    flags = top.split("<h3>Flags</h3>")[1].split("<h3>")[0]
    assert "Communication breakdown" in flags
    assert "raised" in flags
    assert "External stressors" not in flags
    assert "3 check-ins" in top.split("Waiting for review")[1]


def test_homework_done_and_due_per_assignment_since_the_session(world, client, story):
    client.login(world.counselor)
    _body, top = _top(client, world)
    homework = top.split("Homework done / due")[1].split("</ul>")[0]
    daily, second = homework.split("<li>")[1:3]
    # 24 to 27 November (today does not count): four days due for each partner.
    assert f"{world.partner_a.display_name} 2/4; {world.partner_b.display_name} 1/4" in daily
    assert f"{world.partner_a.display_name} 1/4; {world.partner_b.display_name} 0/4" in second


def test_without_a_session_the_summary_covers_two_weeks(world, client):
    clock.set_clock(datetime(2026, 11, 28, 14, 0))
    make_checkin(world.partner_a, couple=world.couple, closeness=4,
                 submitted_at=clock.utcnow() - timedelta(days=20), reflection="long ago")
    make_checkin(world.partner_a, couple=world.couple, closeness=4,
                 submitted_at=clock.utcnow() - timedelta(days=2), reflection="lately")
    db.session.commit()
    client.login(world.supervisor)
    _body, top = _top(client, world)
    assert "The last 14 days" in top
    assert "lately" in top
    assert "long ago" not in top


def test_replies_to_feedback_since_the_session_are_listed_for_the_counselor(world, client,
                                                                           story):
    from sqlalchemy import select

    from practice.checkins.models import CheckIn, FeedbackReply

    unheard = db.session.scalar(select(CheckIn).where(CheckIn.partner_id == world.partner_b.id))
    db.session.add(FeedbackReply(checkin_id=unheard.id, author_id=world.partner_b.id,
                                 body="thank you, that helped",
                                 created_at=datetime(2026, 11, 27, 9, 0)))
    db.session.add(FeedbackReply(checkin_id=unheard.id, author_id=world.partner_b.id,
                                 body="an old reply", created_at=datetime(2026, 11, 10, 9, 0)))
    db.session.commit()
    client.login(world.counselor)
    _body, top = _top(client, world)
    said = top.split("What was said")[1]
    reply = said.split("thank you, that helped")[0].rsplit("<li>", 1)[1]
    assert "a reply to your feedback" in reply
    assert f"/checkins/{unheard.id}" in reply
    assert "an old reply" not in top
