"""The session brief: the summary since the last session on a page made to print."""

from __future__ import annotations

from sqlalchemy import select

from practice.audit.models import AuditEntry
from practice.extensions import db

from .factories import make_checkin
from .test_since_last_session import story  # noqa: F401  (the fixture)


def test_the_brief_holds_every_answer_in_full_and_is_audited_as_an_export(world, client,
                                                                         story):  # noqa: F811
    long_text = "word " * 80
    make_checkin(world.partner_b, couple=world.couple, reflection=long_text.strip())
    db.session.commit()
    client.login(world.supervisor)
    response = client.get(f"/couples/{world.couple.id}/brief")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert long_text.strip() in body
    for said in ("we talked openly", "felt unheard", "only for you"):
        assert said in body
    assert "before the session" not in body
    assert f"{world.couple.label} · session brief" in body
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export_session_brief")).all()
    assert [(e.actor_id, e.couple_id) for e in entries] == [(world.supervisor.id,
                                                             world.couple.id)]


def test_the_couple_page_opens_the_brief(world, client, story):  # noqa: F811
    client.login(world.counselor)
    body = client.get(f"/couples/{world.couple.id}").get_data(as_text=True)
    assert f'href="/couples/{world.couple.id}/brief">Prepare for session</a>' in body


def test_the_print_stylesheet_hides_controls_and_breaks_pages():
    from pathlib import Path

    css = (Path(__file__).parents[1] / "practice/static/css/app.css").read_text()
    printed = css.split("/* ---------- Session brief")[1]
    assert ".brief :is(.btn, button, form, nav)" in printed
    assert "break-before: page" in printed
    assert "position: fixed" in printed.split(".brief-running-head {")[2]
