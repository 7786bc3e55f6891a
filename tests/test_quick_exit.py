"""Quick exit (/exit) signs out and leaves for the neutral site configured in QUICK_EXIT_URL."""

from practice.audit.models import AuditEntry
from practice.extensions import db


def test_quick_exit_signs_out_and_leaves(app, world, client):
    client.login(world.partner_a)
    assert client.get("/me").status_code == 200

    response = client.get("/exit")
    assert response.status_code == 302
    assert response.headers["Location"] == app.config["QUICK_EXIT_URL"]
    assert response.headers["Cache-Control"] == "no-store"

    again = client.get("/me")
    assert again.status_code == 302
    assert "/login" in again.headers["Location"]
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.detail == "quick exit")
    ).one()
    assert entry.action == "logout"
    assert entry.actor_id == world.partner_a.id


def test_every_page_links_quick_exit_through_the_sign_out(client, world):
    assert 'class="quick-exit" href="/exit"' in client.get("/login").get_data(as_text=True)
    client.login(world.partner_b)
    assert 'class="quick-exit" href="/exit"' in client.get("/me").get_data(as_text=True)
