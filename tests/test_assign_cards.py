"""The assign form does the work: exercises as cards, narrowed to the couple's open flags;
choosing one proposes its rhythm, who does it and its own instructions to adapt."""

from __future__ import annotations

import re

from sqlalchemy import select

from practice.exercises.models import Assignment
from practice.extensions import db

from .factories import TODAY, exercise, make_flag, noon_in_new_york


def _url(world, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/couples/{world.couple.id}/assignments/new" + (f"?{query}" if query else "")


def _card_titles(page):
    return re.findall(r'<li class="exercise-card[^"]*">\s*<h3 class="h4">([^<]+)</h3>', page)


def test_cards_show_purpose_rhythm_and_situations(world, client):
    trust = exercise("rebuild-trust")
    db.session.commit()
    client.login(world.counselor)
    page = client.get(_url(world)).get_data(as_text=True)
    assert len(_card_titles(page)) >= 12
    card = page.split("<h3 class=\"h4\">Rebuild trust, bit by bit</h3>")[1].split("</li>")[0]
    assert trust.purpose in card
    assert "Suggested: Every day" in card
    assert '<span class="tag">Betrayal and broken trust</span>' in card
    assert f"exercise={trust.id}" in card


def test_cards_narrow_to_the_couples_open_flags(world, client):
    exercise("rebuild-trust")
    make_flag(world.couple, "high", category="broken_trust")
    make_flag(world.couple, "low", category="external_stressors", status="resolved")
    db.session.commit()
    client.login(world.counselor)
    page = client.get(_url(world)).get_data(as_text=True)
    assert "For this couple's open flags (Betrayal and broken trust)" in page
    titles = _card_titles(client.get(_url(world, situation="flags")).get_data(as_text=True))
    assert "Rebuild trust, bit by bit" in titles
    assert "Laugh together" not in titles


def test_choosing_a_card_proposes_its_rhythm_and_its_own_text(world, client):
    laugh = exercise("laugh-together")
    db.session.commit()
    client.login(world.counselor)
    page = client.get(_url(world, exercise=laugh.id)).get_data(as_text=True)
    assert re.search(r'<input checked id="cadence-\d"[^>]*value="weekly"', page)
    assert re.search(r'<input checked id="who-0"[^>]*value="both"', page)
    assert re.search(rf'<option value="{laugh.id}" selected', page)
    box = page.split('name="instructions"')[1].split("</textarea>")[0]
    assert "Once a week, pick something light to share" in box
    assert f'name="instructions_from" type="hidden" value="{laugh.id}"' in page
    # the fields each rhythm needs are marked for the script; without it all are shown
    assert '<div data-show-for-cadence="weekdays">' in page
    assert '<div data-show-for-ends="count">' in page


def _assign(client, world, chosen, instructions):
    noon_in_new_york()
    return client.post_form(_url(world), {
        "exercise_id": chosen.id, "who": "both", "cadence": "weekly",
        "start_date": TODAY.isoformat(), "ends": "never", "instructions": instructions,
        "instructions_from": str(chosen.id)})


def test_unchanged_instructions_are_the_exercises_own(world, client):
    laugh = exercise("laugh-together")
    db.session.commit()
    client.login(world.counselor)
    assert _assign(client, world, laugh, laugh.instructions + "\n").status_code == 302
    assert db.session.scalars(select(Assignment)).one().instructions is None


def test_adapted_instructions_are_kept(world, client):
    laugh = exercise("laugh-together")
    db.session.commit()
    client.login(world.counselor)
    adapted = laugh.instructions.replace("Once a week", "Every Friday")
    assert _assign(client, world, laugh, adapted).status_code == 302
    assert db.session.scalars(select(Assignment)).one().instructions == adapted
