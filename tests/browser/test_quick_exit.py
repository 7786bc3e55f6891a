"""Quick exit on a client's page: it leaves for a neutral site at once, and Back does not
return to the client's page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .support import check_page, go_back, neutral_site, shot, sign_in, visible_text

pytestmark = pytest.mark.browser


def _assert_left_for_neutral_site(page, seen, client_text: str) -> None:
    page.get_by_role("heading", name="Weather today").wait_for()
    assert urlsplit(page.url).hostname != "127.0.0.1"
    assert seen, "the neutral site was never asked for"
    assert "referer" not in seen[-1].headers, "the neutral site must not learn where we came from"

    go_back(page)
    text = visible_text(page)
    assert client_text not in text, "Back returned to the client's page"
    assert "Casey Counselor" not in text
    # the client's page left the history; the one before it asks for a password again
    assert urlsplit(page.url).path == "/login"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_quick_exit_button_leaves_and_back_does_not_return(new_page, size):
    page = new_page(size)
    sign_in(page, "partner.a@example.org")
    assert "Hello, Alex" in visible_text(page)
    check_page(page, "client home")
    shot(page, "quick-exit", "client-home")
    seen = neutral_site(page)

    page.get_by_role("link", name="Quick exit").click()
    _assert_left_for_neutral_site(page, seen, "Hello, Alex")
    shot(page, "quick-exit", "after-back")


def test_three_escapes_leave_too(phone):
    page = phone
    sign_in(page, "partner.b@example.org")
    assert "Hello, Blake" in visible_text(page)
    seen = neutral_site(page)
    for _ in range(3):
        page.keyboard.press("Escape")
    _assert_left_for_neutral_site(page, seen, "Hello, Blake")


def test_quick_exit_on_the_sign_in_page(phone):
    page = phone
    page.goto("/login")
    neutral_site(page)
    page.get_by_role("link", name="Quick exit").click()
    page.get_by_role("heading", name="Weather today").wait_for()
    assert page.url.startswith("http")
    assert urlsplit(page.url).hostname != "127.0.0.1"
