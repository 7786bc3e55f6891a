"""Harm: partner A answers the private safety screen with harm on a phone. A is shown the safety
page at once and the Quick exit works from it; partner B's pages read exactly as before, word
for word. The counselor sees the urgent flag and schedules an individual focused session; an
urgent flag left unacknowledged past the practice's window reaches the supervisor as escalated.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import DateTime, Integer, column, create_engine, select, table, text, update

from .support import (
    check_page,
    go_back,
    main_text,
    neutral_site,
    new_couple,
    shot,
    sign_in,
    visible_text,
)

pytestmark = pytest.mark.browser
JOURNEY = "harm"
HARM = "Emotional or physical harm"
PAUSE = "Your counselor has paused shared homework for now"


def _pages_of(page, name: str) -> dict[str, str]:
    """The text of the main region of the client's home, check-ins, getting help and every page
    the client's navigation links to, by path."""
    page.goto("/me")
    nav = page.get_by_role("navigation", name="Main")
    paths = {urlsplit(link.get_attribute("href")).path
             for link in nav.get_by_role("link").all()}
    paths |= {"/me", "/me/checkins", "/me/safety"}
    texts = {}
    for path in sorted(paths):
        page.goto(path)
        check_page(page, f"{name}'s {path}")
        shot(page, JOURNEY, f"{name}{path.replace('/', '-')}")
        texts[path] = main_text(page)
    return texts


def _pause_by_hand(counselor, couple_url: str, pause: bool) -> None:
    counselor.goto(couple_url)
    name = "Pause shared homework" if pause else "Resume shared homework"
    if pause:
        counselor.once("dialog", lambda dialog: dialog.accept())
    counselor.get_by_role("button", name=name).click()
    counselor.get_by_text("Shared homework is paused:" if pause
                          else "Shared homework has resumed.").first.wait_for()


def _answer_screen_with_harm(page) -> None:
    page.goto("/me")
    prompt = page.get_by_role("region", name="A few private questions")
    prompt.get_by_role("link", name="Start when you are on your own").click()
    page.wait_for_url(re.compile(r"/me/safety-check"))
    check_page(page, "privacy question")
    shot(page, JOURNEY, "privacy-question")
    page.get_by_role("radio", name="Yes, I can answer now").check()
    page.get_by_role("button", name="Continue").click()
    afraid = page.get_by_role("group", name=re.compile("has anyone at home made you feel afraid"))
    afraid.wait_for()
    check_page(page, "safety questions")
    for group in page.get_by_role("group").all():
        group.get_by_role("radio", name="No", exact=True).check()
    afraid.get_by_role("radio", name="Yes", exact=True).check()
    shot(page, JOURNEY, "safety-questions")
    page.get_by_role("button", name="Send to my counselor").click()
    page.wait_for_url(re.compile(r"/me/safety$"))


