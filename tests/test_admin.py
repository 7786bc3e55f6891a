"""Admins manage staff accounts, supervision and the practice's settings."""


from sqlalchemy import select

from practice.admin.models import PracticeSettings
from practice.admin.services import get_settings
from practice.auth.models import Supervision, User
from practice.extensions import db

from .factories import make_user


def test_admin_creates_a_staff_account(world, client):
    client.login(world.admin)
    response = client.post_form(
        "/admin/staff/new",
        {"display_name": "Robin New", "email": "Robin@Test.example", "role": "counselor",
         "password": "twelve chars ok"},
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "robin@test.example"))
    assert user.role == "counselor"
    assert user.password_hash.startswith("$argon2id$")


def test_duplicate_email_is_refused_case_insensitively(world, client):
    client.login(world.admin)
    response = client.post_form(
        "/admin/staff/new",
        {"display_name": "Dup", "email": world.counselor.email.upper(), "role": "counselor",
         "password": "twelve chars ok"},
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert 'value="Dup"' in response.text


def test_admin_deactivates_and_reactivates(world, client):
    # A counselor holding couples hands them over first (tests/test_handovers.py).
    idle = make_user("counselor")
    db.session.commit()
    client.login(world.admin)
    url = f"/admin/staff/{idle.id}/active"
    assert client.post_form(url, {"active": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, idle.id).active is False
    client.post_form(url, {"active": "1"})
    db.session.expire_all()
    assert db.session.get(User, idle.id).active is True


def test_admin_cannot_deactivate_self(world, client):
    client.login(world.admin)
    client.post_form(f"/admin/staff/{world.admin.id}/active", {"active": "0"})
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).active is True


def test_admin_sets_who_supervises_whom(world, client):
    client.login(world.admin)
    response = client.post_form(
        f"/admin/staff/{world.supervisor.id}/supervision",
        {"counselors": [str(world.counselor.id), str(world.other_counselor.id)]},
    )
    assert response.status_code == 302
    pairs = set(db.session.execute(
        select(Supervision.counselor_id).where(Supervision.supervisor_id == world.supervisor.id)
    ).scalars())
    assert pairs == {world.counselor.id, world.other_counselor.id}
    # The supervisor now sees the other counselor's couple.
    client.post_form("/logout")
    client.login(world.supervisor)
    assert client.get(f"/couples/{world.other_couple.id}").status_code == 200


def test_settings_validate_and_save(world, client):
    client.login(world.admin)
    settings = get_settings()
    db.session.commit()
    data = {
        "version": settings.version, "name": "Quiet Harbor", "default_timezone": "Europe/Rome",
        "checkin_expiry_days": "5", "urgent_ack_hours": "12", "high_ack_hours": "48",
        "emergency_number": "112", "hotline_name": "Line", "hotline_phone": "0800 000",
        "contact_text": "Call us.",
    }
    bad = client.post_form("/admin/settings", {**data, "checkin_expiry_days": "0"})
    assert bad.status_code == 200
    assert "from 1 to 30" in bad.text
    assert 'value="Quiet Harbor"' in bad.text
    assert client.post_form("/admin/settings", data).status_code == 302
    db.session.expire_all()
    saved = db.session.scalar(select(PracticeSettings))
    assert (saved.name, saved.default_timezone, saved.checkin_expiry_days) == (
        "Quiet Harbor", "Europe/Rome", 5)
    stale = client.post_form("/admin/settings", {**data, "name": "Stale"})
    assert stale.status_code == 409


def test_unknown_staff_is_404(world, client):
    client.login(world.admin)
    assert client.get("/admin/staff/99999/supervision").status_code == 404
    assert client.get(f"/admin/staff/{world.partner_a.id}/supervision").status_code == 404


def test_deactivating_a_counselor_who_still_holds_couples_asks_for_a_handover_first(world,
                                                                                  client):
    client.login(world.admin)
    response = client.post_form(f"/admin/staff/{world.counselor.id}/active", {"active": "0"},
                                follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "holds 1 open couple" in page
    assert f"{world.counselor.display_name} is deactivated" not in page
    db.session.expire_all()
    assert db.session.get(User, world.counselor.id).active is True


def test_deactivating_a_counselor_with_no_couples_gives_no_caseload_warning(world, client):
    newcomer = make_user("counselor")
    db.session.commit()
    client.login(world.admin)
    response = client.post_form(f"/admin/staff/{newcomer.id}/active",
                                {"active": "0"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "is deactivated" in page
    assert "still holds" not in page
