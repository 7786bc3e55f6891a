"""Reveal-together: on an exercise that reveals answers together, partner A's shared answer
reaches partner B only once B has checked in for the same day, so neither answer shapes the
other. Both phones stay open side by side."""

from __future__ import annotations

import re
import uuid

import pytest

from .support import check_page, main_text, new_couple, shot, sign_in, visible_text

pytestmark = pytest.mark.browser
JOURNEY = "reveal-together"
EXERCISE = "Set regular check-ins"  # reveal_together in practice/content.py


def _check_in(page, reflection: str, name: str) -> None:
    page.goto("/me")
    page.get_by_role("region", name="Your homework").get_by_role("link", name=EXERCISE).click()
    page.wait_for_url(re.compile(r"/me/checkins/\d+/\d{4}-\d{2}-\d{2}$"))
    share = page.get_by_label("Share this answer with my partner")
    # the form says when the partner will see it
    assert "sees it only once you have both checked in" in visible_text(page)
    check_page(page, "reveal-together check-in form")
    page.get_by_role("group", name="Did you do it?").get_by_label("I did it", exact=True).check()
    page.get_by_role("group", name="How close do you feel right now?").get_by_label(
        "6", exact=True).check()
    page.get_by_label("Anything you'd like your counselor to know about how it went?").fill(
        reflection)
    share.check()
    shot(page, JOURNEY, f"checkin-{name}")
    page.get_by_role("button", name="Send my check-in").click()
    # straight to the check-in's own page: the reveal moment (issue 13)
    page.wait_for_url(re.compile(r"/me/checkins/\d+$"))
    assert "Thank you. Your check-in is saved." in visible_text(page)
    check_page(page, "reveal moment")
    shot(page, JOURNEY, f"moment-{name}")


def _what_b_can_read(page) -> str:
    """B's home and B's check-ins page, as B sees them now."""
    page.goto("/me")
    home = main_text(page)
    check_page(page, "client home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My check-ins").click()
    page.wait_for_url(re.compile(r"/me/checkins$"))
    check_page(page, "my check-ins")
    return home + "\n" + main_text(page)


def test_shared_answer_appears_only_after_both_checked_in(laptop, new_page):
    run = uuid.uuid4().hex[:4]
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, surnames=("Adair", "Baptiste"),
                        firsts=("Kit", "Lou"))
    counselor.get_by_role("link", name="Assign homework").click()
    counselor.get_by_label("Exercise").select_option(label=EXERCISE)
    counselor.get_by_role("group", name="How often").get_by_label("Every week").check()
    check_page(counselor, "assign homework")
    counselor.get_by_role("button", name="Save assignment").click()
    assert f"{EXERCISE} assigned." in visible_text(counselor)

    a, b = couple.a, couple.b
    answer_a = f"What went well: the walk on Sunday. What felt off: the bills talk {run}."
    answer_b = f"What went well: you made dinner. Support I want: a quiet Friday {run}."

    _check_in(a.page, answer_a, "a")
    a_checkin_url = a.page.url
    moment = a.page.get_by_role("region", name="Waiting for your partner")
    assert "once they have checked in too" in moment.inner_text()
    assert answer_b not in main_text(a.page)
    before = _what_b_can_read(b.page)
    assert answer_a not in before
    assert "Nothing shared with you yet." in before
    shot(b.page, JOURNEY, "b-history-before")

    # A's own page shows A's answer as shared, and nothing of B's yet
    a.page.goto("/me/checkins")
    assert answer_b not in main_text(a.page)
    check_page(a.page, "my check-ins")

    _check_in(b.page, answer_b, "b")
    together = b.page.get_by_role("region", name="Your answers, side by side").inner_text()
    assert answer_a in together
    assert answer_b in together
    # and A's check-in page now shows both, side by side
    a.page.goto(a_checkin_url)
    together = a.page.get_by_role("region", name="Your answers, side by side")
    assert answer_a in together.inner_text()
    assert answer_b in together.inner_text()
    check_page(a.page, "reveal moment for the first to answer")
    shot(a.page, JOURNEY, "a-moment-after-both")
    after = _what_b_can_read(b.page)
    shared_with_b = b.page.get_by_role("region", name="Shared with you by your partner")
    assert answer_a in shared_with_b.inner_text()
    assert answer_a in after
    shot(b.page, JOURNEY, "b-history-after")
    b.page.goto("/me")
    assert answer_a in b.page.get_by_role("region", name="Shared by your partner").inner_text()
    shot(b.page, JOURNEY, "b-home-after")

    # and the other way round: A now reads B's answer too
    a.page.goto("/me/checkins")
    shared_with_a = a.page.get_by_role("region", name="Shared with you by your partner")
    assert answer_b in shared_with_a.inner_text()
    check_page(a.page, "my check-ins after both answered")
    shot(a.page, JOURNEY, "a-history-after")
