"""What a supervisor sees and may do: their team only, notes, flag review, reassignment."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from practice import clock
from practice.admin.services import get_settings
from practice.auth.services import set_supervision
from practice.couples.models import CaseAssignment, Couple
from practice.extensions import db
from practice.flags.models import Flag, FlagEvent
from practice.supervision.models import SupervisionNote

from .factories import make_assignment, make_checkin, make_couple, make_flag, make_user


def _text(response):
    return response.get_data(as_text=True)


def test_supervisor_sees_own_team_only(world, client):
    other_flag = make_flag(world.other_couple, "urgent", created_at=clock.utcnow())
    own_flag = make_flag(world.couple, "high", created_at=clock.utcnow())
    db.session.commit()
    client.login(world.supervisor)
    team = _text(client.get("/supervision/"))
    assert world.counselor.display_name in team
    assert world.other_counselor.display_name not in team
    flags = _text(client.get("/supervision/flags"))
    assert world.couple.label in flags
    assert world.other_couple.label not in flags
    assert client.get(f"/supervision/flags/{own_flag.id}").status_code == 200
    for url in (
        f"/supervision/counselors/{world.other_counselor.id}",
        f"/supervision/flags/{other_flag.id}",
        f"/supervision/couples/{world.other_couple.id}/reassign",
        f"/supervision/couples/{world.other_couple.id}/notes",
        f"/couples/{world.other_couple.id}",
        f"/supervision/counselors/{world.partner_a.id}",  # not a counselor at all
        "/supervision/flags/999999",
    ):
        assert client.get(url).status_code == 404, url


def test_admin_sees_every_counselor(world, client):
    client.login(world.admin)
    team = _text(client.get("/supervision/"))
    assert world.counselor.display_name in team
    assert world.other_counselor.display_name in team
    assert client.get(f"/supervision/counselors/{world.other_counselor.id}").status_code == 200


def test_drill_down_lists_the_caseload_with_links_to_each_record(world, client):
    client.login(world.supervisor)
    page = _text(client.get(f"/supervision/counselors/{world.counselor.id}"))
    assert f"/couples/{world.couple.id}" in page
    record = client.get(f"/couples/{world.couple.id}")
    assert record.status_code == 200
    assert "read-only" in _text(record)
    assert client.get(f"/couples/{world.couple.id}/edit").status_code == 403


def test_supervision_notes_reach_the_counselor_and_never_clients(world, client, make_client):
    client.login(world.supervisor)
    r = client.post_form(f"/supervision/counselors/{world.counselor.id}/notes",
                         {"body": "NOTE-ON-WORK: pace the sessions."})
    assert r.status_code == 302
    r = client.post_form(f"/supervision/couples/{world.couple.id}/notes",
                         {"body": "NOTE-ON-COUPLE: try individual sessions first."})
    assert r.status_code == 302
    empty = client.post_form(f"/supervision/couples/{world.couple.id}/notes", {"body": "  "})
    assert empty.status_code == 422
    assert "Write the note" in _text(empty)
    assert db.session.scalar(select(db.func.count()).select_from(SupervisionNote)) == 2

    counselor = make_client()
    counselor.login(world.counselor)
    mine = _text(counselor.get("/supervision/notes"))
    assert "NOTE-ON-WORK" in mine
    assert "NOTE-ON-COUPLE" in mine
    assert "NOTE-ON-COUPLE" in _text(counselor.get(f"/couples/{world.couple.id}"))
    assert "NOTE-ON-WORK" in _text(counselor.get("/caseload"))  # the home panel

    other = make_client()
    other.login(world.other_counselor)
    assert "NOTE-ON" not in _text(other.get("/supervision/notes"))
    assert "NOTE-ON" not in _text(other.get("/caseload"))
    other_sup = make_client()
    other_sup.login(world.other_supervisor)
    assert other_sup.get(f"/supervision/counselors/{world.counselor.id}").status_code == 404
    for partner in (world.partner_a, world.partner_b):
        c = make_client()
        c.login(partner)
        assert "NOTE-ON" not in _text(c.get("/me"))
        assert c.get("/supervision/notes").status_code == 403


def test_flag_queue_filters_and_puts_escalated_first(world, client):
    now = datetime(2026, 5, 10, 12)
    clock.set_clock(now)
    couple = world.couple
    low_old = make_flag(couple, "low", created_at=now - timedelta(days=40), category="harm")
    urgent_new = make_flag(couple, "urgent", created_at=now - timedelta(hours=2))
    high_escalated = make_flag(couple, "high", created_at=now - timedelta(hours=80))
    resolved = make_flag(couple, "moderate", status="resolved", created_at=now - timedelta(days=2))
    get_settings()
    db.session.commit()
    client.login(world.supervisor)

    def ids(query=""):
        return [int(x.split('"')[0]) for x in
                _text(client.get("/supervision/flags" + query)).split("/supervision/flags/")[1:]]

    order = list(dict.fromkeys(ids()))
    assert order == [high_escalated.id, urgent_new.id, low_old.id]
    assert list(dict.fromkeys(ids("?status=resolved"))) == [resolved.id]
    assert list(dict.fromkeys(ids("?category=harm"))) == [low_old.id]
    assert list(dict.fromkeys(ids("?severity=urgent"))) == [urgent_new.id]
    assert list(dict.fromkeys(ids("?age=30"))) == [low_old.id]
    assert len(set(ids("?status=any"))) == 4
    bad = client.get(f"/supervision/flags?severity=enormous&counselor={world.other_counselor.id}")
    assert bad.status_code == 200
    assert "Not a valid choice" in _text(bad)
    assert "Choose a counselor from your team" in _text(bad)


def test_recording_a_supervision_review(world, client):
    flag = make_flag(world.couple, "high", created_at=clock.utcnow() - timedelta(days=1))
    db.session.commit()
    client.login(world.supervisor)
    url = f"/supervision/flags/{flag.id}"
    empty = client.post_form(url, {"note": ""})
    assert empty.status_code == 422
    assert "Add a short note" in _text(empty)
    r = client.post_form(url, {"note": "Agreed to book an individual session this week."})
    assert r.status_code == 302
    db.session.expire_all()
    flag = db.session.get(Flag, flag.id)
    assert flag.supervision_reviewed_at is not None
    assert flag.status == "open"
    event = db.session.scalars(select(FlagEvent).where(FlagEvent.flag_id == flag.id)).one()
    assert event.action == "supervision_review"
    assert event.actor_id == world.supervisor.id
    assert "individual session" in _text(client.get(url))


def test_flag_queue_runs_a_fixed_number_of_queries(world, make_client, count_queries):
    now = datetime(2026, 5, 10, 12)
    clock.set_clock(now)
    get_settings()
    make_flag(world.couple, "urgent", created_at=now - timedelta(days=2))
    counselors = [make_user("counselor") for _ in range(8)]
    set_supervision(world.other_supervisor, [world.other_counselor.id] + [c.id for c in counselors])
    for i, counselor in enumerate(counselors):
        couple = make_couple(counselor)
        for j in range(9):
            make_flag(couple, ("low", "moderate", "high", "urgent")[(i + j) % 4],
                      created_at=now - timedelta(hours=5 * j + i))
    db.session.commit()
    small, big = make_client(), make_client()
    small.login(world.supervisor)
    big.login(world.other_supervisor)
    counts = []
    for c in (small, big):
        with count_queries() as statements:
            assert c.get("/supervision/flags").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    counts = []
    for c in (small, big):
        with count_queries() as statements:
            assert c.get("/supervision/export/flags.csv").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_reassignment_moves_access_and_keeps_history(world, client, make_client):
    newcomer = make_user("counselor", name="New Holder")
    set_supervision(world.supervisor, [world.counselor.id, newcomer.id])
    assignment = make_assignment(world.couple, "daily", date(2026, 1, 1))
    make_checkin(world.partner_a, assignment, date(2026, 1, 2))
    flag = make_flag(world.couple, "high", created_at=clock.utcnow())
    db.session.commit()
    old, new = make_client(), make_client()
    old.login(world.counselor)
    new.login(newcomer)
    couple_url = f"/couples/{world.couple.id}"
    assert old.get(couple_url).status_code == 200
    assert new.get(couple_url).status_code == 404

    client.login(world.supervisor)
    url = f"/supervision/couples/{world.couple.id}/reassign"
    refused = client.post_form(url, {"counselor_id": world.other_counselor.id})
    assert refused.status_code == 422
    assert "active counselors you oversee" in _text(refused)
    client.post_form(f"/supervision/couples/{world.couple.id}/notes", {"body": "NOTE-MOVES"})
    assert "NOTE-MOVES" in _text(old.get("/supervision/notes"))
    db.session.expire_all()
    assert db.session.get(Couple, world.couple.id).counselor_id == world.counselor.id
    r = client.post_form(url, {"counselor_id": newcomer.id, "reason": "Caseload balance",
                               "confirmed": "1"})
    assert r.status_code == 302

    assert old.get(couple_url).status_code == 404
    # The old counselor's home says where the couple went, without a way into the record.
    assert f'href="/couples/{world.couple.id}"' not in _text(old.get("/caseload"))
    assert new.get(couple_url).status_code == 200
    assert world.couple.label in _text(new.get("/caseload"))
    assert "NOTE-MOVES" not in _text(old.get("/supervision/notes"))
    assert "NOTE-MOVES" in _text(new.get("/supervision/notes"))
    db.session.expire_all()
    history = db.session.scalars(
        select(CaseAssignment).where(CaseAssignment.couple_id == world.couple.id)
        .order_by(CaseAssignment.id)
    ).all()
    assert [h.counselor_id for h in history] == [world.counselor.id, newcomer.id]
    assert history[0].ended_at is not None
    assert history[1].ended_at is None
    assert history[1].assigned_by_id == world.supervisor.id
    assert history[1].reason == "Caseload balance"
    # the flag and the unreviewed check-in now count for the new holder
    team = _text(client.get("/supervision/export/caseload.csv")).splitlines()
    row = next(line for line in team if line.startswith("New Holder"))
    assert row.split(",")[1:3] == ["1", "1"]
    assert flag.couple_id == world.couple.id


def test_admin_may_reassign_across_teams_and_supervisors_may_not(world, client, make_client):
    other_sup = make_client()
    other_sup.login(world.other_supervisor)
    url = f"/supervision/couples/{world.couple.id}/reassign"
    assert other_sup.post_form(url, {"counselor_id": world.other_counselor.id}).status_code == 404
    client.login(world.admin)
    assert client.post_form(url, {"counselor_id": world.other_counselor.id, "reason": "Cover",
                                  "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Couple, world.couple.id).counselor_id == world.other_counselor.id
