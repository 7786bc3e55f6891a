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