def test_harm_disclosure_safety_page_isolation_session_and_escalation(
        laptop, new_page, live_server):
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, surnames=("Hale", "Duarte"),
                        firsts=("Morgan", "Reese"))
    # shared homework, so B's pages have something a harm flag must not change
    counselor.get_by_role("link", name="Assign homework").click()
    counselor.get_by_label("Exercise").select_option(label="Laugh together")
    counselor.get_by_role("group", name="How often").get_by_label("Every day").check()
    counselor.get_by_role("button", name="Save assignment").click()
    counselor.wait_for_url(re.compile(r"/couples/\d+$"))
    couple_url = counselor.url
    a, b = couple.a, couple.b

    b.page.goto("/me")
    assert "Laugh together" in main_text(b.page)
    # A harm flag pauses shared homework at once (issue 13), so B's pages are first taken
    # while the counselor has paused it by hand: the automatic pause must read the same.
    _pause_by_hand(counselor, couple_url, pause=True)
    before = _pages_of(b.page, "b-before")
    assert PAUSE in before["/me"]
    assert "Laugh together" not in before["/me"]
    _pause_by_hand(counselor, couple_url, pause=False)

    # A discloses harm: the safety page, at once
    _answer_screen_with_harm(a.page)
    page = a.page
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
    assert "Your counselor will get in touch with you privately" in main_text(page)
    help_now = page.get_by_role("region", name="If you need help right now")
    engine = create_engine(live_server.database_url)
    with engine.connect() as conn:
        emergency, hotline = conn.execute(
            text("SELECT emergency_number, hotline_phone FROM practice_settings")).one()
    engine.dispose()
    for number in (emergency, hotline):
        call = help_now.get_by_role("link", name=number)
        assert call.is_visible()
        assert call.get_attribute("href").startswith("tel:")
    check_page(page, "safety page after a disclosure")
    shot(page, JOURNEY, "safety-page-a")

    # the Quick exit leaves at once, and Back does not return to the safety page
    seen = neutral_site(page)
    page.get_by_role("link", name="Quick exit").click()
    page.get_by_role("heading", name="Weather today").wait_for()
    assert seen, "the neutral site was never asked for"
    assert urlsplit(page.url).hostname != "127.0.0.1"
    go_back(page)
    # Back lands before the safety page: the answers form, which the browser would send
    # again, and which now only says the form expired (A is signed out): no page of A's
    assert urlsplit(page.url).path != "/me/safety"
    after_back = visible_text(page)
    for words in ("Thank you for telling us", a.first_name, "Casey Counselor", emergency,
                  "has anyone at home"):
        assert words not in after_back
    assert page.locator("input:checked").count() == 0, "A's answers must not come back"
    shot(page, JOURNEY, "a-after-quick-exit-and-back")

    # the counselor: an urgent harm flag on their home, about A
    counselor.goto("/caseload")
    flags = counselor.get_by_role("region", name="Flags that need you")
    row = flags.get_by_role("row").filter(has_text=couple.label)
    assert row.count() == 1
    assert "Urgent" in row.inner_text()
    assert a.name in row.inner_text()
    check_page(counselor, "counselor home with an urgent flag")
    shot(counselor, JOURNEY, "counselor-home")
    row.get_by_role("link", name=HARM).click()
    counselor.wait_for_url(re.compile(r"/flags/\d+$"))
    assert counselor.get_by_role("heading", level=1).inner_text() == HARM
    assert "from the partner's own answer" in main_text(counselor)
    assert "Private safety screen" in main_text(counselor)
    assert "Shared homework is paused while this harm flag is open" in main_text(counselor)
    check_page(counselor, "harm flag")
    shot(counselor, JOURNEY, "harm-flag")

    # a harm flag proposes an individual session with A
    counselor.get_by_role("link", name="Schedule a focused session").click()
    counselor.wait_for_url(re.compile(r"/sessions/new$"))
    assert counselor.get_by_role("radio", name="Individual").is_checked()
    assert counselor.get_by_label("With (individual sessions)").input_value() != ""
    selected = counselor.get_by_label("With (individual sessions)").locator("option:checked")
    assert selected.inner_text() == a.name
    check_page(counselor, "schedule a focused session")
    counselor.get_by_label("Date").fill((date.today() + timedelta(days=1)).isoformat())
    counselor.get_by_label("Start time").fill("10:30")
    counselor.get_by_label("Agenda").fill("Safety planning, individually.")
    shot(counselor, JOURNEY, "schedule-session")
    counselor.get_by_role("button", name="Schedule session").click()
    counselor.wait_for_url(re.compile(r"/flags/\d+$"))
    assert "Focused session scheduled for" in visible_text(counselor)
    sessions = counselor.get_by_role("region", name="Focused sessions")
    assert f"Individual with {a.name}" in sessions.inner_text()
    check_page(counselor, "harm flag with a session")
    shot(counselor, JOURNEY, "harm-flag-with-session")

    # A, signed in again, sees when; nothing says why
    sign_in(a.page, a.email, a.password)
    upcoming = a.page.get_by_role("region", name="Your upcoming sessions").inner_text()
    assert "10:30" in upcoming
    # an individual appointment reads as any other would: nothing says "just you"
    assert "Appointment with your counselor" in upcoming
    assert "just you" not in upcoming.lower()
    # and A sees the same neutral pause message as B
    assert PAUSE in main_text(a.page)
    check_page(a.page, "client home with a session")
    shot(a.page, JOURNEY, "a-home-with-session")

    # a second urgent flag, left unacknowledged
    counselor.goto(couple_url)
    counselor.get_by_role("region", name="Flags").get_by_role("link", name="Raise a flag").click()
    counselor.get_by_label("Situation").select_option(label=HARM)
    counselor.get_by_label("Severity").select_option(label="Urgent")
    counselor.get_by_label("About").select_option(label=a.name)
    counselor.get_by_label("What you noticed").fill("A worrying voicemail; call back.")
    check_page(counselor, "raise a flag")
    counselor.get_by_role("button", name="Raise flag").click()
    counselor.wait_for_url(re.compile(r"/flags/\d+$"))
    flag_id = int(counselor.url.rsplit("/", 1)[1])

    supervisor = new_page("laptop")
    sign_in(supervisor, "supervisor@example.org")
    escalated = supervisor.get_by_role("region", name="Escalated flags")
    assert couple.label not in escalated.inner_text()

    # the server is another process: its clock cannot be moved from here, so the flag is
    # made older in its database instead, past the urgent window (24 h by default)
    flags_table = table("flags", column("id", Integer), column("created_at", DateTime))
    engine = create_engine(live_server.database_url)
    with engine.begin() as conn:
        hours = conn.execute(text("SELECT urgent_ack_hours FROM practice_settings")).scalar_one()
        raised = conn.execute(select(flags_table.c.created_at)
                              .where(flags_table.c.id == flag_id)).scalar_one()
        conn.execute(update(flags_table).where(flags_table.c.id == flag_id)
                     .values(created_at=raised - timedelta(hours=hours + 1)))
    engine.dispose()

    supervisor.reload()
    escalated = supervisor.get_by_role("region", name="Escalated flags")
    rows = escalated.get_by_role("row").filter(has_text=couple.label)
    assert rows.count() == 1, "only the unacknowledged flag escalates, not the one in hand"
    assert "Escalated" in rows.inner_text()
    assert "Casey Counselor" in rows.inner_text()
    check_page(supervisor, "supervisor home with an escalated flag")
    shot(supervisor, JOURNEY, "supervisor-escalated")

    # B's pages read exactly as they did before any of this
    after = _pages_of(b.page, "b-after")
    assert after == before
