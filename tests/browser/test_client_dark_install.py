"""Issue 13, point 9, on a phone: the dark theme follows the phone's setting, with no serious
accessibility finding on any page a client sees (nor on the counselor's main pages); the app is
installable, its service worker keeps nothing but static files and an offline page, and
without a network the offline page answers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .support import check_page, shot, sign_in

pytestmark = pytest.mark.browser
JOURNEY = "dark-and-installable"
CLIENT_PAGES = ("/me", "/me/checkins", "/me/safety", "/me/safety-check")


def _is_dark(page) -> bool:
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", background)[:3])
    return red + green + blue < 3 * 60


def _cached_paths(page) -> list[str]:
    return page.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) out.push(new URL(request.url).pathname);
        }
        return out;
    }""")


def test_dark_theme_is_clean_for_clients_and_counselors(new_page):
    page = new_page("phone")
    page.emulate_media(color_scheme="dark")
    sign_in(page, "partner.a@example.org")
    assert _is_dark(page)
    for path in CLIENT_PAGES:
        page.goto(path)
        check_page(page, f"dark {path}")
        shot(page, JOURNEY, "dark" + path.replace("/", "-"))
    # a check-in with feedback, and a check-in form
    page.goto("/me/checkins")
    page.get_by_role("region", name="What you sent").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/me/checkins/\d+$"))
    check_page(page, "dark check-in")
    shot(page, JOURNEY, "dark-checkin")
    page.goto("/me")
    homework = page.get_by_role("region", name="Your homework")
    homework.locator("a.btn").first.click()
    page.wait_for_url(re.compile(r"/me/checkins/\d+/\d{4}-\d{2}-\d{2}$"))
    check_page(page, "dark check-in form")
    shot(page, JOURNEY, "dark-checkin-form")

    counselor = new_page("laptop")
    counselor.emulate_media(color_scheme="dark")
    sign_in(counselor, "counselor@example.org")
    assert _is_dark(counselor)
    check_page(counselor, "dark caseload")
    shot(counselor, JOURNEY, "dark-caseload")
    counselor.get_by_role("region", name="Your caseload").get_by_role(
        "link", name="Rivera & Chen").click()
    counselor.wait_for_url(re.compile(r"/couples/\d+$"))
    check_page(counselor, "dark couple page")
    shot(counselor, JOURNEY, "dark-couple")


def test_light_stays_light(phone):
    phone.emulate_media(color_scheme="light")
    sign_in(phone, "partner.b@example.org")
    assert not _is_dark(phone)


def test_installable_caches_only_static_files_and_works_offline(phone):
    page = phone
    sign_in(page, "partner.a@example.org")
    manifest = page.evaluate(
        "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()")
    assert manifest["name"] == "Notes"
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    for path in CLIENT_PAGES:
        page.goto(path)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    cached = _cached_paths(page)
    assert "/offline" in cached
    for path in cached:
        assert path == "/offline" or path.startswith("/static/"), f"{path} was cached"

    page.context.set_offline(True)
    try:
        page.goto("/me/checkins")
        assert page.get_by_role("heading", level=1).inner_text() == "No connection"
        assert "Alex" not in page.locator("body").inner_text()
        check_page(page, "offline page")
        shot(page, JOURNEY, "offline")
    finally:
        page.context.set_offline(False)
    assert urlsplit(page.url).path == "/me/checkins"
