"""The stored engagement numbers (EngagementSummary) always equal a recomputation from
scratch: after check-ins, edits, pauses, reassignments, status and flag changes made through
the app, after the couple's day ends, and after `flask --app practice refresh-engagement`."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from practice import clock
from practice.checkins.engagement import engagement_for, stale_couples, stored_engagement
from practice.checkins.models import CheckIn, EngagementSummary
from practice.couples.models import Couple
from practice.extensions import db

from .client_steps import send
from .factories import TODAY, give, make_couple, make_flag, noon_in_new_york


def _stored() -> dict:
    """What the pages read: the stored rows (those of an ended day stored again first)."""
    db.session.expire_all()
    couples = db.session.scalars(select(Couple)).all()
    return {c: (e.today, e.done, e.due, sorted(e.quiet_partner_ids), e.last_checkin)
            for c, e in stored_engagement(couples).items()}


def _recomputed() -> dict:
    couples = db.session.scalars(select(Couple)).all()
    return {c: (e.today, e.done, e.due, sorted(e.quiet_partner_ids), e.last_checkin)
            for c, e in engagement_for(couples).items()}


def _agree(changed_id: int | None = None) -> dict:
    """Stored equals recomputed; the couple just changed was stored in its own transaction."""
    if changed_id is not None:
        assert stale_couples(Couple.id == changed_id) == []
    stored = _stored()
    assert stored == _recomputed()
    db.session.commit()  # reading may have stored an ended day's numbers again
    return stored


def test_stored_numbers_follow_every_change_made_through_the_app(world, client, make_client):
    noon_in_new_york()
    joint = give(world.couple, world.counselor, start=TODAY - timedelta(days=20))
    own = give(world.couple, world.counselor, slug="rebuild-trust",
               start=TODAY - timedelta(days=20), partner_id=world.partner_a.id)
    before = _agree(world.couple.id)[world.couple.id]
    assert before[3] == sorted([world.partner_a.id, world.partner_b.id])  # both quiet

    partner = make_client()
    partner.login(world.partner_a)
    assert send(partner, joint, TODAY - timedelta(days=1)).status_code == 302
    after_checkin = _agree(world.couple.id)[world.couple.id]
    assert after_checkin[1] == before[1] + 1
    assert after_checkin[3] == [world.partner_b.id]

    [checkin] = db.session.scalars(select(CheckIn)).all()
    edited = partner.post_form(f"/me/checkins/{checkin.id}/edit", {
        "version": str(checkin.version), "outcome": "partly", "closeness": "4"})
    assert edited.status_code == 302
    _agree(world.couple.id)

    client.login(world.counselor)
    base = f"/couples/{world.couple.id}"
    assert client.post_form(f"{base}/assignments/{own}/pause").status_code == 302
    _agree()
    assert client.post_form(f"{base}/joint-work", {"paused": "1"}).status_code == 302
    assert _agree()[world.couple.id][3] == []  # nothing running, nobody quiet
    assert client.post_form(f"{base}/joint-work", {"paused": "0"}).status_code == 302
    assert client.post_form(f"{base}/assignments/{joint}/end").status_code == 302
    _agree()

    flag = make_flag(world.couple, "high", created_at=clock.utcnow())
    db.session.commit()
    moved = client.post_form(f"{base}/flags/{flag.id}/status", {
        "to_status": "acknowledged", "version": str(flag.version), "note": "Seen."})
    assert moved.status_code == 302
    db.session.refresh(flag)
    assert flag.status == "acknowledged"
    _agree()

    boss = make_client()
    boss.login(world.admin)
    moved = boss.post_form(f"/supervision/couples/{world.couple.id}/reassign", {
        "counselor_id": str(world.other_counselor.id), "reason": "Caseload balance",
        "confirmed": "1"})  # issue 14: a reassignment is confirmed
    assert moved.status_code == 302
    _agree()


def test_a_day_that_ends_is_recomputed_when_read_and_by_the_cli(world, client, app):
    noon_in_new_york()
    give(world.couple, world.counselor, start=TODAY - timedelta(days=20))
    quiet = make_couple(world.counselor, label="Later pair")
    give(quiet, world.counselor, start=TODAY - timedelta(days=13))  # quiet from tomorrow on
    db.session.commit()
    assert _agree(quiet.id)[quiet.id][3] == []
    clock.advance(timedelta(days=1))
    assert quiet.id in stale_couples(Couple.id == quiet.id)
    client.login(world.counselor)
    assert client.get("/caseload").status_code == 200  # reads, and stores the new day
    assert stale_couples(Couple.id == quiet.id) == []
    stored = _agree()
    assert stored[quiet.id][0] == TODAY + timedelta(days=1)
    assert stored[quiet.id][3] == sorted(p.user_id for p in quiet.partners)

    db.session.execute(EngagementSummary.__table__.update().values(done=999, due=999))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["refresh-engagement", "--all"])
    assert result.exit_code == 0, result.output
    assert "stored for 3 couple(s)" in result.output
    _agree()
