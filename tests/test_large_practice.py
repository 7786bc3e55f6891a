"""`flask --app practice seed-large`: a large practice that follows the app's own rules, with
the demo sign-ins inside it; refused in production and on a database already in use."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from practice.auth.models import User
from practice.checkins.models import CheckIn
from practice.clock import to_local, utcnow
from practice.couples.models import Couple
from practice.exercises.models import Assignment
from practice.exercises.schedule import schedule_dates
from practice.extensions import db
from practice.flags.models import Flag, FlagEvent, SafetyScreen


def _seed(app, *args):
    return app.test_cli_runner().invoke(args=["seed-large", "--scale", "0.02", *args])


def test_the_large_practice_keeps_the_apps_rules(app, ctx):
    result = _seed(app)
    assert result.exit_code == 0, result.output
    counselor = db.session.scalar(select(User).where(User.email == "counselor@example.org"))
    assert db.session.scalar(select(func.count()).where(Couple.counselor_id == counselor.id)) == 40
    assert db.session.scalar(select(func.count()).select_from(Couple)) == 100
    for email in ("admin@example.org", "supervisor@example.org", "partner.a@example.org"):
        assert db.session.scalar(select(User.id).where(User.email == email)) is not None

    now = utcnow()
    assignments = {a.id: a for a in db.session.scalars(select(Assignment))}
    zones = dict(db.session.execute(select(Couple.id, Couple.timezone)).all())
    checkins = db.session.scalars(select(CheckIn)).all()
    assert len(checkins) > 5000
    for c in checkins:
        a = assignments[c.assignment_id]
        on_schedule = schedule_dates(a.cadence, a.start_date, a.weekdays, a.end_date,
                                     a.occurrence_limit, c.due_date, c.due_date)
        assert on_schedule == [c.due_date], (a.id, c.due_date)
        assert c.submitted_at <= now
        assert to_local(c.submitted_at, zones[c.couple_id]).date() >= c.due_date
        assert a.partner_id in (None, c.partner_id)

    history = defaultdict(list)
    for event in db.session.scalars(select(FlagEvent).order_by(FlagEvent.at, FlagEvent.id)):
        history[event.flag_id].append(event)
    for flag in db.session.scalars(select(Flag)):
        assert history[flag.id][0].action == "raised"
        changes = [event for event in history[flag.id] if event.to_status]  # status changes
        assert changes[-1].to_status == flag.status
        assert (flag.resolved_at is not None) == (flag.status == "resolved")
    harmful = set(db.session.scalars(select(SafetyScreen.id).where(
        SafetyScreen.indicates_harm.is_(True))))
    from_screens = set(db.session.scalars(select(Flag.screen_id).where(
        Flag.category == "harm", Flag.screen_id.is_not(None))))
    assert harmful == from_screens


def test_seed_large_needs_an_empty_database(app, world):
    result = _seed(app)
    assert result.exit_code != 0
    assert "empty" in result.output


def test_seed_large_is_refused_in_production(app, ctx):
    app.config["ENV_NAME"] = "production"
    try:
        result = _seed(app)
    finally:
        app.config["ENV_NAME"] = "testing"
    assert result.exit_code != 0
    assert "refused in production" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
