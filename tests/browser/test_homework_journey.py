"""The homework loop: a counselor assigns two exercises to a new couple on a laptop; each partner
checks in on a phone; the counselor reviews both check-ins and writes feedback; each partner
reads the feedback meant for them, and only that."""

from __future__ import annotations

import re
import uuid

import pytest

from .support import check_page, main_text, new_couple, shot, sign_in, visible_text

pytestmark = pytest.mark.browser
JOURNEY = "homework"
EXERCISES = ("Make time for connection", "Reignite appreciation")


def assign(counselor, exercise: str) -> None:
    counselor.get_by_role("link", name="Assign homework").click()
    counselor.wait_for_url(re.compile(r"/assignments/new$"))
    assert counselor.get_by_role("heading", level=1).inner_text() == "Assign homework"
    counselor.get_by_label("Exercise").select_option(label=exercise)
    counselor.get_by_role("group", name="Who does it").get_by_label("Both partners").check()
    counselor.get_by_role("group", name="How often").get_by_label("Every day").check()
    check_page(counselor, "assign homework")
    shot(counselor, JOURNEY, f"assign-{exercise.split()[0].lower()}")
    counselor.get_by_role("button", name="Save assignment").click()
    counselor.wait_for_url(re.compile(r"/couples/\d+$"))
    assert f"{exercise} assigned." in visible_text(counselor)


def check_in(page, exercise: str, outcome: str, closeness: str, reflection: str, *,
             share: bool, name: str) -> None:
    """From the client's home: open today's exercise, answer, send."""
    page.goto("/me")
    homework = page.get_by_role("region", name="Your homework")
    homework.get_by_role("link", name=exercise).click()
    page.wait_for_url(re.compile(r"/me/checkins/\d+/\d{4}-\d{2}-\d{2}$"))
    assert page.get_by_role("heading", level=1).inner_text() == exercise
    check_page(page, "check-in form")
    page.get_by_role("group", name="Did you do it?").get_by_label(outcome, exact=True).check()
    closeness_group = page.get_by_role("group", name="How close do you feel right now?")
    closeness_group.get_by_label(closeness, exact=True).check()
    page.get_by_label("Anything you'd like your counselor to know about how it went?").fill(
        reflection)
    if share:
        page.get_by_label("Share this answer with my partner").check()
    shot(page, JOURNEY, f"checkin-{name}")
    page.get_by_role("button", name="Send my check-in").click()
    page.wait_for_url(re.compile(r"/me$"))
    assert "Thank you. Your check-in is saved." in visible_text(page)
    check_page(page, "client home after a check-in")
    shot(page, JOURNEY, f"home-after-checkin-{name}")


def review(counselor, couple, partner, exercise: str, reflection: str, feedback: str) -> None:
    counselor.goto(couple.url)
    waiting = counselor.get_by_role("region", name="Check-ins")
    waiting.get_by_role("link", name=re.compile(
        rf"^{re.escape(partner.name)}: {re.escape(exercise)}, ")).click()
    counselor.wait_for_url(re.compile(r"/checkins/\d+$"))
    heading = counselor.get_by_role("heading", level=1).inner_text()
    assert heading == f"{partner.name}: {exercise}"
    assert reflection in visible_text(counselor)
    check_page(counselor, "check-in for review")
    counselor.get_by_label("Feedback for the client").fill(feedback)
    counselor.get_by_role("button", name="Send feedback").click()
    counselor.get_by_text("Feedback sent. The client sees it with their check-in.").wait_for()
    feedback_card = counselor.get_by_role("region", name="Feedback")
    assert feedback in feedback_card.get_by_role("paragraph").first.inner_text()
    assert "Reviewed" in counselor.get_by_role("region", name="Answers").inner_text()
    check_page(counselor, "check-in with feedback")
    shot(counselor, JOURNEY, f"review-{partner.first_name.lower()}")


def test_assign_check_in_review_and_read_feedback(laptop, new_page):
    run = uuid.uuid4().hex[:4]
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, surnames=("Ellis", "Moreno"),
                        firsts=("Jamie", "Noor"))
    check_page(counselor, "couple page")
    for exercise in EXERCISES:
        assign(counselor, exercise)
    homework = counselor.get_by_role("region", name="Homework")
    for exercise in EXERCISES:
        assert homework.get_by_role("link", name=exercise).is_visible()
    shot(counselor, JOURNEY, "couple-with-homework")

    a, b = couple.a, couple.b
    shared = f"We had coffee on the balcony before work {run}."
    private = f"Only for my counselor: it felt a bit forced today {run}."
    for partner in (a, b):
        partner.page.reload()
        homework = partner.page.get_by_role("region", name="Your homework")
        for exercise in EXERCISES:
            assert homework.get_by_role("link", name=exercise).is_visible()
        check_page(partner.page, "client home with homework")
        shot(partner.page, JOURNEY, f"home-{partner.first_name.lower()}")
    check_in(a.page, EXERCISES[0], "I did it", "8", shared, share=True, name="a")
    check_in(b.page, EXERCISES[1], "Partly", "5", private, share=False, name="b")

    # what each partner sees of the other: A's shared answer, never B's unshared one
    b.page.get_by_role("link", name="My check-ins").click()
    b.page.wait_for_url(re.compile(r"/me/checkins$"))
    shared_with_b = b.page.get_by_role("region", name="Shared with you by your partner")
    assert shared in shared_with_b.inner_text()
    check_page(b.page, "my check-ins")
    shot(b.page, JOURNEY, "history-b")
    a.page.get_by_role("link", name="My check-ins").click()
    a.page.wait_for_url(re.compile(r"/me/checkins$"))
    assert private not in main_text(a.page)
    assert "Nothing shared with you yet." in main_text(a.page)

    feedback_a = f"Lovely to hear about the balcony, Jamie {run}."
    feedback_b = f"Forced is a fair start, Noor: keep going {run}."
    review(counselor, couple, a, EXERCISES[0], shared, feedback_a)
    review(counselor, couple, b, EXERCISES[1], private, feedback_b)
    counselor.goto(couple.url)
    checkins = counselor.get_by_role("region", name="Check-ins")
    assert "All check-ins reviewed." in checkins.inner_text()
    check_page(counselor, "couple page after review")
    shot(counselor, JOURNEY, "couple-reviewed")

    for partner, mine, theirs, exercise in ((a, feedback_a, feedback_b, EXERCISES[0]),
                                            (b, feedback_b, feedback_a, EXERCISES[1])):
        page = partner.page
        page.goto("/me")
        from_counselor = page.get_by_role("region", name="From your counselor")
        assert mine in from_counselor.inner_text()
        assert theirs not in main_text(page)
        check_page(page, "client home with feedback")
        shot(page, JOURNEY, f"feedback-home-{partner.first_name.lower()}")
        from_counselor.get_by_role("link", name=re.compile(rf"^{re.escape(exercise)}, ")).click()
        page.wait_for_url(re.compile(r"/me/checkins/\d+$"))
        assert mine in page.get_by_role("region", name="From your counselor").inner_text()
        assert theirs not in main_text(page)
        check_page(page, "my check-in with feedback")
        shot(page, JOURNEY, f"feedback-checkin-{partner.first_name.lower()}")
