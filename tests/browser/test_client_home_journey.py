"""Issue 13, points 6 and 7, on a phone: a calm home. Today's work comes first with its progress and
done work stays, ticked; new feedback is marked until opened; the signs self-check fits one
compact page with one audience note, and afterwards the client sees their own score trend.
A reply to the counselor's feedback reaches the counselor's review queue."""

from __future__ import annotations

import re

import pytest

from .support import check_page, main_text, new_couple, shot, sign_in
from .test_homework_journey import assign, check_in, review

pytestmark = pytest.mark.browser
JOURNEY = "client-home"
REPLY = "Thank you, the walk is becoming a habit."
EXERCISES = ("Make time for connection", "Signs of distance self-check")


def test_calm_home_progress_new_feedback_and_own_trend(laptop, new_page):
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, surnames=("Ives", "Okonkwo"),
                        firsts=("Dana", "Femi"))
    for exercise in EXERCISES:
        assign(counselor, exercise)
    a = couple.a
    page = a.page
    page.goto("/me")
    homework = page.get_by_role("region", name="Your homework")
    assert "0 of 2 done" in homework.inner_text()
    # the header stays one compact bar: the menu never wraps onto a third line
    assert page.locator(".site-header").bounding_box()["height"] <= 2 * 44 + 40

    check_in(page, EXERCISES[0], "I did it", "7", "A quiet walk after dinner.", share=False,
             name="a")
    homework = page.get_by_role("region", name="Your homework")
    assert "1 of 2 done" in homework.inner_text()
    done = homework.locator(".today-done")
    assert EXERCISES[0] in done.inner_text()
    assert done.get_by_role("link", name="See what you sent").is_visible()
    check_page(page, "home with one done")
    shot(page, JOURNEY, "home-one-done")

    # the signs self-check: one page, one audience note
    homework.get_by_role("link", name=EXERCISES[1]).click()
    page.wait_for_url(re.compile(r"/me/checkins/\d+/\d{4}-\d{2}-\d{2}$"))
    assert page.locator(".audience").count() == 1
    for group in page.get_by_role("group").all():
        choice = group.get_by_role("radio", name="Sometimes", exact=True)
        if choice.count():
            choice.check()
    check_page(page, "signs self-check")
    shot(page, JOURNEY, "signs-self-check")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4121 * 0.75, f"the self-check is still {height}px long"
    page.get_by_role("button", name="Send my check-in").click()
    page.wait_for_url(re.compile(r"/me$"))
    assert "2 of 2 done" in main_text(page)

    review(counselor, couple, a, EXERCISES[0], "A quiet walk after dinner.", "Good start.")
    page.goto("/me")
    feedback = page.get_by_role("region", name="From your counselor")
    assert "New" in feedback.inner_text()
    check_page(page, "home with new feedback")
    shot(page, JOURNEY, "home-new-feedback")
    feedback.get_by_role("link", name=re.compile(EXERCISES[0])).click()
    page.wait_for_url(re.compile(r"/me/checkins/\d+$"))
    checkin_path = page.url.split("127.0.0.1", 1)[1].split("/", 1)[1]

    # a reply to the counselor (point 7): counselor only, with where to turn in an emergency
    thread = page.get_by_role("region", name="From your counselor")
    assert "Replies are not read straight away" in thread.inner_text()
    assert thread.get_by_role("link", name="911").get_attribute("href") == "tel:911"
    page.get_by_label("Your reply").fill(REPLY)
    check_page(page, "reply to feedback")
    page.get_by_role("button", name="Send my reply").click()
    page.wait_for_url(re.compile(r"/me/checkins/\d+#replies$"))
    assert REPLY in page.get_by_role("region", name="From your counselor").inner_text()
    check_page(page, "after a reply")
    shot(page, JOURNEY, "reply-sent")
    counselor.goto(couple.url)
    counselor.get_by_role("region", name="Check-ins").get_by_role("link", name=re.compile(
        rf"^{re.escape(a.name)}: {re.escape(EXERCISES[0])}, ")).click()
    counselor.wait_for_url(re.compile(r"/checkins/\d+$"))
    assert checkin_path.split("/")[-1] == counselor.url.rsplit("/", 1)[1]
    assert REPLY in main_text(counselor)
    assert "Not reviewed" in main_text(counselor)
    check_page(counselor, "check-in with a reply")
    shot(counselor, JOURNEY, "counselor-reads-reply")
    page.goto("/me")
    assert "New" not in page.get_by_role("region", name="From your counselor").inner_text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My check-ins").click()
    page.wait_for_url(re.compile(r"/me/checkins$"))
    trend = page.get_by_role("region", name="Your self-check over time")
    assert "lower means fewer signs of distance" in trend.inner_text()
    check_page(page, "my check-ins with my trend")
    shot(page, JOURNEY, "own-trend")
    # the other partner sees none of it
    b = couple.b.page
    b.goto("/me/checkins")
    assert "Your self-check over time" not in main_text(b)
