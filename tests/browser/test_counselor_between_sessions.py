"""Counselors between sessions, on a 1280×800 laptop: record an appointment and find it on the
home, subscribe to the calendar; read the couple's story since the last session above the fold
and print the session brief; review seven check-ins within nine clicks of signing in."""

from __future__ import annotations

import re
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .support import check_page, main_text, new_couple, shot, sign_in

pytestmark = pytest.mark.browser
JOURNEY = "between-sessions"
FOLD = 800


def test_record_an_appointment_and_subscribe_to_the_calendar(laptop, new_page):
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, accept=False)
    counselor.get_by_role("link", name="Record an appointment").click()
    check_page(counselor, "record an appointment")
    tomorrow = datetime.now(ZoneInfo("Europe/London")).date() + timedelta(days=1)
    counselor.get_by_label("Date").fill(tomorrow.isoformat())
    counselor.get_by_label("Start time").fill("10:00")
    counselor.get_by_role("group", name="Session").get_by_label("Joint").check()
    shot(counselor, JOURNEY, "record-appointment")
    counselor.get_by_role("button", name="Save appointment").click()
    counselor.wait_for_url(re.compile(r"/appointments/\d+$"))
    assert "Appointment saved for" in main_text(counselor)
    check_page(counselor, "appointment")
    with counselor.expect_download() as download:
        counselor.get_by_role("link", name="Download .ics").click()
    assert download.value.suggested_filename.endswith(".ics")

    # the session note: a draft, then signed; afterwards it cannot be edited
    appointment_url = counselor.url
    counselor.get_by_role("link", name="Write the note").click()
    counselor.get_by_label("Note").fill("Both arrived on time; agreed a weekly check-in.")
    check_page(counselor, "session note")
    counselor.get_by_role("button", name="Save draft").click()
    assert "Draft saved." in main_text(counselor)
    counselor.get_by_role("link", name="Continue the draft").click()
    counselor.once("dialog", lambda dialog: dialog.accept())
    counselor.get_by_role("button", name="Sign and lock").click()
    note = counselor.get_by_role("region", name="Session note (staff only)")
    assert "Signed and locked" in note.inner_text()
    assert note.get_by_role("link", name=re.compile("draft|Write")).count() == 0
    shot(counselor, JOURNEY, "note-signed")
    counselor.goto(appointment_url + "/note")
    assert "This note is signed and locked. Add a dated addendum instead." in main_text(counselor)
    assert counselor.get_by_label("Note", exact=True).count() == 0
    counselor.get_by_label("Addendum").fill("Sent the worksheet afterwards.")
    counselor.get_by_role("button", name="Sign and add").click()
    assert "Sent the worksheet afterwards." in note.inner_text()
    check_page(counselor, "signed note with an addendum")

    counselor.get_by_role("link", name="Caseload").click()
    agenda = counselor.get_by_role("region", name="Sessions today and tomorrow")
    assert couple.label in agenda.inner_text().split("Tomorrow")[1]
    check_page(counselor, "counselor home with sessions")
    shot(counselor, JOURNEY, "home-sessions")

    agenda.get_by_role("link", name="Calendar subscription").click()
    counselor.get_by_role("button", name="Create a calendar address").click()
    address = counselor.get_by_label("Calendar address").input_value()
    check_page(counselor, "calendar subscription")
    shot(counselor, JOURNEY, "calendar-address")
    with urllib.request.urlopen(address) as response:  # noqa: S310 (our own server)
        feed = response.read().decode()
    assert f"Session: {couple.label}" in feed.replace("\r\n ", "")
    assert couple.a.name not in feed


def test_the_story_since_the_last_session_and_the_printed_brief(laptop):
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    counselor.get_by_role("link", name="Rivera & Chen").first.click()
    since = counselor.get_by_role("region", name=re.compile("^Since the last session"))
    box = since.bounding_box()
    assert box["y"] + box["height"] <= FOLD, f"the summary ends at {box['y'] + box['height']}px"
    for part in ("Each partner", "Homework done / due", "Flags", "Waiting for review",
                 "What was said"):
        assert part in since.inner_text()
    check_page(counselor, "couple page with the summary")
    shot(counselor, JOURNEY, "since-last-session")

    since.get_by_role("link", name="Prepare for session").click()
    counselor.wait_for_url(re.compile(r"/couples/\d+/brief$"))
    check_page(counselor, "session brief")
    counselor.emulate_media(media="print")
    shown = counselor.locator("button, .btn, form, nav, .site-header").filter(visible=True)
    assert shown.count() == 0, shown.all_inner_texts()
    assert counselor.locator(".brief-running-head").is_visible()
    shot(counselor, JOURNEY, "brief-printed")
    pdf = counselor.pdf(format="A4")  # what "Save as PDF" gives: one page per section at least
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 3
    (shot(counselor, JOURNEY, "brief-printed").parent / "brief.pdf").write_bytes(pdf)
    counselor.emulate_media(media="screen")


def _seven_waiting(live_server, label: str) -> None:
    """Seven check-ins sent by the new couple's partners, written straight to the server's
    database through the app's own models (sending them from phones is another journey)."""
    from sqlalchemy import select

    from practice import create_app
    from practice.couples.models import Couple
    from practice.extensions import db
    from tests.factories import make_assignment, make_checkin

    # The words are encrypted with the server's own key, so that it can read them.
    app = create_app({"SQLALCHEMY_DATABASE_URI": live_server.database_url,
                      "DATA_KEYS": [live_server.data_key]})
    with app.app_context():
        couple = db.session.scalar(select(Couple).where(Couple.label == label))
        today = datetime.now(ZoneInfo(couple.timezone)).date()
        assignment = make_assignment(couple, start=today - timedelta(days=10))
        for n in range(7):
            make_checkin(couple.partner_users[n % 2], assignment, today - timedelta(days=n + 1),
                         closeness=4 + n % 3, reflection=f"Evening {n}: we talked a little.")
        db.session.commit()
        db.engine.dispose()


