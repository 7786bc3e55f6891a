"""A supervisor prepares supervision on a laptop: reads the team table, filters the flag queue,
moves a couple from one counselor to another, and downloads the caseload as CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .support import caseload, check_page, main_text, new_couple, shot, sign_in, visible_text

pytestmark = pytest.mark.browser
JOURNEY = "supervisor"
HARM = "Emotional or physical harm"
DEMO_CLIENT_WORDS = ("Alex Rivera", "Blake Chen", "partner.a@example.org", "Rivera & Chen")


def test_team_flags_reassign_and_export(laptop, new_page):
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, surnames=("Fenwick", "Iyer"),
                        firsts=("Pat", "Ravi"), accept=False)

    page = new_page("laptop")
    sign_in(page, "supervisor@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "Your team"
    team = page.get_by_role("region", name="Caseloads at a glance")
    for name in ("Casey Counselor", "Jordan Counselor"):
        assert team.get_by_role("rowheader", name=name).is_visible()
    check_page(page, "team")
    shot(page, JOURNEY, "team")

    # the flag queue, filtered to urgent harm flags
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Flags").click()
    page.wait_for_url(re.compile(r"/supervision/flags$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Flag review"
    check_page(page, "flag review")
    filters = page.get_by_role("form", name="Filter flags")
    filters.get_by_label("Category").select_option(label=HARM)
    filters.get_by_label("Severity").select_option(label="Urgent")
    filters.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"category=harm"))
    assert "severity=urgent" in page.url
    # the filters keep what was chosen
    assert page.get_by_label("Category").locator("option:checked").inner_text() == HARM
    assert page.get_by_label("Severity").locator("option:checked").inner_text() == "Urgent"
    rows = page.get_by_role("table").get_by_role("row").all()[1:]
    assert rows, "the demo has an urgent harm flag"
    for row in rows:
        cells = row.get_by_role("cell").all_inner_texts()
        assert cells[1] == HARM
        assert cells[2].startswith("Urgent")
    check_page(page, "flag review, filtered")
    shot(page, JOURNEY, "flags-filtered")

    filters = page.get_by_role("form", name="Filter flags")
    filters.get_by_label("Severity").select_option(label="Low")
    filters.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"severity=low"))
    assert "No flags match these filters." in main_text(page)
    check_page(page, "flag review with no match")

    # move the new couple from Casey to Jordan
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    page.get_by_role("region", name="Caseloads at a glance").get_by_role(
        "link", name="Casey Counselor").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Casey Counselor's caseload"
    check_page(page, "a counselor's caseload")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=couple.label))
    row.get_by_role("link", name="Reassign").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Reassign {couple.label}"
    check_page(page, "reassign")
    page.get_by_label("New counselor").select_option(label="Jordan Counselor")
    page.get_by_label("Reason").fill("Balancing caseloads.")
    shot(page, JOURNEY, "reassign")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Move {couple.label} from Casey Counselor to Jordan Counselor?")
    check_page(page, "confirm the move")
    page.get_by_role("button", name="Yes, move to Jordan Counselor").click()
    page.get_by_role("heading", name="Jordan Counselor's caseload").wait_for()
    assert (f"{couple.label} moved from Casey Counselor to Jordan Counselor."
            in visible_text(page))
    assert page.get_by_role("rowheader", name=couple.label).is_visible()
    check_page(page, "caseload after reassigning")
    shot(page, JOURNEY, "after-reassign")

    # Casey no longer sees the couple; Jordan does
    counselor.goto("/caseload")
    assert couple.label not in caseload(counselor).inner_text()
    counselor.goto(couple.url)
    assert counselor.get_by_role("heading", level=1).inner_text() == "We could not find that page"
    jordan = new_page("laptop")
    sign_in(jordan, "counselor2@example.org")
    caseload(jordan).get_by_role("link", name=couple.label).click()
    assert jordan.get_by_role("heading", level=1).inner_text() == couple.label
    check_page(jordan, "the couple, for the new counselor")
    shot(jordan, JOURNEY, "new-counselor-couple")

    # the caseload export: a header row, counselors' numbers, no client's words
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    with page.expect_download() as download_info:
        page.get_by_role("region", name="Caseloads at a glance").get_by_role(
            "link", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(r"caseload-\d{8}-\d{4}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as handle:
        content = handle.read()
    table = list(csv.reader(io.StringIO(content)))
    header, body = table[0], table[1:]
    assert header[0] == "counselor"
    assert "escalated flags" in header
    assert {row[0] for row in body} >= {"Casey Counselor", "Jordan Counselor"}
    assert all(len(row) == len(header) for row in body)
    for words in (*DEMO_CLIENT_WORDS, couple.label, couple.a.name, couple.b.name,
                  couple.a.email, "Balancing caseloads"):
        assert words not in content
