"""Counselors create couples, add partners and edit them; staff see only their caseload."""


from sqlalchemy import select

from practice.audit.models import AuditEntry
from practice.couples.models import Couple
from practice.extensions import db

from .factories import TODAY, noon_in_new_york


def _form(**overrides):
    data = {
        "label": "Ng & Ortiz",
        "timezone": "Europe/Paris",
        "partner1_name": "Lee Ng",
        "partner1_email": "lee@test.example",
        "partner2_name": "",
        "partner2_email": "",
    }
    data.update(overrides)
    return data


def test_a_couple_can_start_with_one_partner(world, client):
    client.login(world.counselor)
    response = client.post_form("/couples/new", _form())
    assert response.status_code == 200
    couple = db.session.scalar(select(Couple).where(Couple.label == "Ng & Ortiz"))
    assert couple.counselor_id == world.counselor.id
    assert [p.user.email for p in couple.partners] == ["lee@test.example"]
    page = client.get(f"/couples/{couple.id}/partners/new")
    assert page.status_code == 200
    added = client.post_form(
        f"/couples/{couple.id}/partners/new",
        {"display_name": "Sol Ortiz", "email": "sol@test.example"},
    )
    assert added.status_code == 200
    assert "/invite/" in added.text
    db.session.expire_all()
    assert len(db.session.get(Couple, couple.id).partners) == 2


def test_bad_input_keeps_what_was_typed(world, client):
    client.login(world.counselor)
    response = client.post_form(
        "/couples/new",
        _form(partner1_email="not-an-email", partner2_name="Sol Ortiz", label="Kept label"),
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert "Give both a name and an email for partner 2" in response.text
    assert 'value="Kept label"' in response.text
    assert 'value="Sol Ortiz"' in response.text
    assert db.session.scalar(select(Couple).where(Couple.label == "Kept label")) is None


def test_partner_email_must_be_new(world, client):
    client.login(world.counselor)
    response = client.post_form("/couples/new", _form(partner1_email=world.partner_a.email))
    assert "already exists" in response.text


def test_unknown_timezone_is_refused(world, client):
    client.login(world.counselor)
    response = client.post_form("/couples/new", _form(timezone="Mars/Olympus"))
    assert "Choose a time zone from the list." in response.text


def test_edit_from_a_stale_version_is_refused(world, make_client):
    first, second = make_client(), make_client()
    first.login(world.counselor)
    second.login(world.counselor)
    couple = world.couple
    version = couple.version
    ok = first.post_form(
        f"/couples/{couple.id}/edit",
        {"version": version, "label": "First edit", "timezone": "UTC", "status": "active"},
    )
    assert ok.status_code == 302
    stale = second.post_form(
        f"/couples/{couple.id}/edit",
        {"version": version, "label": "Second edit", "timezone": "UTC", "status": "paused"},
    )
    assert stale.status_code == 409
    assert "Someone else changed this couple" in stale.text
    assert 'value="Second edit"' in stale.text
    db.session.expire_all()
    assert db.session.get(Couple, couple.id).label == "First edit"


def test_couple_views_are_audited(world, client):
    client.login(world.supervisor)
    assert client.get(f"/couples/{world.couple.id}").status_code == 200
    db.session.expire_all()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "couple_viewed")
    ).all()
    assert len(entries) == 1
    assert entries[0].actor_id == world.supervisor.id
    assert entries[0].couple_id == world.couple.id
    assert entries[0].actor_role == "supervisor"


def test_refused_access_is_audited(world, client):
    client.login(world.other_counselor)
    assert client.get(f"/couples/{world.couple.id}").status_code == 404
    db.session.expire_all()
    refused = db.session.scalars(
        select(AuditEntry).where(AuditEntry.outcome == "refused")
    ).all()
    assert len(refused) == 1
    assert refused[0].object_id == world.couple.id
    assert refused[0].actor_id == world.other_counselor.id


def test_caseload_lists_only_own_couples(world, client):
    client.login(world.counselor)
    page = client.get("/caseload").text
    assert world.couple.label in page
    assert world.other_couple.label not in page


def test_unknown_couple_is_404(world, client):
    client.login(world.counselor)
    assert client.get("/couples/999999").status_code == 404
    assert client.get("/couples/999999/edit").status_code == 404


def test_a_nul_character_in_a_case_note_or_couple_form_is_dropped(world, client):
    noon_in_new_york()
    client.login(world.counselor)
    response = client.post_form(f"/couples/{world.couple.id}/notes",
                                {"note_date": TODAY.isoformat(), "body": "Calm\x00 session"})
    assert response.status_code == 302
    response = client.post_form("/couples/new", {
        "label": "Nul\x00 Pair", "timezone": "America/New_York",
        "partner1_name": "Nina", "partner1_email": "nina@test.example"})
    assert response.status_code == 200
    assert "Nul Pair" in response.get_data(as_text=True)
