"""Safe handovers: a reason and a confirmation naming both counselors for every move, both
counselors told in the app, and no counselor deactivated while holding couples."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from practice import clock
from practice.audit.models import AuditEntry
from practice.auth.models import User
from practice.auth.services import set_supervision
from practice.couples.models import Couple
from practice.extensions import db

from .factories import make_couple, make_user


@pytest.fixture
def newcomer(world):
    person = make_user("counselor", name="Noor Newcomer")
    set_supervision(world.supervisor, [world.counselor.id, person.id])
    db.session.commit()
    return person


def _holder(couple_id):
    db.session.expire_all()
    return db.session.get(Couple, couple_id).counselor_id


def _text(response):
    return response.get_data(as_text=True)


def test_a_reassignment_needs_a_reason_and_preselects_nobody(world, client, newcomer):
    client.login(world.supervisor)
    url = f"/supervision/couples/{world.couple.id}/reassign"
    assert '<option selected value="">Choose a counselor</option>' in _text(client.get(url))
    refused = client.post_form(url, {"counselor_id": newcomer.id, "reason": "  "})
    assert refused.status_code == 422
    assert "Say why the couple moves" in _text(refused)
    assert _holder(world.couple.id) == world.counselor.id


def test_the_confirmation_names_both_counselors_and_change_keeps_the_reason(world, client,
                                                                           newcomer):
    client.login(world.supervisor)
    url = f"/supervision/couples/{world.couple.id}/reassign"
    ask = _text(client.post_form(url, {"counselor_id": newcomer.id, "reason": "Leave cover"}))
    assert (f"Move {world.couple.label} from {world.counselor.display_name} to "
            "Noor Newcomer?") in ask
    assert _holder(world.couple.id) == world.counselor.id
    back = _text(client.post_form(url, {"counselor_id": newcomer.id, "reason": "Leave cover",
                                        "confirmed": "1", "change": "1"}))
    assert "Leave cover</textarea>" in back
    assert _holder(world.couple.id) == world.counselor.id
    client.post_form(url, {"counselor_id": newcomer.id, "reason": "Leave cover",
                           "confirmed": "1"})
    assert _holder(world.couple.id) == newcomer.id


def test_both_counselors_are_told_and_the_old_one_for_two_weeks_only(world, client,
                                                                    make_client, newcomer):
    client.login(world.supervisor)
    client.post_form(f"/supervision/couples/{world.couple.id}/reassign",
                     {"counselor_id": newcomer.id, "reason": "Leave cover", "confirmed": "1"})
    old, new = make_client(), make_client()
    old.login(world.counselor)
    new.login(newcomer)
    old_home, new_home = _text(old.get("/caseload")), _text(new.get("/caseload"))
    assert f"{world.couple.label} moved to Noor Newcomer on" in old_home
    assert f'href="/couples/{world.couple.id}"' not in old_home
    assert "Reason: Leave cover" in old_home
    assert (f'<a href="/couples/{world.couple.id}">{world.couple.label}</a> moved to you from '
            f"{world.counselor.display_name} on") in new_home
    assert old.get(f"/couples/{world.couple.id}").status_code == 404
    clock.advance(timedelta(days=15))
    assert f"{world.couple.label} moved to" not in _text(old.get("/caseload"))
    assert "moved to you from" not in _text(new.get("/caseload"))


def test_deactivating_a_counselor_hands_every_couple_over_first(world, client, newcomer):
    second = make_couple(world.counselor, label="Second Pair")
    db.session.commit()
    client.login(world.admin)
    start = client.post_form(f"/admin/staff/{world.counselor.id}/active", {"active": "0"})
    url = f"/admin/staff/{world.counselor.id}/handover"
    assert start.headers["Location"].endswith(url)
    page = _text(client.get(url))
    assert "holds 2 open couples" in page

    missing = client.post_form(url, {f"to_{second.id}": str(newcomer.id), "reason": "Leaving"})
    assert missing.status_code == 422
    assert f"Choose who takes over {world.couple.label}" in _text(missing)
    unexplained = client.post_form(url, {"all_to": str(world.other_counselor.id),
                                         f"to_{second.id}": str(newcomer.id)})
    assert "Say why the couples move" in _text(unexplained)
    assert f'<option value="{newcomer.id}" selected>' in _text(unexplained)

    data = {"all_to": str(world.other_counselor.id), f"to_{second.id}": str(newcomer.id),
            "reason": "Leaving the practice"}
    ask = _text(client.post_form(url, data))
    name = world.counselor.display_name
    assert (f"<strong>{world.couple.label}</strong>: from {name} to "
            f"{world.other_counselor.display_name}") in ask
    assert f"<strong>Second Pair</strong>: from {name} to Noor Newcomer" in ask
    db.session.expire_all()
    assert db.session.get(User, world.counselor.id).active is True

    done = client.post_form(url, {**data, "confirmed": "1"})
    assert done.headers["Location"].endswith("/admin/")
    assert _holder(world.couple.id) == world.other_counselor.id
    assert _holder(second.id) == newcomer.id
    assert db.session.get(User, world.counselor.id).active is False
    actions = [e.action for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == world.admin.id))]
    assert actions.count("couple_reassigned") == 2
    assert "staff_deactivated" in actions


def test_the_staff_list_says_a_handover_comes_first(world, client):
    client.login(world.admin)
    page = _text(client.get("/admin/"))
    assert f'href="/admin/staff/{world.counselor.id}/handover"' in page
    assert "first hand over 1 couple" in page
