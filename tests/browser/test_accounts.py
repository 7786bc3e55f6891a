"""Signing in and out: the one error message, every demo login's home, the Back button after
signing out, and the whole way in with the keyboard alone."""

from __future__ import annotations

import re

import pytest

from .support import (
    DEMO_PASSWORD,
    assert_focus_visible,
    caseload,
    check_page,
    go_back,
    is_focused,
    shot,
    sign_in,
    sign_out,
    tab_to,
    visible_text,
)

pytestmark = pytest.mark.browser

LOGIN_ERROR = "That email and password do not match an active account."

# (email, home path, heading on the home page, a nav link of the role)
DEMO_HOMES = [
    ("admin@example.org", "/admin/", "Staff", "Practice settings"),
    ("supervisor@example.org", "/team", "Your team", "Team"),
    ("counselor@example.org", "/caseload", "Today", "Caseload"),
    ("counselor2@example.org", "/caseload", "Today", "Caseload"),
    ("partner.a@example.org", "/me", "Hello, Alex", "Home"),
    ("partner.b@example.org", "/me", "Hello, Blake", "Home"),
]


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_wrong_password_then_sign_in_and_out(new_page, size):
    page = new_page(size)
    page.goto("/login")
    check_page(page, "sign-in page")
    shot(page, "sign-in", "empty")

    page.get_by_label("Email").fill("partner.a@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    assert LOGIN_ERROR in alert.inner_text()
    # what was typed stays, the password does not
    assert page.get_by_label("Email").input_value() == "partner.a@example.org"
    assert page.get_by_label("Password").input_value() == ""
    check_page(page, "sign-in page with the error")
    shot(page, "sign-in", "wrong-password")
    wrong_password_text = alert.inner_text()

    # an unknown email gets exactly the same message: nothing tells which one was wrong
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == wrong_password_text

    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Email").fill("partner.a@example.org")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/me$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Alex"

    sign_out(page)
    assert "You are signed out." in visible_text(page)
    check_page(page, "signed-out page")
    shot(page, "sign-in", "signed-out")


def test_back_button_after_sign_out_shows_no_client_data(laptop):
    page = laptop
    sign_in(page, "counselor@example.org")
    caseload(page).get_by_role("link", name="Rivera & Chen").click()
    page.wait_for_url(re.compile(r"/couples/\d+$"))
    couple_url = page.url
    seen = visible_text(page)
    assert "Alex Rivera" in seen
    assert "Blake Chen" in seen

    sign_out(page)
    go_back(page)
    # the couple's page was sent with Cache-Control: no-store: going back asks the server
    # again, and the server asks for a sign-in
    page.wait_for_url(re.compile(r"/login\?next="))
    after = visible_text(page)
    for secret in ("Rivera & Chen", "Alex Rivera", "Blake Chen", "partner.a@example.org"):
        assert secret not in after
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    shot(page, "back-after-sign-out", "couple-page")

    go_back(page)  # the caseload, one step further back
    assert "Rivera & Chen" not in visible_text(page)
    assert page.url != couple_url


def test_back_button_after_a_client_signs_out(phone):
    page = phone
    sign_in(page, "partner.b@example.org")
    assert "Hello, Blake" in visible_text(page)
    sign_out(page)
    go_back(page)
    text = visible_text(page)
    assert "Blake" not in text
    assert "Casey Counselor" not in text
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_every_demo_login_reaches_its_home(new_page, size):
    for email, path, heading, nav_link in DEMO_HOMES:
        page = new_page(size)
        sign_in(page, email)
        assert page.url.endswith(path), f"{email} landed on {page.url}"
        assert page.get_by_role("heading", level=1).inner_text() == heading
        nav = page.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link", name=nav_link).is_visible()
        check_page(page, f"home of {email}")
        shot(page, "demo-homes", email.split("@")[0])
        page.context.close()


def test_keyboard_only_sign_in_reaches_home_and_a_couple(laptop):
    page = laptop
    page.goto("/login")
    email = page.get_by_label("Email")
    assert is_focused(email), "the sign-in page starts in the email field"
    assert_focus_visible(email)
    page.keyboard.type("counselor@example.org")
    page.keyboard.press("Tab")
    password = page.get_by_label("Password")
    assert is_focused(password)
    assert_focus_visible(password)
    page.keyboard.type(DEMO_PASSWORD)
    submit = page.get_by_role("button", name="Sign in")
    tab_to(page, submit)
    assert_focus_visible(submit)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/caseload$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Today"

    # a fresh page: the first Tab reaches the skip link, which comes into view
    skip_link = page.get_by_role("link", name="Skip to content")
    page.keyboard.press("Tab")
    assert is_focused(skip_link)
    assert_focus_visible(skip_link)
    box = skip_link.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the skip link must come into view when focused"

    couple = caseload(page).get_by_role("link", name="Rivera & Chen")
    tab_to(page, couple)
    assert_focus_visible(couple)
    shot(page, "keyboard", "couple-link-focused")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/couples/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Rivera & Chen"

    sign_out_button = page.get_by_role("button", name="Sign out")
    tab_to(page, sign_out_button)
    assert_focus_visible(sign_out_button)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/login$"))
