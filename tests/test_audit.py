"""The audit log: one entry per audited action, append-only, never a client's words."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from practice import clock
from practice.audit.models import AuditEntry, AuditLogIsAppendOnlyError
from practice.audit.services import record
from practice.extensions import db
from practice.supervision.services import AuditFilters, audit_select

from .factories import make_assignment, make_checkin, make_flag, make_user


def _entries(action):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _switch(client, user):
    client.post_form("/logout")
    client.login(user)


def _exactly_one(action, client_call, **expected):
    before = len(_entries(action))
    client_call()
    entries = _entries(action)
    assert len(entries) == before + 1, action
    entry = max(entries, key=lambda e: e.id)
    for key, value in expected.items():
        assert getattr(entry, key) == value, (action, key)
    return entry


def test_sign_in_sign_out_and_failures_are_one_entry_each(world, client):
    entry = _exactly_one("login", lambda: client.login(world.counselor),
                         actor_id=world.counselor.id, outcome="ok")
    assert entry.ip == "127.0.0.1"
    assert entry.actor_role == "counselor"
    _exactly_one("logout", lambda: client.post_form("/logout"), actor_id=world.counselor.id)
    _exactly_one("login_failed",
                 lambda: client.post_form("/login", {"email": world.counselor.email,
                                                     "password": "wrong password here"}),
                 outcome="refused", actor_id=None)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 3


def test_refused_access_is_one_entry_each_and_survives_the_rollback(world, client):
    client.login(world.counselor)
    _exactly_one("access_refused",
                 lambda: client.get(f"/couples/{world.other_couple.id}"),
                 outcome="refused", actor_id=world.counselor.id, object_type="couple",
                 object_id=world.other_couple.id)
    _exactly_one("access_refused", lambda: client.get("/supervision/flags"), outcome="refused")
    _switch(client, world.supervisor)
    _exactly_one("access_refused",
                 lambda: client.get(f"/supervision/counselors/{world.other_counselor.id}"),
                 outcome="refused", object_type="user", object_id=world.other_counselor.id)


def test_staff_views_and_changes_are_one_entry_each(world, client):
    flag = make_flag(world.couple, "high", created_at=clock.utcnow() - timedelta(hours=1))
    db.session.commit()
    client.login(world.counselor)
    _exactly_one("couple_viewed", lambda: client.get(f"/couples/{world.couple.id}"),
                 couple_id=world.couple.id)
    _exactly_one("couple_changed", lambda: client.post_form(
        f"/couples/{world.couple.id}/edit",
        {"label": "Renamed", "timezone": "UTC", "status": "active",
         "version": world.couple.version}), couple_id=world.couple.id)
    _switch(client, world.admin)
    idle = make_user("counselor")  # one holding couples hands them over first
    db.session.commit()
    _exactly_one("staff_deactivated", lambda: client.post_form(
        f"/admin/staff/{idle.id}/active", {"active": ""}), object_id=idle.id)

    _switch(client, world.supervisor)
    c = world.counselor
    _exactly_one("caseload_viewed", lambda: client.get(f"/supervision/counselors/{c.id}"),
                 object_id=c.id, actor_id=world.supervisor.id)
    _exactly_one("supervision_note_added", lambda: client.post_form(
        f"/supervision/counselors/{c.id}/notes", {"body": "Note"}), couple_id=None)
    _exactly_one("supervision_note_added", lambda: client.post_form(
        f"/supervision/couples/{world.couple.id}/notes", {"body": "Note"}),
        couple_id=world.couple.id)
    _exactly_one("flag_queue_viewed", lambda: client.get("/supervision/flags?severity=high"),
                 detail="severity=high, status=unresolved")
    _exactly_one("flag_viewed", lambda: client.get(f"/supervision/flags/{flag.id}"),
                 object_type="flag", object_id=flag.id, couple_id=world.couple.id)
    _exactly_one("flag_supervision_review", lambda: client.post_form(
        f"/supervision/flags/{flag.id}", {"note": "Discussed"}), object_id=flag.id)
    _exactly_one("export_caseload", lambda: client.get("/supervision/export/caseload.csv"),
                 actor_id=world.supervisor.id)
    _exactly_one("export_flags", lambda: client.get("/supervision/export/flags.csv"),
                 actor_id=world.supervisor.id)
    _switch(client, world.admin)
    newcomer = make_user("counselor")
    db.session.commit()
    _exactly_one("couple_reassigned", lambda: client.post_form(
        f"/supervision/couples/{world.couple.id}/reassign",
        {"counselor_id": newcomer.id, "reason": "Cover", "confirmed": "1"}),
        couple_id=world.couple.id)


def test_the_log_cannot_be_changed_or_deleted_by_the_application(world, ctx):
    entry = record("login", actor=world.counselor)
    db.session.commit()
    entry.action = "something else"
    with pytest.raises(AuditLogIsAppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnlyError):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnlyError):
        db.session.execute(update(AuditEntry).values(action="x"))
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "login"


def test_supervisors_read_their_teams_entries_and_filter_them(world, client, make_client):
    for user in (world.counselor, world.other_counselor):
        c = make_client()
        c.login(user)
        c.get(f"/couples/{world.couple.id}")
        c.get(f"/couples/{world.other_couple.id}")
    client.login(world.supervisor)
    page = client.get("/supervision/audit").get_data(as_text=True)
    assert world.counselor.display_name in page
    assert world.other_counselor.display_name not in page
    filtered = client.get(f"/supervision/audit?couple={world.couple.id}").get_data(as_text=True)
    assert "couple viewed" in filtered
    assert "login" not in filtered.split("<tbody>")[1]
    person = client.get(f"/supervision/audit?person={world.counselor.id}").get_data(as_text=True)
    assert "login" in person
    outside = client.get(f"/supervision/audit?person={world.other_counselor.id}")
    assert "Choose a person from the list" in outside.get_data(as_text=True)
    today = clock.utcnow().date()
    past = client.get(f"/supervision/audit?date_to={today - timedelta(days=1)}")
    assert "0 entries" in past.get_data(as_text=True)
    backwards = client.get(f"/supervision/audit?date_from={today}&date_to={date(2020, 1, 1)}")
    assert "before the start date" in backwards.get_data(as_text=True)
    admin = make_client()
    admin.login(world.admin)
    assert world.other_counselor.display_name in admin.get("/supervision/audit").get_data(
        as_text=True)


def test_audit_log_is_paginated(world, client):
    for _ in range(120):
        record("couple_viewed", obj=world.couple, actor=world.counselor)
    db.session.commit()
    client.login(world.supervisor)
    url, seen, pages = "/supervision/audit", [], []
    while url:  # Older, page after page: every entry once, newest first, no page count
        page = client.get(url).get_data(as_text=True)
        pages.append(url)
        body = page.split("<tbody>")[1].split("</tbody>")[0]
        seen += re.findall(r"<tr>", body)
        older = re.search(r'href="(/supervision/audit\?before=\d+)">Older', page)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert len(pages) == 3  # 50 + 50 + the rest
    visible = audit_select(world.supervisor, AuditFilters()).subquery()
    assert len(seen) == db.session.scalar(select(func.count()).select_from(visible)) >= 121
    newer = re.search(r'href="(/supervision/audit\?after=\d+)">Newer',
                      client.get(pages[2]).get_data(as_text=True)).group(1)
    assert client.get(newer).get_data(as_text=True).count("<tr>") == 51  # header + 50
    for silly in ("before=abc", "after=-5", "before=99999999999999999999"):
        assert client.get(f"/supervision/audit?{silly}").status_code == 200
    huge = client.get("/supervision/audit?couple=99999999999999999999")
    assert huge.status_code == 200
    assert "0 entries" in huge.get_data(as_text=True)


MARKERS = ("MARKER-REFLECTION-7f3", "MARKER-PRIVATE-91c", "MARKER-FLAG-DESC-2ab",
           "MARKER-SCREEN-55d", "MARKER-RESOLUTION-0e1")


def _client_words(world):
    from practice.flags.models import SafetyScreen

    assignment = make_assignment(world.couple, "daily", clock.utcnow().date() - timedelta(days=3))
    make_checkin(world.partner_a, assignment, clock.utcnow().date() - timedelta(days=1),
                 reflection=MARKERS[0], private_note=MARKERS[1])
    flag = make_flag(world.couple, "urgent", category="harm", partner=world.partner_a,
                     description=MARKERS[2], created_at=clock.utcnow() - timedelta(days=2))
    flag.resolution_note = MARKERS[4]
    db.session.add(SafetyScreen(couple_id=world.couple.id, partner_id=world.partner_a.id,
                                context="checkin", status="completed",
                                answers={"afraid": MARKERS[3]}, note=MARKERS[3],
                                indicates_harm=True))
    db.session.commit()
    return flag


def test_no_client_words_in_the_log_or_the_exports(world, client):
    flag = _client_words(world)
    client.login(world.supervisor)
    responses = [
        client.get("/team"),
        client.get("/supervision/"),
        client.get(f"/supervision/counselors/{world.counselor.id}"),
        client.get(f"/couples/{world.couple.id}"),
        client.get("/supervision/flags?status=any"),
        client.get(f"/supervision/flags/{flag.id}"),
        client.post_form(f"/supervision/flags/{flag.id}", {"note": "Reviewed."}),
        client.get("/supervision/export/caseload.csv"),
        client.get("/supervision/export/flags.csv?status=any"),
        client.get("/supervision/audit"),
    ]
    assert all(r.status_code in (200, 302) for r in responses)
    exports = responses[7].get_data(as_text=True) + responses[8].get_data(as_text=True)
    assert str(flag.id) in exports
    db.session.expire_all()
    log = " ".join(
        " ".join(str(v) for v in (e.action, e.object_type, e.detail, e.path, e.outcome))
        for e in db.session.scalars(select(AuditEntry))
    )
    for marker in MARKERS:
        assert marker not in exports, marker
        assert marker not in log, marker
    assert world.partner_a.display_name not in exports


def test_a_forged_forwarded_header_does_not_set_the_audited_address(world, client):
    from sqlalchemy import select

    from practice.audit.models import AuditEntry
    from practice.extensions import db

    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"  # on every request
    client.login(world.counselor)
    assert client.get(f"/couples/{world.couple.id}").status_code == 200
    db.session.expire_all()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "couple_viewed"))
    assert entry.ip == "127.0.0.1"


def test_behind_a_declared_proxy_forwarded_headers_are_trusted(app):
    from werkzeug.middleware.proxy_fix import ProxyFix

    from practice import create_app

    proxied = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_COUNT": 1})
    assert not isinstance(app.wsgi_app, ProxyFix)
    assert isinstance(proxied.wsgi_app, ProxyFix)
