"""Helpers for the browser journeys: accessibility checks, screenshots, signing in, keyboard."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "bridgework-demo"
SERIOUS = ("serious", "critical")
_RUN_STAMP = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def screenshot_folder(create: bool = True) -> Path:
    """test-artifacts/screenshots/<this run's start time, UTC>/ under the project root."""
    folder = ROOT / "test-artifacts" / "screenshots" / _RUN_STAMP
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def size_of(page) -> str:
    return "phone" if page.viewport_size["width"] < 600 else "laptop"


def shot(page, journey: str, name: str) -> Path:
    """A full-page screenshot: <run folder>/<journey>/<name>-<phone|laptop>.png."""
    folder = screenshot_folder() / journey
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{size_of(page)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_check(page, name: str) -> None:
    """Run axe-core (bundled with axe-playwright-python, no download) on the page as it is now.

    Fails on any serious or critical violation, listing each with the elements at fault.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not bad, (
        f"axe: serious/critical accessibility violations on {name} ({size_of(page)}, "
        f"{page.url}):\n{_format_violations(bad)}"
    )


def visible_text(page) -> str:
    return page.locator("body").inner_text()


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, by its labels, and wait for the page after it."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, limit: int = 40) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    assert is_focused(locator), f"{locator} was not reached with {limit} Tab presses"


def focus_outline(locator) -> tuple[str, float]:
    """(outline style, outline width in px) of the element as it is drawn now."""
    style, width = locator.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    return style, float(width.removesuffix("px") or 0)


def assert_focus_visible(locator) -> None:
    style, width = focus_outline(locator)
    message = f"focused element shows no visible focus outline ({style} {width}px): {locator}"
    assert style != "none", message
    assert width >= 2, message


def go_back(page) -> None:
    """The browser's Back button. The back/forward cache is on (as in a person's browser), and a
    page restored from it fires no new load event, so wait only for the navigation to commit."""
    page.go_back(wait_until="commit")
    page.wait_for_load_state()


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def layout_check(page, name: str) -> None:
    """Nothing wider than the screen, and the fixed Quick exit covers none of the header."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"{name} ({size_of(page)}) scrolls sideways: {widths[0]}px of content in {widths[1]}px"
    )
    exit_link = page.locator("a.quick-exit")
    if exit_link.count():
        button = exit_link.bounding_box()
        for item in page.locator(".site-header .brand, .site-nav a, .site-nav button").all():
            box = item.bounding_box()
            assert box is None or not _overlap(button, box), (
                f"{name} ({size_of(page)}): Quick exit covers {item.inner_text()!r}"
            )


def check_page(page, name: str) -> None:
    """axe_check and layout_check: run on every page a journey visits."""
    axe_check(page, name)
    layout_check(page, name)


def caseload(page):
    """The counselor home's list of couples (other panels link to couples too)."""
    return page.get_by_role("region", name="Your caseload")


# ------------------------------------------------------------------ a fresh couple for a journey


@dataclass
class Partner:
    name: str
    email: str
    password: str
    page: object = None  # their phone, signed in once the invitation is accepted

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


@dataclass
class Couple:
    label: str
    url: str  # the couple's page, for its counselor
    a: Partner
    b: Partner


def new_couple(counselor, new_page, journey: str, surnames=("Quinn", "Ortega"),
               firsts=("Robin", "Sasha"), timezone: str = "Europe/London",
               accept: bool = True) -> Couple:
    """The signed-in counselor adds a couple with two partners (names made unique with a run
    id); unless `accept` is False, each partner opens their invitation link on a phone and
    sets a password. Returns the couple, with each partner's phone page signed in on their
    home."""
    run = uuid.uuid4().hex[:6]
    label = f"{surnames[0]} & {surnames[1]} {run}"
    partners = [
        Partner(f"{first} {surname}", f"{first.lower()}.{run}@example.org",
                f"a quiet harbour {run}")
        for first, surname in zip(firsts, surnames, strict=True)
    ]
    counselor.goto("/couples/new")
    counselor.get_by_label("Name for this couple").fill(label)
    counselor.get_by_label("Their time zone").select_option(timezone)
    for number, partner in enumerate(partners, start=1):
        counselor.get_by_label(f"Partner {number} name").fill(partner.name)
        counselor.get_by_label(f"Partner {number} email").fill(partner.email)
    counselor.get_by_role("button", name="Create couple and invitation links").click()
    counselor.get_by_role("heading", name=f"Invitation links for {label}").wait_for()
    check_page(counselor, "invitation links")
    shot(counselor, journey, "invitation-links")
    links = [counselor.get_by_label(f"Invitation link for {p.name}").input_value()
             for p in partners]
    for partner, link in zip(partners, links, strict=True):
        if not accept:
            break
        page = new_page("phone")
        page.goto(link)
        check_page(page, "set your password")
        page.get_by_label("New password").fill(partner.password)
        page.get_by_label("Type it again").fill(partner.password)
        page.get_by_role("button", name="Set my password").click()
        skip_welcome(page)
        assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {partner.first_name}"
        partner.page = page
    counselor.get_by_role("link", name="Go to the couple's page").click()
    counselor.wait_for_url(re.compile(r"/couples/\d+$"))
    return Couple(label=label, url=counselor.url, a=partners[0], b=partners[1])


def skip_welcome(page) -> None:
    """After setting a password a client sees a short welcome (issue 13): skip it, home."""
    page.wait_for_url(re.compile(r"/me/welcome/1$"))
    page.get_by_role("button", name="Skip").click()
    page.wait_for_url(re.compile(r"/me$"))


def main_text(page) -> str:
    """The visible text of the page's main region (what changes with the data)."""
    return page.locator("main").inner_text()


NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather today</h1></html>"


def neutral_site(page) -> list:
    """Answer every host but the app's locally (there is no internet here), as the neutral
    site the Quick exit leaves for; returns the requests it answered."""
    seen = []

    def fulfil(route):
        seen.append(route.request)
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), fulfil)
    return seen
