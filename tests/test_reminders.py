"""Homework reminders: chosen by the client, at their local time, once a day, only for work due
today and not done, never for paused work; stoppable from the message without signing in."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from practice import clock, worker
from practice.exercises.assignments import pause_assignment, set_joint_work_paused
from practice.exercises.models import Assignment
from practice.extensions import db

from .factories import give, make_checkin, make_couple
from .mail_helpers import link_in, mailbox, run_worker


def _at(moment: datetime) -> None:
    clock.set_clock(moment)


def _choose(client, user, remind_at="08:00", quiet=(), feedback=False, enabled=True):
    client.login(user)
    data = {"remind_at": remind_at, "quiet_days": [str(d) for d in quiet]}
    if enabled:
        data["enabled"] = "y"
    if feedback:
        data["feedback_notices"] = "y"
    response = client.post_form("/me/reminders", data)
    assert response.status_code == 302, response.text
    client.post_form("/logout")


def _reminders(app) -> list:
    worker.queue_reminders()
    return [m for m in run_worker(app) if "something waiting" in m.body]


@pytest.fixture
def due_daily(world):
    """A daily exercise for both partners of the world's couple (New York), long running."""
    give(world.couple, world.counselor, start=date(2026, 1, 1))
    return world


@pytest.mark.parametrize(("tz", "before", "after", "utc_hour_before", "utc_hour_after"), [
    # US clocks go forward on 8 March 2026: 08:00 is 13:00 UTC the day before, 12:00 after.
    ("America/New_York", date(2026, 3, 7), date(2026, 3, 8), 13, 12),
    # EU clocks go forward on 29 March 2026: 08:00 is 07:00 UTC the day before, 06:00 after.
    ("Europe/Berlin", date(2026, 3, 28), date(2026, 3, 29), 7, 6),
    # US clocks go back on 1 November 2026: 08:00 is 12:00 UTC the day before, 13:00 after.
    ("America/New_York", date(2026, 10, 31), date(2026, 11, 1), 12, 13),
])
def test_the_reminder_follows_the_couples_wall_clock_across_daylight_saving(
        app, world, client, tz, before, after, utc_hour_before, utc_hour_after):
    _at(datetime(2026, 1, 2, 12, 0))
    couple = make_couple(world.counselor, tz=tz)
    partner = couple.partners[0].user
    give(couple, world.counselor, start=date(2026, 1, 1))
    _choose(client, partner, remind_at="08:00")
    for day, hour in ((before, utc_hour_before), (after, utc_hour_after)):
        _at(datetime(day.year, day.month, day.day, hour, 0) - timedelta(minutes=1))
        assert _reminders(app) == [], f"{day}: sent before 08:00 local"
        _at(datetime(day.year, day.month, day.day, hour, 0))
        sent = _reminders(app)
        assert [m.to for m in sent] == [[partner.email]], f"{day}: not sent at 08:00 local"
        _at(datetime(day.year, day.month, day.day, hour, 0) + timedelta(hours=9))
        assert _reminders(app) == [], f"{day}: a second reminder the same day"


def test_reminders_are_off_until_the_client_turns_them_on(app, due_daily, client):
    _at(datetime(2026, 3, 10, 23, 0))
    assert _reminders(app) == []
    client.login(due_daily.partner_a)
    page = client.get("/me/reminders")
    assert 'id="enabled"' in page.text
    assert 'checked id="enabled"' not in page.text


def test_nothing_is_sent_for_work_done_today(app, due_daily, client):
    world = due_daily
    _choose(client, world.partner_a)
    _choose(client, world.partner_b)
    _at(datetime(2026, 3, 10, 14, 0))  # 10:00 in New York
    assignment = db.session.scalars(db.select(Assignment)).one()
    checkin = make_checkin(world.partner_a, assignment)
    checkin.due_date = date(2026, 3, 10)
    db.session.commit()
    assert [m.to for m in _reminders(app)] == [[world.partner_b.email]]


def test_nothing_is_sent_for_paused_work(app, due_daily, client):
    world = due_daily
    _choose(client, world.partner_a)
    _at(datetime(2026, 3, 10, 14, 0))
    assignment = db.session.scalars(db.select(Assignment)).one()
    pause_assignment(assignment, world.counselor)
    db.session.commit()
    assert _reminders(app) == []


