"""Real-browser journeys: the app runs as a gunicorn process on a fresh database, and Debian's
chromium (driven by Playwright) uses it the way a person does.

One server and one browser serve the whole session; every test gets fresh browser contexts
(own cookies, own history). These tests never use the `app` fixture of tests/conftest.py, so
its per-test table cleaning leaves the server's database alone.

Without /usr/bin/chromium the journeys are skipped, unless BRIDGEWORK_REQUIRE_BROWSER=1 (set by
.ci/run), which turns a missing browser into a failure.
"""

from __future__ import annotations

import os

import pytest

from ..live import serve_demo
from . import support

CHROMIUM = os.environ.get("BRIDGEWORK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
TIMEOUT_MS = 7_000


def _unavailable(reason: str):
    if os.environ.get("BRIDGEWORK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser journeys required (BRIDGEWORK_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _chromium():
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(_chromium):
    """The app under gunicorn on 127.0.0.1, migrated and loaded with the demo practice."""
    # gthread: chromium's idle preconnections cannot block a worker
    with serve_demo(["--worker-class", "gthread", "--threads", "4",
                     "--access-logfile", "-"]) as server:
        yield server


@pytest.fixture(scope="session")
def browser(_chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium,
            args=CHROMIUM_ARGS,
            # Playwright turns the back/forward cache off; real browsers have it on, and
            # the back-button journeys must see what a person would see.
            ignore_default_args=["--disable-back-forward-cache"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """`new_page("phone" | "laptop")`: a page in a fresh context (own cookies and history).

    Whatever the journey, a server error (5xx), an uncaught script error or a Content Security
    Policy violation on any of its pages fails the test.
    """
    contexts = []
    problems: list[str] = []

    def watch(page):
        def on_response(response):
            if response.status >= 500 and response.url.startswith(live_server.url):
                problems.append(f"{response.status} from {response.url}")

        def on_console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                problems.append(f"CSP on {page.url}: {message.text}")

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))

    def open_page(size: str = "laptop"):
        options = {"phone": PHONE, "laptop": LAPTOP}[size]
        context = browser.new_context(base_url=live_server.url, locale="en-US", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", watch)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "during the journey:\n" + "\n".join(problems)


@pytest.fixture
def phone(new_page):
    return new_page("phone")


@pytest.fixture
def laptop(new_page):
    return new_page("laptop")


def pytest_terminal_summary(terminalreporter):
    folder = support.screenshot_folder(create=False)
    if folder.exists():
        terminalreporter.write_sep("-", "browser journeys")
        terminalreporter.write_line(f"screenshots: {folder}")
