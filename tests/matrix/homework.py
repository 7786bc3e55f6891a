"""Access rules for the homework loop: the exercise library, assignments, check-ins, review."""

from __future__ import annotations

from datetime import timedelta

from .common import (
    OK,
    ROLES,
    Rule,
    client_page,
    couple_read,
    couple_write,
    partner_a_only,
    role_page,
)


def homework(world) -> None:
    """The library, a private exercise of the counselor and a daily assignment for the couple."""
    from practice.checkins.services import submit_checkin
    from practice.clock import local_today
    from practice.exercises.assignments import assign
    from practice.exercises.library import load_builtin_exercises
    from practice.exercises.models import Exercise
    from practice.exercises.services import create_exercise
    from practice.extensions import db

    if "assignment_id" in world.extra:
        return
    load_builtin_exercises()
    builtin = db.session.query(Exercise).filter_by(slug="open-communication").one()
    own = create_exercise(world.counselor, {
        "title": "Evening walk", "purpose": "Walk and talk.", "instructions": "1. Walk.",
        "suggested_cadence": "daily", "situations": [], "shared": False,
    })
    today = local_today(world.couple.timezone)
    assignment = assign(world.couple, builtin, world.counselor, {
        "cadence": "daily", "start_date": today, "partner_id": None, "ends": "never",
        # another setup may have raised a harm flag on this couple (practice.flags.holds)
        "shared_work_reason": "Set up for the access matrix.",
    })
    assignment.start_date = today - timedelta(days=3)
    db.session.flush()
    checkin, _created = submit_checkin(
        assignment, world.partner_a, today - timedelta(days=1),
        {"outcome": "done", "closeness": "6", "reflection": "We talked."}, "t" * 32,
    )
    world.extra.update(builtin_id=builtin.id, own_exercise_id=own.id,
                       assignment_id=assignment.id, today=today, checkin_id=checkin.id)


def _counselors_only(ok) -> dict:
    """A counselor page about library content both counselors may see."""
    return role_page(("counselor",), ok)


def _own_exercise(ok) -> dict:
    expect = role_page(("counselor",), ok)
    expect["other_counselor"] = 404  # a private exercise is invisible to colleagues
    return expect


def _a(world) -> str:
    return f"/couples/{world.couple.id}/assignments/{world.extra['assignment_id']}"


def _c(world) -> str:
    return f"/couples/{world.couple.id}/checkins/{world.extra['checkin_id']}"


def _both_partners() -> dict:
    """An occurrence of an assignment for both partners: other couples' clients get 404."""
    expect = client_page()
    expect["other_client"] = 404
    return expect


RULES = {
    "exercises.index": Rule(url=lambda w: "/exercises/",
                            expect=role_page(("counselor", "supervisor", "admin"))),
    "exercises.detail": Rule(url=lambda w: f"/exercises/{w.extra['builtin_id']}", setup=homework,
                             expect=role_page(("counselor", "supervisor", "admin"))),
    "exercises.new": Rule(url=lambda w: "/exercises/new", expect=_counselors_only(OK)),
    "exercises.edit": Rule(url=lambda w: f"/exercises/{w.extra['own_exercise_id']}/edit",
                           setup=homework, expect=_own_exercise(OK)),
    "exercises.copy": Rule(url=lambda w: f"/exercises/{w.extra['builtin_id']}/copy",
                           method="POST", setup=homework, expect=_counselors_only(302)),
    "exercises.assign_view": Rule(url=lambda w: f"/couples/{w.couple.id}/assignments/new",
                                  setup=homework, expect=couple_write(OK)),
    "exercises.assignment_detail": Rule(url=_a, setup=homework, expect=couple_read()),
    "exercises.assignment_edit": Rule(url=lambda w: _a(w) + "/edit", setup=homework,
                                      expect=couple_write(OK)),
    "exercises.assignment_pause": Rule(url=lambda w: _a(w) + "/pause", method="POST",
                                       setup=homework, expect=couple_write(302)),
    "exercises.assignment_resume": Rule(url=lambda w: _a(w) + "/resume", method="POST",
                                        setup=homework, expect=couple_write(302)),
    "exercises.assignment_end": Rule(url=lambda w: _a(w) + "/end", method="POST",
                                     setup=homework, expect=couple_write(302)),
    "exercises.joint_work": Rule(url=lambda w: f"/couples/{w.couple.id}/joint-work",
                                 method="POST", data={"paused": "1"}, setup=homework,
                                 expect=couple_write(302)),
    "checkins.new": Rule(
        url=lambda w: f"/me/checkins/{w.extra['assignment_id']}/{w.extra['today'].isoformat()}",
        setup=homework, expect=_both_partners()),
    "checkins.history": Rule(url=lambda w: "/me/checkins", expect=client_page()),
    "checkins.mine": Rule(url=lambda w: f"/me/checkins/{w.extra['checkin_id']}", setup=homework,
                          expect=partner_a_only()),
    "checkins.edit": Rule(url=lambda w: f"/me/checkins/{w.extra['checkin_id']}/edit",
                          setup=homework, expect=partner_a_only()),
    "checkins.couple_checkins": Rule(url=lambda w: f"/couples/{w.couple.id}/checkins",
                                     setup=homework, expect=couple_read()),
    "checkins.detail": Rule(url=_c, setup=homework, expect=couple_read()),
    "checkins.review": Rule(url=lambda w: _c(w) + "/review", method="POST", setup=homework,
                            expect=couple_write(302)),
    "checkins.feedback": Rule(url=lambda w: _c(w) + "/feedback", method="POST", setup=homework,
                              data={"feedback": "Well done.", "version": "1"},
                              expect=couple_write(302)),
    "checkins.notes": Rule(url=lambda w: f"/couples/{w.couple.id}/notes", setup=homework,
                           expect=couple_read()),
}

assert all(set(rule.expect) == set(ROLES) for rule in RULES.values())
