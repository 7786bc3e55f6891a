"""Issue 13, point 1: after Quick exit, Back, reload and the history list show nothing that
names a client page, and the pinned Quick exit never lies over the page's text."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .support import check_page, go_back, neutral_site, shot, sign_in, visible_text

pytestmark = pytest.mark.browser
JOURNEY = "client-exit-trace"
NEUTRAL_TITLE = re.compile(r"^.+ · Account$")
CLIENT_WORDS = ("Hello, Alex", "Getting help", "safety", "private", "Casey Counselor")


def _history(page) -> list[dict]:
    """The tab's history entries (address and title), as the browser keeps them."""
    cdp = page.context.new_cdp_session(page)
    try:
        return cdp.send("Page.getNavigationHistory")["entries"]
    finally:
        cdp.detach()


def _assert_nothing_names_the_client_page(page) -> None:
    assert urlsplit(page.url).path == "/login"
    assert "next" not in page.url
    assert page.title().startswith("Sign in · ")
    text = visible_text(page)
    for word in ("Hello, Alex", "Casey Counselor", "Getting help"):
        assert word not in text


def test_exit_back_and_reload_leave_no_trace(phone):
    page = phone
    sign_in(page, "partner.a@example.org")
    assert NEUTRAL_TITLE.match(page.title())
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My check-ins").click()
    page.wait_for_url(re.compile(r"/me/checkins$"))
    assert NEUTRAL_TITLE.match(page.title())
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Getting help").click()
    page.wait_for_url(re.compile(r"/me/safety$"))
    assert NEUTRAL_TITLE.match(page.title())
    check_page(page, "getting help")
    shot(page, JOURNEY, "before-exit")
    entries_before = len(_history(page))
    seen = neutral_site(page)

    page.get_by_role("link", name="Quick exit").click()
    page.get_by_role("heading", name="Weather today").wait_for()
    assert seen
    history = _history(page)
    # the exit replaced the page it was pressed on instead of adding an entry after it
    assert len(history) == entries_before
    assert not any(urlsplit(e["url"]).path == "/me/safety" for e in history)

    go_back(page)
    _assert_nothing_names_the_client_page(page)
    shot(page, JOURNEY, "after-back")
    page.reload()
    _assert_nothing_names_the_client_page(page)
    shot(page, JOURNEY, "after-reload")

    for entry in _history(page):
        assert "next=" not in entry["url"], entry
        if urlsplit(entry["url"]).hostname == "127.0.0.1":
            title = entry["title"]
            assert NEUTRAL_TITLE.match(title) or title.startswith("Sign in · "), entry
            for word in CLIENT_WORDS:
                assert word.lower() not in title.lower(), entry


def test_quick_exit_keeps_its_own_space_while_scrolling(phone):
    page = phone
    sign_in(page, "partner.a@example.org")
    page.goto("/me/checkins")
    header = page.locator(".site-header")
    button = page.get_by_role("link", name="Quick exit")
    # the header never wraps its menu: two rows at most on a phone
    assert header.bounding_box()["height"] <= 2 * 44 + 40
    for y in (0, 300, 900):
        page.evaluate(f"window.scrollTo(0, {y})")
        box, bar = button.bounding_box(), header.bounding_box()
        assert bar["y"] <= box["y"]
        assert box["y"] + box["height"] <= bar["y"] + bar["height"]
        assert bar["x"] <= box["x"]
        assert box["x"] + box["width"] <= bar["x"] + bar["width"]
        # what is drawn under the button's middle is the button, over the header's own
        # background: no text of the page lies beneath it
        hit = page.evaluate(
            "([x, y]) => { const el = document.elementFromPoint(x, y);"
            " return el && el.closest('.site-header') !== null; }",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert hit
        background = header.evaluate("el => getComputedStyle(el).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).position") \
        == "sticky"
    shot(page, JOURNEY, "scrolled")
