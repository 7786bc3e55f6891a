"""A flag's status reads the same for every role and on every page that names it."""

from __future__ import annotations

from practice.extensions import db
from practice.flags.services import change_status, raise_flag

LABEL = "Focused session scheduled"


def test_a_scheduled_flag_is_named_alike_for_counselor_and_supervisor(world, client,
                                                                    make_client):
    flag = raise_flag(world.couple, "broken_trust", "high", "Seen in session.", "counselor",
                      partner=world.partner_a, actor=world.counselor)
    change_status(flag, "session_scheduled", world.counselor)
    db.session.commit()
    client.login(world.counselor)
    pages = {
        "counselor flag page": client.get(f"/couples/{world.couple.id}/flags/{flag.id}"),
        "counselor couple page": client.get(f"/couples/{world.couple.id}"),
    }
    supervisor = make_client()
    supervisor.login(world.supervisor)
    pages |= {
        "supervisor flag page": supervisor.get(f"/supervision/flags/{flag.id}"),
        "supervisor queue": supervisor.get("/supervision/flags"),
    }
    for name, response in pages.items():
        text = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert LABEL in text, name
        assert text.count("Session scheduled") == 0, name
