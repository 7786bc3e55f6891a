"""In a real browser: the quick exit leaves for the neutral site and replaces the history entry,
so Back does not return to the page the client was on."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from . import factories

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def live_server(app, world):
    if CHROMIUM is None:
        if os.environ.get("BRIDGEWORK_REQUIRE_BROWSER"):
            pytest.fail("chromium is required for the browser tests")
        pytest.skip("chromium is not installed")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    old_name, old_exit = app.config["SERVER_NAME"], app.config["QUICK_EXIT_URL"]
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["SERVER_NAME"] = f"127.0.0.1:{server.server_port}"
    app.config["QUICK_EXIT_URL"] = f"{base}/healthz"  # a neutral page that needs no network
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join()
        app.config["SERVER_NAME"], app.config["QUICK_EXIT_URL"] = old_name, old_exit


def test_quick_exit_replaces_the_page_in_history(live_server, world):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{live_server}/login")
            page.fill("input[name=email]", world.partner_a.email)
            page.fill("input[name=password]", factories.PASSWORD)
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_url(f"{live_server}/me")
            page.goto(f"{live_server}/me/safety")
            page.click("a.quick-exit")
            page.wait_for_url(f"{live_server}/healthz")
            page.go_back()
            assert page.url != f"{live_server}/me/safety"
            assert page.url == f"{live_server}/me"
        finally:
            browser.close()


def test_the_clients_safety_pages_pass_axe(live_server, world):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.goto(f"{live_server}/login")
            page.fill("input[name=email]", world.partner_a.email)
            page.fill("input[name=password]", factories.PASSWORD)
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_url(f"{live_server}/me")
            for url in ("/me", "/me/safety-check", "/me/safety"):
                page.goto(live_server + url)
                results = Axe().run(page)
                assert results.violations_count == 0, (url, results.generate_report())
        finally:
            browser.close()
