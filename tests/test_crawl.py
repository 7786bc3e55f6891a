"""A link checker over the demo practice, run as each demo login.

From "/" it follows every same-site `<a href>` breadth-first (the way an outside crawler would),
asserting that no page answers a server error and that no link the app renders leads to a
404 or a 500 for the user who sees it. Every POST form found is then sent once empty (only the
CSRF token and hidden inputs kept) from a second client signed in as the same user: bad input
must come back as a page or a redirect, never a 500.

Each demo login is its own test on a freshly seeded demo, all marked `crawl`: `make test` runs
them; `-m "not crawl"` leaves them out.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from practice.demo import DEMO_PASSWORD

pytestmark = pytest.mark.crawl

ROLES = [
    "admin@example.org",
    "supervisor@example.org",
    "counselor@example.org",
    "counselor2@example.org",
    "partner.a@example.org",
    "partner.b@example.org",
]
# Who else sees the records a login's forms change: their pages are crawled again after them.
OVERSEERS = {"counselor@example.org": ["supervisor@example.org"],
             "counselor2@example.org": ["supervisor@example.org"]}
# Downloads each login must reach: a focused session's .ics, the two CSV exports.
DOWNLOADS_EXPECTED = {"counselor@example.org": 1, "supervisor@example.org": 2}
MAX_PAGES = 300
SKIPPED_PREFIXES = ("/logout", "/exit", "/invite/", "/static/")
# An empty form comes back re-rendered with its errors, refused as a conflict, or redirected.
EMPTY_FORM_ANSWERS = {200, 302, 303, 400, 409, 422}
DOWNLOADS = {".ics": "text/calendar", ".csv": "text/csv"}


class PageParser(HTMLParser):
    """Collects link targets and POST forms (action and hidden inputs) of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str | None, dict[str, str]]] = []
        self.assets: list[str] = []
        self.get_forms: list[tuple[str | None, list[str]]] = []
        self.ids: set[str] = set()
        self.duplicate_ids: set[str] = set()
        self.references: list[str] = []  # ids named by label for= and aria-* attributes
        self.h1 = 0
        self._in_title = False
        self.title = ""
        self._form: tuple[str | None, dict[str, str]] | None = None
        self._get_form: tuple[str | None, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            if attributes["id"] in self.ids:
                self.duplicate_ids.add(attributes["id"])
            self.ids.add(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.references.append(attributes["for"])
        for name in ("aria-describedby", "aria-labelledby", "aria-controls"):
            self.references.extend((attributes.get(name) or "").split())
        if tag == "h1":
            self.h1 += 1
        self._in_title = tag == "title"
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag in ("link", "script", "img") and (attributes.get("href") or attributes.get("src")):
            self.assets.append(attributes.get("href") or attributes.get("src"))
        elif tag == "form":
            self._form = None
            self._get_form = None
            if (attributes.get("method") or "get").lower() == "post":
                self._form = (attributes.get("action"), {})
                self.forms.append(self._form)
            else:
                self._get_form = (attributes.get("action"), [])
                self.get_forms.append(self._get_form)
        elif (tag == "input" and self._form is not None and attributes.get("name")
              and (attributes.get("type") or "").lower() == "hidden"):
            self._form[1][attributes["name"]] = attributes.get("value") or ""
        elif (tag in ("input", "select", "textarea") and self._get_form is not None
              and attributes.get("name")):
            self._get_form[1].append(attributes["name"])

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "form":
            self._form = self._get_form = None


def same_site(base: str, href: str) -> str | None:
    """The path (and query) of a link on this site, or None for anything else."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    url, _fragment = urldefrag(urljoin("http://localhost" + base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != "localhost":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in(make_client, email):
    client = make_client()
    client.login(email, DEMO_PASSWORD)
    return client


def check_anchors(url: str, parser: PageParser, problems: list[str]) -> None:
    """Links within the page (the skip link, an error summary's links) land on an element,
    and no two elements share an id (a label or a link would find the wrong one)."""
    if parser.duplicate_ids:
        problems.append(f"{url} repeats the ids {sorted(parser.duplicate_ids)}")
    missing = sorted(set(parser.references) - parser.ids)
    if missing:
        problems.append(f"{url} has labels or aria references to missing ids {missing}")
    if not parser.title.strip() or parser.h1 != 1:
        problems.append(f"{url} has title {parser.title.strip()!r} and {parser.h1} h1 headings")
    for href in parser.links:
        if href.startswith("#") and len(href) > 1 and href[1:] not in parser.ids:
            problems.append(f"{url} links to {href}, which names no element on the page")


def crawl(client, problems: list[str], assets: set[str]):
    """Breadth-first from "/": returns (pages visited, downloads checked, forms found).

    Style sheets, scripts and images are fetched once per run (`assets` holds those checked).
    """
    # "/", a mistyped address and (for all but the admin) a forbidden one: the error pages'
    # own links must work too.
    starts = ["/", "/no-such-page", "/admin/"]
    queue: deque[tuple[str, str]] = deque((start, "(start)") for start in starts)
    seen = set(starts)
    pages = downloads = 0
    filters: set[str] = set()
    forms: dict[tuple[str, tuple], str] = {}
    while queue and pages < MAX_PAGES:
        url, referrer = queue.popleft()
        path = urlsplit(url).path
        download = next((kind for ext, kind in DOWNLOADS.items() if path.endswith(ext)), None)
        response = client.get(url)
        status = response.status_code
        # A link the app renders must work for whoever sees it: no 4xx, let alone a 5xx.
        if status >= 500 or (status >= 400 and referrer != "(start)"):
            problems.append(f"{status} {url} (linked from {referrer})")
            continue
        if download:
            downloads += 1
            if status != 200 or response.mimetype != download:
                problems.append(f"download {url} answered {status} {response.mimetype} "
                                f"(linked from {referrer})")
            continue
        pages += 1
        if status in (301, 302, 303, 307, 308):
            targets = [response.headers["Location"]]
        elif status in (200, 403, 404) and response.mimetype == "text/html":
            parser = PageParser()
            parser.feed(response.get_data(as_text=True))
            targets = parser.links
            check_anchors(url, parser, problems)
            for src in parser.assets:
                asset = same_site(url, src)
                if asset and asset not in assets:
                    assets.add(asset)
                    if client.get(asset).status_code != 200:
                        problems.append(f"asset {asset} is missing (used on {url})")
            for action, names in parser.get_forms:
                target = same_site(url, action or url)
                if target is None:
                    continue
                # A filter sent blank, or with a value no option has, is a page, not an error.
                for value in ("", "zz"):
                    query = "&".join(f"{name}={value}" for name in names)
                    probe = f"{urlsplit(target).path}?{query}"
                    if probe not in filters:
                        filters.add(probe)
                        code = client.get(probe).status_code
                        if code >= 500 or code in (404, 405):
                            problems.append(f"{code} on filter {probe} (form on {url})")
            for action, hidden in parser.forms:
                target = same_site(url, action or url)
                if target and not target.startswith(("/logout", "/exit")):
                    forms.setdefault((target, tuple(sorted(hidden.items()))), url)
        else:
            continue
        for href in targets:
            target = same_site(url, href)
            if target is None or target in seen or target.startswith(SKIPPED_PREFIXES):
                continue
            seen.add(target)
            queue.append((target, url))
    return pages, downloads, forms


def submit_empty(client, forms, problems: list[str]) -> int:
    for (action, hidden), page in forms.items():
        data = dict(hidden)
        data["csrf_token"] = client.csrf_token()
        response = client.post(action, data=data)
        if response.status_code not in EMPTY_FORM_ANSWERS:
            problems.append(f"{response.status_code} on empty POST {action} (form on {page})")
        elif response.mimetype == "text/html":
            parser = PageParser()
            parser.feed(response.get_data(as_text=True))
            check_anchors(f"empty POST {action}", parser, problems)
    return len(forms)


@pytest.fixture
def demo(app, ctx):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_signed_out_pages_have_no_server_errors_nor_broken_links(demo, make_client):
    problems: list[str] = []
    assets: set[str] = set()
    pages, _, _ = crawl(make_client(), problems, assets)
    assert not problems, "\n".join(problems)
    assert pages >= 1
    assert assets


@pytest.mark.parametrize("email", ROLES)
def test_no_server_errors_broken_links_nor_failing_empty_forms_for(demo, make_client, email):
    """Crawl as one demo login, send every form it found empty, then crawl again over what
    those submissions changed (paused work, deactivated staff…), as the login and as the
    supervisor of a counselor's couples."""
    problems: list[str] = []
    assets: set[str] = set()
    pages, downloads, forms = crawl(signed_in(make_client, email), problems, assets)
    sent = submit_empty(signed_in(make_client, email), forms, problems)
    pages_after = crawl(signed_in(make_client, email), problems, assets)[0]
    for overseer in OVERSEERS.get(email, []):
        crawl(signed_in(make_client, overseer), problems, assets)
    print(f"crawl coverage for {email}: {pages} pages, {downloads} downloads, "  # noqa: T201
          f"{sent} forms, {pages_after} pages after the forms, {len(assets)} assets")
    assert not problems, "\n".join(problems)
    assert pages >= 5
    assert sent >= 1
    assert downloads >= DOWNLOADS_EXPECTED.get(email, 0)
