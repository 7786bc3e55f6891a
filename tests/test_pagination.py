"""Every long list pages the same way: the one pager, filters kept, a page past the end shows
the last page, and silly page numbers never fail."""

from __future__ import annotations

import re

from practice.exercises.models import Exercise
from practice.extensions import db

from .factories import make_couple


def _links(page: str, label: str) -> list[str]:
    nav = re.search(rf'<nav class="pagination" aria-label="{label}">(.*?)</nav>', page, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


def test_the_counselor_home_pages_its_couples_with_the_shared_pager(world, client):
    for n in range(25):
        make_couple(world.counselor, label=f"Pair {n:02d}")
    db.session.commit()
    client.login(world.counselor)
    first = client.get("/caseload").get_data(as_text=True)
    assert "/caseload?homework_page=2" in _links(first, "Homework pages")
    last = client.get("/caseload?homework_page=999").get_data(as_text=True)
    homework = last[last.index('id="homework"'):]
    homework = homework[:homework.index("</section>")]
    assert len(re.findall(r">(Pair \d\d)</a>", homework)) == 26 - 20  # the last page
    assert re.search(r'homework_page=2"\s*aria-current="page"', homework)


def test_the_exercise_library_pages_and_keeps_its_filter(world, client):
    for n in range(25):
        db.session.add(Exercise(title=f"Own exercise {n:02d}", purpose="p", instructions="i",
                                situations=["external_stressors"], owner_id=world.counselor.id))
    db.session.commit()
    client.login(world.counselor)
    page = client.get("/exercises/?situation=external_stressors").get_data(as_text=True)
    links = _links(page, "Pages")
    assert "/exercises/?situation=external_stressors&page=2" in [
        link.replace("&amp;", "&") for link in links]
    second = client.get("/exercises/?situation=external_stressors&page=2").get_data(as_text=True)
    assert "Own exercise 24" in second
    assert "Own exercise 00" not in second
    for query in ("page=abc", "page=-4", "page=100000000000"):
        assert client.get(f"/exercises/?{query}").status_code == 200


def test_a_counselors_couples_in_drill_down_and_the_staff_list_are_paged(world, client):
    from practice.auth.services import create_user

    for n in range(55):
        make_couple(world.counselor, label=f"Held {n:02d}")
    for n in range(50):
        create_user(f"staff{n}@test.example", f"Staff {n:02d}", "counselor")
    db.session.commit()
    client.login(world.supervisor)
    first = client.get(f"/supervision/counselors/{world.counselor.id}").get_data(as_text=True)
    assert len(re.findall(r">Held \d\d</a>", first)) == 50 - 1  # and the first couple
    assert f"/supervision/counselors/{world.counselor.id}?page=2" in _links(first, "Couple pages")
    admin = client.application.test_client()
    admin.login(world.admin)
    staff = admin.get("/admin/").get_data(as_text=True)
    assert "/admin/?page=2" in _links(staff, "Staff pages")
    assert admin.get("/admin/?page=2").status_code == 200


def test_the_audit_log_finds_a_couple_by_part_of_its_name(world, client, make_client):
    world.couple.label = "Harbour & Quay"
    db.session.commit()
    counselor = make_client()
    counselor.login(world.counselor)
    counselor.get(f"/couples/{world.couple.id}")
    client.login(world.supervisor)
    page = client.get("/supervision/audit?couple=harbour").get_data(as_text=True)
    assert "couple viewed" in page
    assert '<select id="couple"' not in page  # a search box, not a list of every couple
    assert "0 entries" in client.get("/supervision/audit?couple=nobody%25").get_data(
        as_text=True)
