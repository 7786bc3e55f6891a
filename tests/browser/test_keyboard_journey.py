"""Partners on a phone with a keyboard only (Tab, Shift+Tab, arrow keys, Space, Enter): one signs
in after a mistyped password, opens today's exercise, checks in, reads it back and signs out;
the other answers the private safety questions. Every control shows where the focus is."""

from __future__ import annotations

import re
import uuid

import pytest

from .support import (
    assert_focus_visible,
    check_page,
    is_focused,
    new_couple,
    shot,
    sign_in,
    sign_out,
    tab_to,
    visible_text,
)

pytestmark = pytest.mark.browser
JOURNEY = "keyboard"
EXERCISE = "Be physically present"


def _keyboard_sign_in(page, email: str, password: str) -> None:
    field = page.get_by_label("Email")
    assert is_focused(field), "the sign-in page starts in the email field"
    assert_focus_visible(field)
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    field = page.get_by_label("Password")
    assert is_focused(field)
    assert_focus_visible(field)
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_partners_sign_in_check_in_and_answer_the_screen_by_keyboard_alone(laptop, new_page):
    run = uuid.uuid4().hex[:4]
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, surnames=("Okoro", "Vance"),
                        firsts=("Ash", "Bo"))
    counselor.get_by_role("link", name="Assign homework").click()
    counselor.get_by_label("Exercise").select_option(label=EXERCISE)
    counselor.get_by_role("group", name="How often").get_by_label("Every day").check()
    counselor.get_by_role("button", name="Save assignment").click()
    assert f"{EXERCISE} assigned." in visible_text(counselor)
    partner = couple.a
    page = partner.page
    sign_out(page)

    # sign in: a wrong password first, then the right one
    _keyboard_sign_in(page, partner.email, "not my password")
    alert = page.get_by_role("alert")
    assert "do not match" in alert.inner_text()
    check_page(page, "sign-in with an error, keyboard")
    shot(page, JOURNEY, "sign-in-error")
    email = page.get_by_label("Email")
    if not is_focused(email):
        tab_to(page, email)
    assert email.input_value() == partner.email
    page.keyboard.press("Tab")
    _password = page.get_by_label("Password")
    assert is_focused(_password)
    page.keyboard.type(partner.password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me$"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {partner.first_name}"

    # today's exercise, from the home page
    today = page.get_by_role("region", name="Your homework").get_by_role("link", name=EXERCISE)
    tab_to(page, today)
    assert_focus_visible(today)
    shot(page, JOURNEY, "home-exercise-focused")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me/checkins/\d+/\d{4}-\d{2}-\d{2}$"))
    check_page(page, "check-in form, keyboard")

    # the outcome: Tab into the group, arrow to "Partly"
    outcome = page.get_by_role("group", name="Did you do it?")
    tab_to(page, outcome.get_by_role("radio", name="I did it"))
    page.keyboard.press("ArrowDown")
    partly = outcome.get_by_role("radio", name="Partly")
    assert is_focused(partly)
    assert partly.is_checked()
    assert_focus_visible(partly)

    # closeness: one Tab to the next group, then arrows from 1 up to 7
    page.keyboard.press("Tab")
    closeness = page.get_by_role("group", name="How close do you feel right now?")
    one = closeness.get_by_role("radio", name="1", exact=True)
    assert is_focused(one)
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    seven = closeness.get_by_role("radio", name="7", exact=True)
    assert is_focused(seven)
    assert seven.is_checked()
    assert_focus_visible(seven)
    shot(page, JOURNEY, "closeness-focused")

    # Shift+Tab goes back to the outcome, which kept its answer
    page.keyboard.press("Shift+Tab")
    assert is_focused(partly)
    page.keyboard.press("Tab")
    assert is_focused(seven)

    reflection_text = f"We held hands on the walk home {run}."
    page.keyboard.press("Tab")
    reflection = page.get_by_label("Anything you'd like your counselor to know about how it went?")
    assert is_focused(reflection)
    assert_focus_visible(reflection)
    page.keyboard.type(reflection_text)

    share = page.get_by_label("Share this answer with my partner")
    tab_to(page, share)
    assert_focus_visible(share)
    page.keyboard.press("Space")
    assert share.is_checked()

    send = page.get_by_role("button", name="Send my check-in")
    tab_to(page, send)
    assert_focus_visible(send)
    shot(page, JOURNEY, "send-focused")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me$"))
    assert "Thank you. Your check-in is saved." in visible_text(page)
    check_page(page, "home after a keyboard check-in")

    # read it back, then sign out, still by keyboard
    history = page.get_by_role("navigation", name="Main").get_by_role("link", name="My check-ins")
    tab_to(page, history)
    assert_focus_visible(history)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me/checkins$"))
    sent = page.get_by_role("region", name="What you sent").get_by_role(
        "link", name=re.compile(rf"^{EXERCISE}, "))
    tab_to(page, sent)
    assert_focus_visible(sent)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me/checkins/\d+$"))
    answers = visible_text(page)
    assert "Partly" in answers
    assert "7 of 10" in answers
    assert reflection_text in answers
    assert "Shared with your partner" in answers
    check_page(page, "my check-in, keyboard")
    shot(page, JOURNEY, "checkin-read-back")

    sign_out_button = page.get_by_role("button", name="Sign out")
    tab_to(page, sign_out_button)
    assert_focus_visible(sign_out_button)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/login$"))


    # the other partner answers the private questions, by keyboard too
    page = couple.b.page
    page.goto("/me")
    start = page.get_by_role("region", name="A few private questions").get_by_role(
        "link", name="Start when you are on your own")
    tab_to(page, start)
    assert_focus_visible(start)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me/safety-check$"))
    check_page(page, "privacy question, keyboard")
    now = page.get_by_role("radio", name="Yes, I can answer now")
    tab_to(page, now)
    assert_focus_visible(now)
    page.keyboard.press("Space")
    assert now.is_checked()
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    groups = page.get_by_role("group", name=re.compile(r"^In the last few weeks"))
    groups.first.wait_for()
    check_page(page, "safety questions, keyboard")
    for index in range(groups.count()):
        group = groups.nth(index)
        tab_to(page, group.get_by_role("radio", name="Yes", exact=True))
        page.keyboard.press("ArrowDown")
        no = group.get_by_role("radio", name="No", exact=True)
        assert is_focused(no)
        assert no.is_checked()
        assert_focus_visible(no)
    shot(page, JOURNEY, "safety-questions-answered")
    send = page.get_by_role("button", name="Send to my counselor")
    tab_to(page, send)
    assert_focus_visible(send)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/me/safety$"))
    assert "Your answers went only to your counselor and their clinical team." in visible_text(
        page)
    check_page(page, "safety page after answering, keyboard")
    shot(page, JOURNEY, "safety-page-answered")
