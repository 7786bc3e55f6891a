"""The homework loop end to end, through the real routes, in the demo practice."""

from __future__ import annotations

from sqlalchemy import func, select

from practice.checkins.models import CheckIn
from practice.couples.models import Couple
from practice.demo import DEMO_PASSWORD, seed_demo
from practice.exercises.models import Assignment, Exercise
from practice.extensions import db

from .client_steps import token_of
from .factories import TODAY, noon_in_new_york


def _login(make_client, email):
    c = make_client()
    c.login(email, DEMO_PASSWORD)
    return c


def _assign(counselor, couple, slug, cadence):
    exercise = db.session.scalar(select(Exercise).where(Exercise.slug == slug))
    form = counselor.get(f"/couples/{couple.id}/assignments/new?exercise={exercise.id}")
    assert form.status_code == 200
    response = counselor.post_form(f"/couples/{couple.id}/assignments/new", {
        "exercise_id": exercise.id, "who": "both", "cadence": cadence,
        "start_date": TODAY.isoformat(), "ends": "count", "occurrence_limit": "4",
        "instructions": f"For you two: {slug}",
    })
    assert response.status_code == 302
    db.session.expire_all()
    return db.session.scalar(select(Assignment).where(
        Assignment.couple_id == couple.id, Assignment.exercise_id == exercise.id)
        .order_by(Assignment.id.desc()))


def _check_in(client, assignment, **answers):
    url = f"/me/checkins/{assignment.id}/{TODAY.isoformat()}"
    home = client.get("/me").get_data(as_text=True)
    assert url in home, "today's check-in is listed on the client's home"
    page = client.get(url).get_data(as_text=True)
    data = {"token": token_of(page), "outcome": "done", "closeness": "8"}
    data.update(answers)
    response = client.post_form(url, data)
    assert response.status_code == 302
    db.session.expire_all()
    return db.session.scalar(select(CheckIn).where(
        CheckIn.assignment_id == assignment.id, CheckIn.due_date == TODAY,
        CheckIn.partner_id == db.session.scalar(
            select(CheckIn.partner_id).where(CheckIn.submit_token == data["token"]))))


def test_the_homework_loop(app, ctx, make_client):
    noon_in_new_york()
    assert seed_demo()
    db.session.commit()
    couple = db.session.scalar(select(Couple).where(Couple.label == "Rivera & Chen"))
    assert db.session.scalar(select(func.count(CheckIn.id))
                             .where(CheckIn.couple_id == couple.id)) > 10, "demo check-ins"

    counselor = _login(make_client, "counselor@example.org")
    alex = _login(make_client, "partner.a@example.org")
    blake = _login(make_client, "partner.b@example.org")

    goals = _assign(counselor, couple, "shared-goals", "once")  # reveal together
    touch = _assign(counselor, couple, "physical-presence", "daily")

    # Alex checks in first on both; one reflection shared, one kept for the counselor.
    a_goals = _check_in(alex, goals, reflection="ALEX-GOAL a trip north",
                        share_with_partner="y", private_note="ALEX-PRIVATE")
    a_touch = _check_in(alex, touch, reflection="ALEX-TOUCH held hands on the walk",
                        share_with_partner="y")

    for url in ("/me", "/me/checkins"):
        page = blake.get(url).get_data(as_text=True)
        assert "ALEX-TOUCH held hands on the walk" in page, "shared, not reveal-together"
        assert "ALEX-GOAL" not in page, "reveal-together waits for Blake's own answer"
        assert "ALEX-PRIVATE" not in page

    b_goals = _check_in(blake, goals, reflection="BLAKE-GOAL a new kitchen",
                        share_with_partner="y", private_note="BLAKE-PRIVATE")
    b_touch = _check_in(blake, touch, reflection="BLAKE-TOUCH kept to myself")

    blake_page = blake.get("/me/checkins").get_data(as_text=True)
    assert "ALEX-GOAL a trip north" in blake_page, "both answered: revealed"
    alex_page = alex.get("/me/checkins").get_data(as_text=True)
    assert "BLAKE-GOAL a new kitchen" in alex_page
    assert "BLAKE-TOUCH" not in alex_page, "not shared"
    assert "BLAKE-PRIVATE" not in alex_page
    assert "ALEX-PRIVATE" not in blake_page

    # The counselor sees all four, marks them reviewed and writes feedback.
    couple_page = counselor.get(f"/couples/{couple.id}").get_data(as_text=True)
    for c in (a_goals, a_touch, b_goals, b_touch):
        assert f"/couples/{couple.id}/checkins/{c.id}" in couple_page
    for c, words in ((a_goals, "FEEDBACK-ALEX"), (b_goals, "FEEDBACK-BLAKE")):
        detail = counselor.get(f"/couples/{couple.id}/checkins/{c.id}").get_data(as_text=True)
        assert "PRIVATE" in detail  # the counselor reads the private note
        assert counselor.post_form(
            f"/couples/{couple.id}/checkins/{c.id}/review").status_code == 302
        db.session.expire_all()
        version = db.session.get(CheckIn, c.id).version
        assert counselor.post_form(f"/couples/{couple.id}/checkins/{c.id}/feedback", {
            "feedback": words, "version": str(version)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CheckIn, a_goals.id).reviewed_at is not None
    assert db.session.get(CheckIn, b_goals.id).reviewed_at is not None

    # Each client sees their own feedback, and not the partner's.
    assert "FEEDBACK-ALEX" in alex.get("/me").get_data(as_text=True)
    assert "FEEDBACK-ALEX" in alex.get(f"/me/checkins/{a_goals.id}").get_data(as_text=True)
    assert "FEEDBACK-BLAKE" not in alex.get("/me/checkins").get_data(as_text=True)
    assert "FEEDBACK-BLAKE" in blake.get("/me/checkins").get_data(as_text=True)
    assert blake.get(f"/me/checkins/{a_goals.id}").status_code == 404

    # The counselor's home shows the caseload coloured by recency.
    home = counselor.get("/caseload").get_data(as_text=True)
    assert "Rivera &amp; Chen" in home
    assert "recency-2d" in home


def test_demo_homework_pages_render(app, ctx, make_client):
    noon_in_new_york()
    seed_demo()
    db.session.commit()
    counselor = _login(make_client, "counselor@example.org")
    for couple in db.session.scalars(select(Couple)):
        if couple.counselor.email == "counselor@example.org":
            assert counselor.get(f"/couples/{couple.id}").status_code == 200
            assert counselor.get(f"/couples/{couple.id}/checkins").status_code == 200
    page = counselor.get("/caseload").get_data(as_text=True)
    assert "recency-" in page
    supervisor = _login(make_client, "supervisor@example.org")
    couple = db.session.scalar(select(Couple).where(Couple.label == "Rivera & Chen"))
    page = supervisor.get(f"/couples/{couple.id}").get_data(as_text=True)
    assert 'class="chart"' in page
    assert "Assign homework" not in page
    paused = _login(make_client, "omar.haddad@example.org")
    assert "paused shared homework" in paused.get("/me").get_data(as_text=True)
