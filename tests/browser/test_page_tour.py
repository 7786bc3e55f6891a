"""Every foundation page, on a phone and on a laptop: axe finds no serious or critical
violation, nothing scrolls sideways, and forms sent empty explain what to fix.

Nothing here changes data: forms are only ever sent with mistakes.
"""

from __future__ import annotations

import re

import pytest

from .support import caseload, check_page, shot, sign_in, visible_text

pytestmark = pytest.mark.browser
SIZES = ["phone", "laptop"]


def _h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


@pytest.mark.parametrize("size", SIZES)
def test_admin_pages(new_page, size):
    page = new_page(size)
    sign_in(page, "admin@example.org")
    check_page(page, "staff list")

    page.get_by_role("link", name="New staff account").click()
    assert _h1(page) == "New staff account"
    check_page(page, "new staff form")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("alert").is_visible()
    check_page(page, "new staff form with errors")
    shot(page, "page-tour", "admin-new-staff-errors")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Practice settings").click()
    assert _h1(page) == "Practice settings"
    check_page(page, "practice settings")
    shot(page, "page-tour", "admin-settings")

    page.goto("/admin/")
    page.get_by_role("link", name="Supervision for Sam Supervisor").click()
    assert _h1(page) == "Who Sam Supervisor supervises"
    group = page.get_by_role("group", name="Counselors this person supervises")
    assert group.get_by_role("checkbox", name="Casey Counselor").is_checked()
    check_page(page, "supervision form")
    shot(page, "page-tour", "admin-supervision")


@pytest.mark.parametrize("size", SIZES)
def test_counselor_pages(new_page, size):
    page = new_page(size)
    sign_in(page, "counselor@example.org")
    caseload(page).get_by_role("link", name="Rivera & Chen").click()
    check_page(page, "couple page")
    shot(page, "page-tour", "couple-page")

    page.get_by_role("link", name="Edit couple").click()
    assert _h1(page) == "Edit Rivera & Chen"
    page.get_by_label("Name for this couple").fill("")
    page.get_by_role("button", name="Save changes").click()
    assert "Give the couple a name you will recognise." in visible_text(page)
    assert page.get_by_label("Name for this couple").get_attribute("aria-invalid") == "true"
    check_page(page, "edit couple with errors")
    shot(page, "page-tour", "edit-couple-errors")

    page.goto("/caseload")
    caseload(page).get_by_role("link", name="Brennan").click()
    page.get_by_role("link", name="Add the second partner").click()
    assert _h1(page) == "Add the second partner to Brennan"
    page.get_by_role("button", name="Add partner and make invitation link").click()
    assert "Enter the partner's name." in visible_text(page)
    check_page(page, "add partner with errors")

    page.goto("/couples/999999")
    assert _h1(page) == "We could not find that page"
    check_page(page, "404 page")
    shot(page, "page-tour", "not-found")


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_client_and_public_pages(new_page, size):
    page = new_page(size)
    page.goto("/invite/not-a-real-token")
    assert _h1(page) == "This link no longer works"
    check_page(page, "invitation link that does not work")

    sign_in(page, "supervisor@example.org")
    assert _h1(page) == "Your team"
    assert "Casey Counselor" in visible_text(page)
    check_page(page, "team page")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))
    sign_in(page, "partner.a@example.org")
    page.goto("/caseload")  # another role's page
    assert _h1(page) == "This page is not part of your work here"
    check_page(page, "403 page for a client")
    shot(page, "page-tour", "client-forbidden")
