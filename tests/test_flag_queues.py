"""The counselor's queue, escalation to supervisors (with a controlled clock), query bounds."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import g, render_template

from practice import clock
from practice.auth.models import User
from practice.couples.models import Couple
from practice.extensions import db
from practice.flags.routes import counselor_panel, couple_panel, escalated_panel
from practice.flags.services import change_status, raise_flag

from .factories import make_assignment, make_checkin, make_couple

T0 = datetime(2026, 11, 20, 8, 0)


def _raise(couple, severity, category="broken_trust", partner=None):
    return raise_flag(couple, category, severity, f"{severity} flag", "counselor",
                      partner=partner)


def _team_page(make_client, user):
    c = make_client()
    c.login(user)
    return c.get("/team").get_data(as_text=True)


def test_counselor_home_lists_open_flags_by_severity_then_age(world, client):
    clock.set_clock(T0)
    low = _raise(world.couple, "low")
    clock.advance(timedelta(hours=1))
    urgent_new = _raise(world.couple, "urgent", "harm", world.partner_a)
    clock.advance(timedelta(hours=1))
    moderate = _raise(world.couple, "moderate")
    clock.set_clock(T0 - timedelta(days=2))
    urgent_old = _raise(world.couple, "urgent", "harm", world.partner_b)
    resolved = _raise(world.couple, "high")
    change_status(resolved, "resolved", world.counselor, note="Done.")
    _raise(world.other_couple, "urgent")
    clock.set_clock(T0 + timedelta(hours=3))
    db.session.commit()
    client.login(world.counselor)
    body = client.get("/caseload").get_data(as_text=True)
    links = [f"/flags/{f.id}\"" for f in (urgent_old, urgent_new, moderate, low)]
    positions = [body.index(link) for link in links]
    assert positions == sorted(positions)
    assert f"/flags/{resolved.id}\"" not in body
    assert body.count("/flags/") == 4  # nothing from another caseload


def test_urgent_flag_escalates_after_24_hours_until_acknowledged(world, make_client):
    clock.set_clock(T0)
    flag = _raise(world.couple, "urgent", "harm", world.partner_a)
    db.session.commit()
    link = f"/flags/{flag.id}\""
    clock.advance(timedelta(hours=23, minutes=59))
    assert link not in _team_page(make_client, world.supervisor)
    clock.advance(timedelta(minutes=1))
    assert link in _team_page(make_client, world.supervisor)
    assert link not in _team_page(make_client, world.other_supervisor)
    counselor = make_client()
    counselor.login(world.counselor)
    assert "Escalated" in counselor.get("/caseload").get_data(as_text=True)
    change_status(flag, "acknowledged", world.counselor)
    db.session.commit()
    assert link not in _team_page(make_client, world.supervisor)


def test_high_flag_escalates_after_72_hours(world, make_client):
    clock.set_clock(T0)
    flag = _raise(world.couple, "high")
    moderate = _raise(world.couple, "moderate")
    db.session.commit()
    clock.advance(timedelta(hours=71))
    assert f"/flags/{flag.id}\"" not in _team_page(make_client, world.supervisor)
    clock.advance(timedelta(hours=1))
    page = _team_page(make_client, world.supervisor)
    assert f"/flags/{flag.id}\"" in page
    clock.advance(timedelta(days=30))
    assert f"/flags/{moderate.id}\"" not in _team_page(make_client, world.supervisor)


def test_escalation_windows_come_from_the_settings(world, make_client):
    from practice.admin.services import get_settings

    get_settings().urgent_ack_hours = 2
    clock.set_clock(T0)
    flag = _raise(world.couple, "urgent", "harm", world.partner_a)
    db.session.commit()
    clock.advance(timedelta(hours=2))
    assert f"/flags/{flag.id}\"" in _team_page(make_client, world.supervisor)


def test_admin_panel_covers_every_team(world):
    clock.set_clock(T0)
    flag = _raise(world.other_couple, "urgent")
    clock.advance(timedelta(days=2))
    assert [row[0].id for row in escalated_panel(world.admin)["rows"]] == [flag.id]
    assert escalated_panel(world.supervisor)["rows"] == []


def test_couple_panel_is_for_staff_only_and_lists_the_flags(app, world):
    flag = _raise(world.couple, "high")
    with app.test_request_context():
        _check_couple_panel(world, flag)


def _check_couple_panel(world, flag):
    assert couple_panel(world.partner_a, world.couple) is None
    panel = couple_panel(world.counselor, world.couple)
    assert [f.id for f in panel["open_flags"]] == [flag.id]
    assert panel["can_manage"] is True
    assert couple_panel(world.supervisor, world.couple)["can_manage"] is False


def test_couple_page_shows_the_flags_panel_read_only_to_supervisors(world, make_client):
    flag = _raise(world.couple, "high")
    db.session.commit()
    counselor = make_client()
    counselor.login(world.counselor)
    body = counselor.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert f"/flags/{flag.id}\"" in body
    assert f"/couples/{world.couple.id}/flags/new" in body
    supervisor = make_client()
    supervisor.login(world.supervisor)
    body = supervisor.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert f"/flags/{flag.id}\"" in body
    assert "/flags/new" not in body


def test_raising_by_hand_from_a_checkin(world, client):
    checkin = make_checkin(world.partner_b, couple=world.couple)
    other = make_checkin(world.other_client, couple=world.other_couple)
    db.session.commit()
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/flags/new"
    assert client.get(f"{url}?checkin_id={other.id}").status_code == 404
    assert client.get(f"{url}?checkin_id=999999").status_code == 404
    page = client.get(f"{url}?checkin_id={checkin.id}").get_data(as_text=True)
    assert f'<option selected value="{world.partner_b.id}">' in page
    response = client.post_form(f"{url}?checkin_id={checkin.id}", {
        "category": "unaddressed_conflict", "severity": "moderate",
        "partner_id": str(world.partner_b.id), "description": "Came up in the check-in."})
    assert response.status_code == 302
    from practice.flags.models import Flag

    db.session.expire_all()
    flag = db.session.query(Flag).one()
    assert (flag.checkin_id, flag.source, flag.raised_by_id) == (
        checkin.id, "counselor", world.counselor.id)


def test_raising_by_hand_keeps_input_on_error(world, client):
    client.login(world.counselor)
    body = client.post_form(f"/couples/{world.couple.id}/flags/new", {
        "category": "external_stressors", "severity": "low", "partner_id": "",
        "description": ""}).get_data(as_text=True)
    assert "Describe what you noticed" in body
    assert '<option selected value="external_stressors">' in body


# --- query bounds --------------------------------------------------------------------------

def _caseload(world, couples: int, flags_each: int):
    made = [world.couple]
    for _ in range(couples - 1):
        made.append(make_couple(world.counselor))
    for couple in made:
        make_assignment(couple, start=T0.date() - timedelta(days=30))
        for i in range(flags_each):
            _raise(couple, ("urgent", "high", "moderate", "low")[i % 4],
                   partner=couple.partners[0].user)
    db.session.commit()
    return made


def _panel_counts(app, count_queries, world, couples, flags_each):
    g.pop("practice_settings", None)  # cached per app context; the tables were emptied
    clock.set_clock(T0 + timedelta(days=5))
    made = _caseload(world, couples, flags_each)
    counselor_panel(world.counselor)  # the disengagement rule raises its flags once
    db.session.commit()
    db.session.expire_all()
    ids = (world.counselor.id, world.supervisor.id, made[-1].id)
    with app.app_context(), app.test_request_context():  # a fresh `g` and session
        counselor, supervisor = db.session.get(User, ids[0]), db.session.get(User, ids[1])
        couple = db.session.get(Couple, ids[2])
        couple.partners  # noqa: B018  (the couple page has loaded its partners already)
        panels = (
            (counselor_panel, "_counselor_panel", counselor),
            (couple_panel, "_couple_panel", counselor, couple),
            (escalated_panel, "_escalated_panel", supervisor),
        )
        counts = []
        for panel in panels:
            with count_queries() as statements:
                _rendered(*panel)
            counts.append(len(statements))
        return tuple(counts)


def _rendered(build, template, *args):
    """Build a panel and render its template, as the page does."""
    return render_template(f"flags/{template}.html", panel=build(*args))


def test_panels_run_a_fixed_number_of_queries(app, world, count_queries):
    small = _panel_counts(app, count_queries, world, couples=1, flags_each=1)
    from .conftest import empty_every_table
    from .factories import make_world

    empty_every_table()

    big_world = make_world()
    big = _panel_counts(app, count_queries, big_world, couples=12, flags_each=6)
    assert big == small


def test_the_demo_practice_has_flags_to_work_with(app, ctx, make_client):
    from practice.demo import seed_demo
    from practice.flags.models import Flag

    assert seed_demo()
    db.session.commit()
    assert db.session.query(Flag).count() == 3
    harm = db.session.query(Flag).filter_by(category="harm").one()
    from practice.flags.models import FlagEvent

    raised = db.session.query(FlagEvent).filter_by(flag_id=harm.id, action="raised").one()
    assert raised.at == harm.created_at  # its history starts when it was raised
    supervisor = make_client()
    supervisor.login("supervisor@example.org", "bridgework-demo")
    assert "Emotional or physical harm" in supervisor.get("/team").get_data(as_text=True)


def test_a_flag_reopened_by_its_counselor_does_not_escalate_again(world, make_client):
    clock.set_clock(T0)
    flag = _raise(world.couple, "urgent", "harm", world.partner_a)
    change_status(flag, "resolved", world.counselor, note="Safety plan in place.")
    change_status(flag, "open", world.counselor, note="New concern raised in session.")
    db.session.commit()
    clock.advance(timedelta(days=3))
    assert f"/flags/{flag.id}\"" not in _team_page(make_client, world.supervisor)
