"""Partner isolation: when partner A discloses harm, partner B (and any other client) sees
nothing change, on any page, download, count or error message.

Every GET route in the URL map is fetched (with the access matrix's URLs, so each route gets
real ids) as partner B and as a client of another couple, before and after partner A answers
the private screen with harm and a private note carrying a unique marker. The clock is frozen,
so both rounds happen at the same moment; CSRF tokens are removed before comparing.
Both observers also take every e-mail a client can get (reminders, feedback notices): the
worker's jobs run before and after, and their outbox rows and messages must not change.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta

from practice import clock, worker
from practice.extensions import db
from practice.flags.hooks import after_checkin_submitted
from practice.flags.models import Flag, SafetyScreen
from practice.flags.services import change_status, defer_screen, raise_flag, schedule_session
from practice.reminders.services import save_settings

from .client_steps import answer_screen
from .factories import make_assignment, make_checkin
from .mail_helpers import html_part, outbox_rows, run_worker
from .matrix import flags as flag_matrix
from .test_access_matrix import RULES

CSRF = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")')
NOW = datetime(2026, 11, 25, 14, 0)


def _normalize(body: str) -> str:
    return CSRF.sub(r"\1\2", body)


def _client_reachable_urls(app, world, extra: list[str]) -> list[str]:
    """One URL for every GET route of the app, with ids from the matrix's own setups."""
    done = {flag_matrix._setup}  # it has partner A disclose already; see _neutral_setup
    for rule in RULES.values():
        if rule.setup and rule.setup not in done:
            rule.setup(world)
            done.add(rule.setup)
    _neutral_setup(world)
    db.session.commit()
    urls = []
    for url_rule in app.url_map.iter_rules():
        if "GET" not in url_rule.methods or url_rule.endpoint == "static":
            continue
        urls.append(RULES[url_rule.endpoint].url(world))
    # An invitation link signs out whoever opens it: fetch it last in each round.
    return sorted(set(urls) - {u for u in urls if u.startswith("/invite/")}) + extra + sorted(
        u for u in urls if u.startswith("/invite/"))


def _neutral_setup(world):
    """Ids for the flag routes' URLs, from a state where nobody has disclosed anything:
    a counselor's flag with a joint session, and a screen partner A put off days ago."""
    checkin = make_checkin(world.partner_a, couple=world.couple, closeness=6)
    flag = raise_flag(world.couple, "external_stressors", "moderate", "Work pressure.",
                      "counselor", actor=world.counselor)
    session = schedule_session(flag, world.counselor, day=date(2026, 12, 2), start=time(9, 0),
                               duration_minutes=50, mode="joint", partner_id=None,
                               agenda="Planning.", joint_safety_reason=None)
    clock.set_clock(NOW - timedelta(days=3))
    screen = defer_screen(world.partner_a, world.couple, "first_login")
    clock.set_clock(NOW)
    world.extra.update(checkin=checkin.id, screen=screen.id, flag=flag.id, session=session.id)


def _snapshot(client, user, urls):
    client.login(user)
    shots = {}
    for url in urls:
        response = client.get(url)
        shots[url] = (response.status_code, response.mimetype,
                      response.headers.get("Location"), _normalize(response.get_data(as_text=True)))
    return shots


