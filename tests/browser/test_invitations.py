"""A counselor adds a couple on a laptop; each partner opens their own invitation link on a phone,
chooses a password and lands on their home."""

from __future__ import annotations

import re
import uuid

import pytest

from .support import (
    assert_focus_visible,
    check_page,
    is_focused,
    shot,
    sign_in,
    tab_to,
    visible_text,
)

pytestmark = pytest.mark.browser


def _set_password_with_keyboard(page, link: str, password: str) -> None:
    page.goto(link)  # a fresh page, focus at the top
    new = page.get_by_label("New password")
    tab_to(page, new)
    assert_focus_visible(new)
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    again = page.get_by_label("Type it again")
    assert is_focused(again)
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def test_counselor_invites_both_partners_who_set_their_passwords(laptop, new_page):
    run = uuid.uuid4().hex[:6]
    label = f"Quinn & Ortega {run}"
    partners = [
        ("Robin Quinn", f"robin.{run}@example.org", "Robin"),
        ("Sasha Ortega", f"sasha.{run}@example.org", "Sasha"),
    ]

    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    counselor.get_by_role("link", name="New couple").first.click()
    counselor.wait_for_url(re.compile(r"/couples/new$"))
    check_page(counselor, "new couple form")

    # sent without a name: the form says what is missing and keeps what was typed
    counselor.get_by_label("Partner 1 name").fill(partners[0][0])
    counselor.get_by_role("button", name="Create couple and invitation links").click()
    summary = counselor.get_by_role("alert")
    assert "Give the couple a name you will recognise." in summary.inner_text()
    assert counselor.get_by_label("Partner 1 name").input_value() == partners[0][0]
    check_page(counselor, "new couple form with errors")
    shot(counselor, "invite-couple", "new-couple-errors")

    counselor.get_by_label("Name for this couple").fill(label)
    counselor.get_by_label("Their time zone").select_option("Europe/London")
    counselor.get_by_label("Partner 1 email").fill(partners[0][1])
    counselor.get_by_label("Partner 2 name").fill(partners[1][0])
    counselor.get_by_label("Partner 2 email").fill(partners[1][1])
    shot(counselor, "invite-couple", "new-couple-filled")
    counselor.get_by_role("button", name="Create couple and invitation links").click()
    counselor.get_by_role("heading", name=f"Invitation links for {label}").wait_for()
    check_page(counselor, "invitation links")
    shot(counselor, "invite-couple", "invitation-links")
    links = [
        counselor.get_by_label(f"Invitation link for {name}").input_value()
        for name, _, _ in partners
    ]
    assert len(set(links)) == 2
    assert all("/invite/" in link for link in links)

    for (name, email, first_name), link in zip(partners, links, strict=True):
        page = new_page("phone")
        page.goto(link)
        assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {name}"
        assert email in visible_text(page)
        check_page(page, "set your password")
        shot(page, "invite-couple", f"set-password-{first_name.lower()}")

        # too short first: a clear message on the field
        page.get_by_label("New password").fill("short")
        page.get_by_label("Type it again").fill("short")
        page.get_by_role("button", name="Set my password").click()
        assert "Use between 12 and 64 characters." in visible_text(page)
        check_page(page, "set your password with an error")

        password = f"a quiet harbour {run}"
        if first_name == "Sasha":  # the second partner uses the keyboard alone
            _set_password_with_keyboard(page, link, password)
        else:
            page.get_by_label("New password").fill(password)
            page.get_by_label("Type it again").fill(password)
            page.get_by_role("button", name="Set my password").click()
        # a short welcome first (issue 13): one partner reads it through, the other skips
        page.wait_for_url(re.compile(r"/me/welcome/1$"))
        assert "Your password is set." in visible_text(page)
        if first_name == "Sasha":
            page.get_by_role("button", name="Skip").click()
        else:
            for step, heading in enumerate(("Welcome", "Who reads what",
                                            "Leaving quickly, and reminders"), start=1):
                assert page.get_by_role("heading", level=1).inner_text() == heading
                assert f"{step} of 3" in visible_text(page)
                check_page(page, f"welcome {step}")
                shot(page, "invite-couple", f"welcome-{step}")
                if step < 3:
                    page.get_by_role("link", name="Next").click()
                    page.wait_for_url(re.compile(rf"/me/welcome/{step + 1}$"))
            page.get_by_role("button", name="Go to my home").click()
        page.wait_for_url(re.compile(r"/me$"))
        assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {first_name}"
        # never shown again
        page.goto("/me/welcome/1")
        page.wait_for_url(re.compile(r"/me$"))
        assert "Casey Counselor" in visible_text(page)
        check_page(page, "client home after the invitation")
        shot(page, "invite-couple", f"home-{first_name.lower()}")

        # the link worked once
        page.goto(link)
        assert page.get_by_role("heading", level=1).inner_text() == "This link no longer works"

    # the counselor's view of the couple: both accepted
    counselor.get_by_role("link", name="Go to the couple's page").click()
    counselor.wait_for_url(re.compile(r"/couples/\d+$"))
    page_text = visible_text(counselor)
    assert partners[0][0] in page_text
    assert partners[1][0] in page_text
    assert "Invitation not yet accepted" not in page_text
    check_page(counselor, "couple page")
    shot(counselor, "invite-couple", "couple-page")
