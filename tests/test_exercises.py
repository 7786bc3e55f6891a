"""The exercise library and assigning exercises to couples."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from practice import clock
from practice.content import BUILTIN_EXERCISES
from practice.exercises.assignments import (
    assign,
    edit_assignment,
    end_assignment,
    pause_assignment,
    resume_assignment,
)
from practice.exercises.library import load_builtin_exercises
from practice.exercises.models import Assignment, AssignmentEvent, Exercise
from practice.exercises.schedule import occurrences
from practice.extensions import db

from .factories import TODAY, exercise, give, noon_in_new_york


def _builtin(slug="open-communication"):
    return db.session.scalar(select(Exercise).where(Exercise.slug == slug))


def test_library_load_is_idempotent(app, ctx):
    assert load_builtin_exercises() == len(BUILTIN_EXERCISES) + 1
    db.session.commit()
    versions = {e.slug: e.version for e in db.session.scalars(select(Exercise))}
    assert load_builtin_exercises() == 0
    db.session.commit()
    assert {e.slug: e.version for e in db.session.scalars(select(Exercise))} == versions
    assert _builtin("signs-self-check").kind == "signs"


def test_load_library_command(app, ctx):
    result = CliRunner().invoke(app.cli, ["load-library"], obj=None)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Exercise.id))) == len(BUILTIN_EXERCISES) + 1


def test_browse_filters_by_situation(world, client):
    load_builtin_exercises()
    db.session.commit()
    client.login(world.counselor)
    page = client.get("/exercises/?situation=broken_trust").get_data(as_text=True)
    assert "Rebuild trust" in page
    assert "Laugh together" not in page


def test_private_exercise_is_invisible_to_colleagues(world, client, make_client):
    client.login(world.counselor)
    response = client.post_form("/exercises/new", {
        "title": "Gratitude jar", "purpose": "Notice the good.", "instructions": "1. Write.",
        "suggested_cadence": "daily",
    })
    assert response.status_code == 302
    exercise = db.session.scalar(select(Exercise).where(Exercise.title == "Gratitude jar"))
    other = make_client()
    other.login(world.other_counselor)
    assert other.get(f"/exercises/{exercise.id}").status_code == 404
    assert "Gratitude jar" not in other.get("/exercises/").get_data(as_text=True)


def test_missing_fields_keep_what_was_typed(world, client):
    client.login(world.counselor)
    response = client.post_form("/exercises/new", {
        "title": "Half done", "purpose": "", "instructions": "", "suggested_cadence": "daily"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Half done" in page
    assert "Write the steps" in page


def test_builtins_are_copied_never_edited_in_place(world, client):
    load_builtin_exercises()
    db.session.commit()
    builtin = _builtin()
    client.login(world.counselor)
    assert client.get(f"/exercises/{builtin.id}/edit").status_code == 403
    response = client.post_form(f"/exercises/{builtin.id}/copy")
    assert response.status_code == 302
    db.session.expire_all()
    copy = db.session.scalar(select(Exercise).where(Exercise.copied_from_id == builtin.id))
    assert copy.owner_id == world.counselor.id
    assert not copy.shared
    assert not copy.is_builtin
    assert copy.instructions == builtin.instructions


def test_a_stale_exercise_edit_is_refused_and_keeps_the_text(world, client):
    client.login(world.counselor)
    client.post_form("/exercises/new", {"title": "Walk", "purpose": "p", "instructions": "i",
                                        "suggested_cadence": "daily"})
    exercise = db.session.scalar(select(Exercise).where(Exercise.title == "Walk"))
    form = {"title": "Walk", "purpose": "p", "instructions": "first edit",
            "suggested_cadence": "daily", "version": str(exercise.version)}
    assert client.post_form(f"/exercises/{exercise.id}/edit", form).status_code == 302
    form["instructions"] = "second edit from the old page"
    response = client.post_form(f"/exercises/{exercise.id}/edit", form)
    assert response.status_code == 409
    assert "second edit from the old page" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Exercise, exercise.id).instructions == "first edit"


# ---- assigning


def _data(**kw):
    base = {"cadence": "daily", "start_date": date(2026, 3, 2), "partner_id": None,
            "ends": "never", "weekdays": [], "end_date": None, "occurrence_limit": None,
            "instructions": ""}
    base.update(kw)
    return base


def _at_noon_ny(day: date):
    clock.set_clock(datetime(day.year, day.month, day.day, 17, 0))


def test_assign_through_the_couple_page(world, client):
    load_builtin_exercises()
    db.session.commit()
    _at_noon_ny(date(2026, 3, 2))
    client.login(world.counselor)
    ex = _builtin("daily-empathy")
    response = client.post_form(f"/couples/{world.couple.id}/assignments/new", {
        "exercise_id": ex.id, "who": str(world.partner_a.id), "cadence": "weekdays",
        "weekdays": ["0", "3"], "start_date": "2026-03-02", "ends": "count",
        "occurrence_limit": "6", "instructions": "Just for you, Alex.",
    })
    assert response.status_code == 302
    a = db.session.scalar(select(Assignment))
    assert (a.partner_id, a.weekdays, a.occurrence_limit) == (world.partner_a.id, "0,3", 6)
    assert a.instructions == "Just for you, Alex."
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert ex.title in page


def test_assign_form_errors_keep_input(world, client):
    load_builtin_exercises()
    db.session.commit()
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/assignments/new", {
        "exercise_id": _builtin().id, "who": "both", "cadence": "weekdays",
        "start_date": "2026-03-02", "ends": "never", "instructions": "Keep me",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose at least one day." in page
    assert "Keep me" in page


def test_edit_applies_only_to_occurrences_not_yet_due(world):
    load_builtin_exercises()
    _at_noon_ny(date(2026, 3, 2))
    a = assign(world.couple, _builtin(), world.counselor, _data(ends="count",
                                                               occurrence_limit=10))
    _at_noon_ny(date(2026, 3, 5))  # four occurrences due so far (2nd to 5th)
    new = edit_assignment(a, world.counselor, _data(cadence="weekly", ends="count",
                                                    occurrence_limit=2,
                                                    instructions="Shorter"))
    assert new.id != a.id
    assert new.previous_id == a.id
    assert a.end_date == date(2026, 3, 5)
    assert a.occurrence_limit == 4
    assert occurrences(a, date(2026, 3, 1), date(2026, 4, 30)) == [
        date(2026, 3, d) for d in (2, 3, 4, 5)]
    # weekly keeps Monday's rhythm from the next Monday on, twice
    assert occurrences(new, date(2026, 3, 1), date(2026, 4, 30)) == [
        date(2026, 3, 9), date(2026, 3, 16)]
    actions = [e.action for e in db.session.scalars(select(AssignmentEvent))]
    assert actions == ["assigned", "edited", "continued"]


def test_edit_before_anything_is_due_changes_in_place(world):
    load_builtin_exercises()
    _at_noon_ny(date(2026, 3, 2))
    a = assign(world.couple, _builtin(), world.counselor, _data(start_date=date(2026, 3, 10)))
    same = edit_assignment(a, world.counselor, _data(start_date=date(2026, 3, 12)))
    assert same.id == a.id
    assert a.start_date == date(2026, 3, 12)


def test_pause_then_resume_skips_the_paused_days(world):
    load_builtin_exercises()
    _at_noon_ny(date(2026, 3, 2))
    a = assign(world.couple, _builtin(), world.counselor, _data(cadence="weekly"))
    _at_noon_ny(date(2026, 3, 10))
    paused = pause_assignment(a, world.counselor)
    assert paused.status == "paused"
    assert a.end_date == date(2026, 3, 9)
    assert occurrences(paused, date(2026, 3, 1), date(2026, 5, 1)) == []
    _at_noon_ny(date(2026, 3, 25))
    resume_assignment(paused, world.counselor)
    assert occurrences(paused, date(2026, 3, 1), date(2026, 4, 7)) == [
        date(2026, 3, 30), date(2026, 4, 6)]
    assert occurrences(a, date(2026, 3, 1), date(2026, 5, 1)) == [date(2026, 3, 2),
                                                                   date(2026, 3, 9)]


def test_end_stops_from_today(world):
    load_builtin_exercises()
    _at_noon_ny(date(2026, 3, 2))
    a = assign(world.couple, _builtin(), world.counselor, _data())
    _at_noon_ny(date(2026, 3, 4))
    end_assignment(a, world.counselor)
    assert a.status == "ended"
    assert a.end_date == date(2026, 3, 3)


def test_pause_shared_homework_toggle(world, client):
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/joint-work"
    assert client.post_form(url, {"paused": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(world.couple), world.couple.id).joint_work_paused
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert "Resume shared homework" in page
    client.post_form(url, {"paused": "0"})
    db.session.expire_all()
    assert not db.session.get(type(world.couple), world.couple.id).joint_work_paused


def test_supervisor_sees_the_couple_homework_read_only(world, client):
    load_builtin_exercises()
    assign(world.couple, _builtin(), world.counselor, _data(start_date=date.today()
                                                            + timedelta(days=1)))
    db.session.commit()
    client.login(world.supervisor)
    page = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert _builtin().title in page
    assert "Assign homework" not in page
    assert "Pause shared homework" not in page


def test_assignment_routes_edit_pause_resume_end_with_history(world, client):
    load_builtin_exercises()
    _at_noon_ny(date(2026, 3, 2))
    a = assign(world.couple, _builtin(), world.counselor, _data())
    db.session.commit()
    client.login(world.counselor)
    base = f"/couples/{world.couple.id}/assignments/{a.id}"
    _at_noon_ny(date(2026, 3, 4))
    form = {"who": "both", "cadence": "weekly", "start_date": "2026-03-02", "ends": "never",
            "instructions": "Weekly now", "version": str(a.version)}
    response = client.post_form(base + "/edit", form)
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.scalar(select(Assignment).where(Assignment.previous_id == a.id))
    assert new.start_date == date(2026, 3, 9)
    stale = client.post_form(base + "/edit", {**form, "instructions": "From an old page"})
    assert stale.status_code == 302  # the old row is history: to the current one
    assert stale.headers["Location"].endswith(f"/assignments/{new.id}")
    assert client.post_form(base + "/end").status_code == 302
    db.session.expire_all()
    assert db.session.get(Assignment, new.id).status == "active"
    assert db.session.scalar(select(db.func.count(Assignment.id))) == 2
    new_base = f"/couples/{world.couple.id}/assignments/{new.id}"
    assert client.post_form(new_base + "/pause").status_code == 302
    assert client.post_form(new_base + "/resume").status_code == 302
    assert client.post_form(new_base + "/end").status_code == 302
    page = client.get(new_base).get_data(as_text=True)
    for action in ("Assigned", "Edited", "Continued", "Paused", "Resumed", "Ended"):
        assert action in page
    db.session.expire_all()
    assert db.session.get(Assignment, new.id).status == "ended"


def test_a_stale_assignment_edit_is_refused_and_keeps_the_text(world, client):
    load_builtin_exercises()
    _at_noon_ny(date(2026, 3, 2))
    a = assign(world.couple, _builtin(), world.counselor, _data(start_date=date(2026, 3, 20)))
    db.session.commit()
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/assignments/{a.id}/edit"
    form = {"who": "both", "cadence": "daily", "start_date": "2026-03-20", "ends": "never",
            "instructions": "First", "version": str(a.version)}
    assert client.post_form(url, form).status_code == 302
    response = client.post_form(url, {**form, "instructions": "Second from an old page"})
    assert response.status_code == 409
    assert "Second from an old page" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Assignment, a.id).instructions == "First"


@pytest.mark.parametrize("start", ["0001-01-01", "1990-05-01", "9999-12-31"])
def test_an_assignment_start_date_far_in_the_past_or_future_is_refused_on_the_field(
        world, client, start):
    noon_in_new_york()
    give(world.couple, world.counselor)  # loads the library and commits
    exercise_id = exercise("daily-empathy").id
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/assignments/new"
    response = client.post_form(url, {"exercise_id": exercise_id, "who": "both",
                                      "cadence": "daily", "start_date": start, "ends": "never",
                                      "instructions": "Ten minutes after dinner"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose a start date between" in page
    assert f'value="{start}"' in page
    assert "Ten minutes after dinner" in page


def test_editing_a_built_in_exercise_explains_how_to_adapt_it(world, client):
    builtin = exercise("daily-empathy")
    db.session.commit()
    client.login(world.counselor)
    response = client.get(f"/exercises/{builtin.id}/edit")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Built-in exercises stay as written" in page
    assert "Copy to adapt" in page
    assert "belongs to another role" not in page  # the counselor is in the right role


def test_weekday_and_situation_boxes_are_labelled_choices_and_keep_what_was_ticked(
        world, client):
    noon_in_new_york()
    give(world.couple, world.counselor)
    client.login(world.counselor)
    url = f"/couples/{world.couple.id}/assignments/new"
    page = client.post_form(url, {"exercise_id": exercise("daily-empathy").id, "who": "both",
                                  "weekdays": ["2"], "start_date": TODAY.isoformat(),
                                  "ends": "never"}).get_data(as_text=True)
    assert "Choose how often." in page
    assert '<ul id="weekdays"' not in page  # the bare list widget showed bullets, box apart
    assert re.search(r'<label for="weekdays-2"><input checked[^>]*> <span>Wednesday</span>',
                     page)
    page = client.get("/exercises/new").get_data(as_text=True)
    assert '<ul id="situations"' not in page
    assert re.search(r'<label for="situations-0"><input[^>]*> <span>', page)