def test_nothing_is_sent_while_shared_homework_is_paused(app, due_daily, client):
    world = due_daily
    _choose(client, world.partner_a)
    set_joint_work_paused(world.couple, True, world.counselor)
    db.session.commit()
    _at(datetime(2026, 3, 10, 14, 0))
    assert _reminders(app) == []


def test_nothing_is_sent_when_nothing_is_due_today(app, world, client):
    # A one-off that was due yesterday is still open (overdue) but not due today.
    give(world.couple, world.counselor, start=date(2026, 3, 9))
    assignment = db.session.scalars(db.select(Assignment)).one()
    assignment.cadence = "once"
    db.session.commit()
    _choose(client, world.partner_a)
    _at(datetime(2026, 3, 10, 14, 0))
    assert _reminders(app) == []


def test_quiet_days_are_quiet(app, due_daily, client):
    _choose(client, due_daily.partner_a, quiet=[1])  # Tuesday
    _at(datetime(2026, 3, 10, 14, 0))  # Tuesday in New York
    assert _reminders(app) == []
    _at(datetime(2026, 3, 11, 14, 0))
    assert len(_reminders(app)) == 1


def test_the_link_in_the_message_stops_reminders_without_signing_in(
        app, due_daily, client, make_client):
    _choose(client, due_daily.partner_a)
    _at(datetime(2026, 3, 10, 14, 0))
    (message,) = _reminders(app)
    stop = link_in(message, "/reminders/stop/")
    visitor = make_client()
    assert visitor.get(stop).status_code == 200
    assert visitor.post_form(stop).status_code == 200
    _at(datetime(2026, 3, 11, 14, 0))
    assert _reminders(app) == []
    # A token for another purpose (or tampered) does nothing.
    assert visitor.get(stop[:-3] + "abc").status_code == 404


def test_a_reminder_says_only_that_something_is_waiting(app, due_daily, client):
    world = due_daily
    _choose(client, world.partner_a)
    _at(datetime(2026, 3, 10, 14, 0))
    (message,) = _reminders(app)
    exercise = db.session.scalars(db.select(Assignment)).one().exercise.title
    for text in (message.subject, message.body, message.alternatives[0][0]):
        for word in (exercise, world.partner_b.display_name, world.counselor.display_name,
                     world.couple.label):
            assert word not in text
    assert "You have something waiting in Bridgework" in message.body
    assert link_in(message, "/login")


def test_the_practice_sets_the_subject(app, due_daily, client, make_client):
    admin = make_client()
    admin.login(due_daily.admin)
    admin.post_form("/admin/mail/settings", {"client_subject": "Harbor news",
                                             "digest_hour": "16", "version": "1"})
    _choose(client, due_daily.partner_a)
    _at(datetime(2026, 3, 10, 14, 0))
    assert [m.subject for m in _reminders(app)] == ["Harbor news"]


def test_first_sign_in_asks_about_reminders_until_answered(app, world, client):
    client.login(world.partner_a)
    assert "Would e-mail reminders help?" in client.get("/me").text
    assert client.post_form("/me/reminders/not-now").status_code == 302
    assert "Would e-mail reminders help?" not in client.get("/me").text


def test_a_bad_time_keeps_the_form(world, client):
    client.login(world.partner_a)
    page = client.post_form("/me/reminders", {"enabled": "y", "remind_at": "25:99",
                                              "quiet_days": ["5"]})
    assert page.status_code == 200
    assert "Choose a time of day, for example 18:00." in page.text
    assert 'value="25:99"' in page.text
    assert 'checked id="quiet_days-5"' in page.text


def test_feedback_notices_only_for_clients_who_asked(app, due_daily, client, make_client):
    world = due_daily
    _choose(client, world.partner_a, feedback=True)
    _choose(client, world.partner_b, feedback=False)
    assignment = db.session.scalars(db.select(Assignment)).one()
    counselor = make_client()
    counselor.login(world.counselor)
    before = len(mailbox(app))
    for partner in (world.partner_a, world.partner_b):
        checkin = make_checkin(partner, assignment)
        db.session.commit()
        counselor.post_form(f"/couples/{world.couple.id}/checkins/{checkin.id}/feedback",
                            {"feedback": "Kind words FEEDBACK-CANARY", "version": "1"})
    sent = run_worker(app)
    assert len(mailbox(app)) == before + 1
    assert [m.to for m in sent] == [[world.partner_a.email]]
    assert "FEEDBACK-CANARY" not in sent[0].body
