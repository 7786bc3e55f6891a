"""Time-zone choices people can use; the flag page's free text at full width; references to a
check-in, flag or appointment are links."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from practice import clock
from practice.admin.services import get_settings
from practice.extensions import db
from practice.flags.services import complete_screen, raise_flag, schedule_session

from .factories import make_checkin


def _groups(page: str) -> dict[str, list[str]]:
    select = page.split('<select id="timezone"')[1].split("</select>")[0]
    return {label: re.findall(r'value="([^"]+)"', body)
            for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>',
                                          select, re.S)}


def test_the_practice_countrys_zones_come_first(world, client):
    get_settings().default_timezone = "America/Chicago"
    db.session.commit()
    client.login(world.counselor)
    groups = _groups(client.get("/couples/new").get_data(as_text=True))
    first, everything = list(groups)
    assert first == "Common in United States"
    assert groups[first][:2] == ["America/New_York", "America/Detroit"]
    assert "Europe/London" not in groups[first]
    assert "Europe/London" in groups["All time zones"]
    offered = [z for zones in groups.values() for z in zones]
    assert "Factory" not in offered
    assert "localtime" not in offered
    assert "US/Eastern" not in offered  # legacy alias: its canonical name is listed


def test_without_a_country_a_short_common_list_comes_first(world, client):
    client.login(world.counselor)
    groups = _groups(client.get("/couples/new").get_data(as_text=True))
    assert list(groups)[0] == "Common time zones"
    assert groups["Common time zones"][0] == "UTC"


def test_factory_and_localtime_are_refused(world, client):
    client.login(world.counselor)
    for zone in ("Factory", "localtime"):
        response = client.post_form("/couples/new", {
            "label": "Zone test", "timezone": zone, "partner1_name": "Lee Ng",
            "partner1_email": f"{zone.lower()}@test.example"})
        assert "Choose a time zone from the list." in response.text


def test_the_flag_page_links_its_check_in_and_sessions_and_gives_text_full_width(world,
                                                                                client):
    clock.set_clock(datetime(2026, 12, 1, 12, 0))
    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=3)
    flag = raise_flag(world.couple, "broken_trust", "high", "Words the counselor wrote.",
                      "counselor", partner=world.partner_a, checkin=checkin,
                      actor=world.counselor)
    session = schedule_session(flag, world.counselor, day=date(2026, 12, 3), start=time(10),
                               duration_minutes=50, mode="joint", partner_id=None,
                               agenda=None, joint_safety_reason=None)
    db.session.commit()
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}/flags/{flag.id}").get_data(as_text=True)
    assert f'href="/couples/{world.couple.id}/checkins/{checkin.id}"' in page
    assert f'href="/couples/{world.couple.id}/appointments/{session.id}"' in page
    assert f"Check-in #{checkin.id}" not in page  # the reference is a link, not plain text
    assert '<p class="note free-text">Words the counselor wrote.</p>' in page
    kv = page.split('<dl class="kv">')[1].split("</dl>")[0]
    assert "Words the counselor wrote." not in kv


def test_the_partners_own_words_on_a_harm_flag_use_the_full_width(world, client):
    _screen, flag = complete_screen(world.partner_a, world.couple,
                                    {"afraid": "yes", "threatened": "no", "controlled": "no",
                                     "hurt": "no"}, "What I wrote myself.", "first_login")
    db.session.commit()
    client.login(world.counselor)
    page = client.get(f"/couples/{world.couple.id}/flags/{flag.id}").get_data(as_text=True)
    assert '<p class="note free-text">What I wrote myself.</p>' in page
    for kv in re.findall(r'<dl class="kv">(.*?)</dl>', page, re.S):
        assert "What I wrote myself." not in kv
