"""Issue 13, point 3: an open harm flag holds the couple's shared homework.

Raising a harm flag (the private screen, the screen after a check-in, or by hand) pauses shared
homework at once; individual work goes on; giving shared work while it is open needs a recorded
reason; resolving the last one asks whether to resume.
"""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy import select

from practice.checkins.models import CheckIn
from practice.content import NEUTRAL_PAUSE_MESSAGE
from practice.exercises.models import Assignment, AssignmentEvent
from practice.extensions import db
from practice.flags.models import Flag, FlagEvent
from practice.flags.services import change_status, complete_screen, raise_flag
from tests.client_steps import answer_screen, send
from tests.factories import TODAY, give, noon_in_new_york

PAUSE = str(escape(NEUTRAL_PAUSE_MESSAGE))
HARM = {"q_afraid": "yes", "q_threatened": "no", "q_controlled": "no", "q_hurt": "no"}


def _homework(world) -> tuple[int, int]:
    """A shared exercise and one for partner A alone, both due today."""
    noon_in_new_york()
    shared = give(world.couple, world.counselor, slug="daily-empathy")
    own = give(world.couple, world.counselor, slug="appreciation", partner_id=world.partner_a.id)
    return shared, own


def _paused(world) -> bool:
    db.session.expire_all()
    return world.couple.joint_work_paused


def _assign_url(world) -> str:
    return f"/couples/{world.couple.id}/assignments/new"


def test_a_harm_answer_on_the_private_screen_pauses_shared_homework_at_once(world, make_client):
    shared, own = _homework(world)
    a, b = make_client(), make_client()
    a.login(world.partner_a)
    b.login(world.partner_b)
    assert PAUSE not in b.get("/me").get_data(as_text=True)

    answer_screen(a, HARM)

    assert _paused(world)
    home_b = b.get("/me").get_data(as_text=True)
    assert PAUSE in home_b
    assert f"/me/checkins/{shared}/" not in home_b
    home_a = a.get("/me").get_data(as_text=True)
    assert PAUSE in home_a
    assert f"/me/checkins/{own}/{TODAY.isoformat()}" in home_a  # individual work goes on
    assert a.get(f"/me/checkins/{shared}/{TODAY.isoformat()}").status_code == 302
    flag = db.session.scalar(select(Flag).where(Flag.category == "harm"))
    actions = db.session.scalars(select(FlagEvent.action).where(FlagEvent.flag_id == flag.id))
    assert "shared_work_paused" in list(actions)


def test_the_screen_after_a_check_in_pauses_too(world, client):
    shared, _own = _homework(world)
    client.login(world.partner_a)
    send(client, shared, wants_safety_screen="y")
    checkin = db.session.scalar(select(CheckIn))
    answer_screen(client, {**HARM, "context": "checkin", "checkin_id": str(checkin.id)})
    assert _paused(world)


def test_a_harm_flag_raised_by_hand_pauses_and_the_flag_page_says_so(world, client):
    _homework(world)
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/flags/new", {
        "category": "harm", "severity": "high", "partner_id": "",
        "description": "Said in session."})
    assert response.status_code == 302
    assert _paused(world)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Shared homework is paused while this harm flag is open" in page


def test_other_flags_hold_nothing(world):
    _homework(world)
    raise_flag(world.couple, "broken_trust", "high", "Money.", "counselor", actor=world.counselor)
    assert not _paused(world)


def test_shared_work_while_harm_is_open_needs_a_recorded_reason(world, client):
    _homework(world)
    complete_screen(world.partner_a, world.couple, {"afraid": "yes", "threatened": "no",
                                                    "controlled": "no", "hurt": "no"},
                    None, "first_login")
    db.session.commit()
    client.login(world.counselor)
    exercise_id = db.session.scalar(select(Assignment.exercise_id).limit(1))
    form = {"exercise_id": exercise_id, "who": "both", "cadence": "daily",
            "start_date": TODAY.isoformat(), "ends": "never", "instructions": "Keep this text"}
    assert "Why shared work is safe now" in client.get(_assign_url(world)).get_data(as_text=True)

    refused = client.post_form(_assign_url(world), form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "record why it is safe" in page
    assert "Keep this text" in page
    count = db.session.scalar(select(db.func.count(Assignment.id)))

    alone = client.post_form(_assign_url(world), {**form, "who": str(world.partner_a.id)})
    assert alone.status_code == 302  # work for one partner needs no reason

    saved = client.post_form(_assign_url(world),
                             {**form, "shared_work_reason": "Agreed with both."})
    assert saved.status_code == 302
    assert db.session.scalar(select(db.func.count(Assignment.id))) == count + 2
    event = db.session.scalar(select(AssignmentEvent).where(
        AssignmentEvent.action == "shared_despite_harm"))
    assert event.detail == "Agreed with both."
    assert _paused(world)  # the reason lets the work be given; the hold itself stays


def test_no_reason_is_asked_without_an_open_harm_flag(world, client):
    _homework(world)
    client.login(world.counselor)
    assert "Why shared work is safe now" not in client.get(_assign_url(world)).get_data(
        as_text=True)


def _harm_flag(world) -> Flag:
    flag = raise_flag(world.couple, "harm", "urgent", "Screen.", "counselor",
                      partner=world.partner_a, actor=world.counselor)
    db.session.commit()
    return flag


def _resolve(client, world, flag, answer: str | None):
    data = {"to_status": "resolved", "version": flag.version, "note": "Safe plan in place."}
    if answer:
        data["resume_shared"] = answer
    return client.post_form(f"/couples/{world.couple.id}/flags/{flag.id}/status", data)


def test_resolving_asks_whether_to_resume_and_resumes_when_asked(world, client):
    _homework(world)
    flag = _harm_flag(world)
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}/flags/{flag.id}").get_data(as_text=True)
    assert "Resume shared homework" in page
    assert _resolve(client, world, flag, "resume").status_code == 302
    assert not _paused(world)


def test_resolving_keeps_the_pause_unless_asked(world, client):
    _homework(world)
    flag = _harm_flag(world)
    client.login(world.counselor)
    assert _resolve(client, world, flag, None).status_code == 302
    assert _paused(world)


def test_resolving_one_of_two_harm_flags_cannot_resume(world, client):
    _homework(world)
    first = _harm_flag(world)
    _harm_flag(world)
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}/flags/{first.id}").get_data(as_text=True)
    assert "Resume shared homework" not in page
    assert _resolve(client, world, first, "resume").status_code == 302
    assert _paused(world)


def test_reopening_a_harm_flag_holds_again(world):
    _homework(world)
    flag = _harm_flag(world)
    change_status(flag, "resolved", world.counselor, "Done.")
    world.couple.joint_work_paused = False
    change_status(flag, "open", world.counselor)
    assert _paused(world)