def test_seven_check_ins_reviewed_within_nine_clicks(laptop, new_page, live_server):
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    couple = new_couple(counselor, new_page, JOURNEY, surnames=("Abara", "Lund"),
                        accept=False)
    _seven_waiting(live_server, couple.label)
    counselor.goto("/caseload")
    clicks = 0

    def click(locator):
        nonlocal clicks
        clicks += 1
        locator.click()

    click(counselor.get_by_role("link", name=couple.label).first)
    click(counselor.get_by_role("link", name="Review 7 waiting"))
    for left in range(7, 0, -1):
        counselor.wait_for_url(re.compile(r"/checkins/\d+\?unreviewed=1$"))
        assert f"Back to the list ({left} waiting)" in main_text(counselor)
        button = counselor.get_by_role("button", name="Mark reviewed and next")
        button_box = button.bounding_box()
        assert button_box["y"] + button_box["height"] <= FOLD, "the next step needs a scroll"
        if left == 7:
            check_page(counselor, "check-in in the review flow")
            shot(counselor, JOURNEY, "review-flow")
        click(button)
    counselor.wait_for_url(re.compile(r"/checkins\?unreviewed=1$"))
    assert "Nothing else is waiting for review here." in main_text(counselor)
    assert "No check-ins here yet." in main_text(counselor)
    assert clicks <= 9
    check_page(counselor, "review list, all done")
    shot(counselor, JOURNEY, "review-done")


def test_deactivating_a_counselor_with_a_caseload_goes_through_reassignment(laptop, new_page):
    run = datetime.now().strftime("%H%M%S%f")
    leaver_email, password = f"leaver.{run}@example.org", f"amber kettle lantern {run}"
    admin = laptop
    sign_in(admin, "admin@example.org")
    admin.get_by_role("link", name="New staff account").click()
    admin.get_by_label("Full name").fill(f"Lee Leaver {run}")
    admin.get_by_label("Email").fill(leaver_email)
    admin.get_by_label("Role").select_option("counselor")
    admin.get_by_label("Initial password").fill(password)
    admin.get_by_role("button", name="Create account").click()

    leaver = new_page("laptop")
    sign_in(leaver, leaver_email, password)
    first = new_couple(leaver, new_page, JOURNEY, surnames=("Imre", "Holt"), accept=False)
    second = new_couple(leaver, new_page, JOURNEY, surnames=("Vance", "Ode"), accept=False)

    admin.goto("/admin/")
    admin.get_by_role("link", name=re.compile(rf"Deactivate Lee Leaver {run}")).click()
    assert "holds 2 open couples" in main_text(admin)
    check_page(admin, "handover before deactivating")
    admin.get_by_label("All couples to").select_option(label="Casey Counselor")
    admin.get_by_label(f"{second.label} moves to").select_option(label="Jordan Counselor")
    admin.get_by_label("Reason").fill("Leaving the practice.")
    shot(admin, JOURNEY, "handover-form")
    admin.get_by_role("button", name="Continue").click()
    confirm = main_text(admin)
    assert f"{first.label}: from Lee Leaver {run} to Casey Counselor" in confirm
    assert f"{second.label}: from Lee Leaver {run} to Jordan Counselor" in confirm
    check_page(admin, "confirm the handover")
    shot(admin, JOURNEY, "handover-confirm")
    admin.get_by_role("button", name=re.compile("^Yes, move them")).click()
    assert f"2 couples moved; Lee Leaver {run} is deactivated." in main_text(admin)

    casey = new_page("laptop")
    sign_in(casey, "counselor@example.org")
    moves = casey.get_by_role("region", name="Couples that changed hands")
    assert f"{first.label} moved to you from Lee Leaver {run}" in moves.inner_text()
    check_page(casey, "home after a handover")
    shot(casey, JOURNEY, "handover-told")


def test_assign_from_the_cards(laptop, new_page):
    counselor = laptop
    sign_in(counselor, "counselor@example.org")
    new_couple(counselor, new_page, JOURNEY, surnames=("Reyes", "Kato"), accept=False)
    counselor.get_by_role("link", name="Assign homework").click()
    check_page(counselor, "assign: the exercise cards")
    shot(counselor, JOURNEY, "assign-cards")
    card = counselor.locator(".exercise-card").filter(
        has=counselor.get_by_role("heading", name="Laugh together"))
    assert "Suggested: Every week" in card.inner_text()
    card.get_by_role("link", name="Choose Laugh together").click()
    cadence = counselor.get_by_role("group", name="How often")
    assert cadence.get_by_label("Every week").is_checked()
    weekdays = counselor.get_by_role("group", name="On these days")
    assert not weekdays.is_visible()
    assert not counselor.get_by_label("End date").is_visible()
    cadence.get_by_label("On chosen days of the week").check()
    assert weekdays.is_visible()
    cadence.get_by_label("Once").check()
    assert not counselor.get_by_role("group", name="Ends").is_visible()
    cadence.get_by_label("Every week").check()
    counselor.get_by_text("Adapt the instructions for this couple").click()
    box = counselor.get_by_label("Instructions for this couple")
    assert box.input_value().startswith("1. Once a week, pick something light")
    box.fill(box.input_value().replace("Once a week", "Every Friday evening"))
    check_page(counselor, "assign: the chosen exercise")
    shot(counselor, JOURNEY, "assign-chosen")
    counselor.get_by_role("button", name="Save assignment").click()
    assert "Laugh together assigned." in main_text(counselor)