def test_the_other_partner_and_other_clients_see_nothing_change(app, world, make_client):
    clock.set_clock(NOW)
    marker = f"MARKER-{uuid.uuid4().hex}"
    checkin_a = make_checkin(world.partner_a, couple=world.couple, closeness=7)
    checkin_b = make_checkin(world.partner_b, couple=world.couple, closeness=7)
    # A's 'something broke my trust' check-in, on A's own homework, exists from the start;
    # the flags it calls for are raised after the first round.
    trust = make_checkin(world.partner_a,
                         make_assignment(world.couple, partner=world.partner_a),
                         closeness=2, broke_trust=True, private_note=marker)
    db.session.commit()
    next_flag = (db.session.query(db.func.max(Flag.id)).scalar() or 0) + 100
    next_screen = (db.session.query(db.func.max(SafetyScreen.id)).scalar() or 0) + 100
    extra = [
        f"/me/safety-check?context=checkin&checkin_id={checkin_b.id}",
        f"/me/safety-check?context=checkin&checkin_id={checkin_a.id}",
        f"/couples/{world.couple.id}/flags/{next_flag}",
        f"/couples/{world.couple.id}/safety-screens/{next_screen}",
        f"/couples/{world.couple.id}/flags/new?checkin_id={checkin_a.id}",
    ]
    urls = _client_reachable_urls(app, world, extra)
    assert len(urls) >= 20

    observers = {name: make_client() for name in ("partner_b", "other_client")}
    partner_a = make_client()
    partner_a.login(world.partner_a)
    for name in observers:  # they take every message a client can get
        save_settings(getattr(world, name), {"enabled": True, "remind_at": time(8, 0),
                                             "quiet_days": [], "feedback_notices": True})
    db.session.commit()

    before = {name: _snapshot(c, getattr(world, name), urls) for name, c in observers.items()}
    mail_before = {name: _mail_of(app, getattr(world, name)) for name in observers}
    assert mail_before["partner_b"][0], "partner B gets mail (a reminder at least)"
    for name, shots in before.items():
        assert not any(marker in shot[3] for shot in shots.values()), name
    a_home_before = _normalize(partner_a.get("/me").get_data(as_text=True))

    # Partner A discloses, privately, through the real pages.
    assert partner_a.get("/me/safety-check").status_code == 200
    response = answer_screen(partner_a, {
        "q_afraid": "yes", "q_threatened": "no", "q_controlled": "yes", "q_hurt": "no",
        "note": f"Please do not tell them. {marker}",
    })
    assert response.headers["Location"] == "/me/safety"
    assert marker in _safety_note(world)
    # ... marks a check-in 'something broke my trust', and the counselor acts on the flag.
    with app.test_request_context():
        after_checkin_submitted(trust, True)
    # (Other features' matrix setups may have raised counselor flags of their own.)
    assert db.session.query(Flag).filter_by(
        category="broken_trust", source="client", partner_id=world.partner_a.id).count() == 1
    harm = db.session.query(Flag).filter_by(category="harm").one()
    change_status(harm, "acknowledged", world.counselor, note=marker)
    schedule_session(harm, world.counselor, day=date(2026, 11, 27), start=time(11, 0),
                     duration_minutes=50, mode="individual", partner_id=world.partner_a.id,
                     agenda=marker, joint_safety_reason=None)
    db.session.commit()

    for name in observers:
        outbox_after, sent_after = _mail_of(app, getattr(world, name))
        assert sent_after == [], f"{name} gets a message after the disclosure"
        assert outbox_after == mail_before[name][0], f"{name}'s outbox changed"
        assert not any(marker in text for text in mail_before[name][1])
    assert any(r.kind == "urgent_flag" for r in outbox_rows()), "the jobs did run"
    assert not any(marker in (r.text_body or "") + r.subject for r in outbox_rows())

    for name, observer in observers.items():
        after = _snapshot(observer, getattr(world, name), urls)
        for url in urls:
            assert marker not in after[url][3], f"{name} sees the marker on {url}"
            assert after[url] == before[name][url], f"{name} sees a difference on {url}"

    # The same machinery does see changes where they are meant to happen: A's own home now
    # shows A's individual session.
    a_home_after = _normalize(partner_a.get("/me").get_data(as_text=True))
    assert a_home_after != a_home_before
    assert marker not in a_home_after


def _mail_of(app, user):
    """Run the worker's jobs; return the user's outbox rows and the messages sent to them."""
    worker.queue_reminders()
    worker.queue_staff_notices()
    sent = [" ".join([m.subject, m.body, html_part(m)]) for m in run_worker(app)
            if m.to == [user.email]]
    rows = [(r.kind, r.subject, r.status) for r in outbox_rows(recipient_id=user.id)]
    return rows, sent


def _safety_note(world) -> str:
    db.session.expire_all()
    return db.session.query(SafetyScreen).filter_by(partner_id=world.partner_a.id,
                                                    status="completed").one().note
