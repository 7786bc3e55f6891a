"""Staff hear of what needs them: an urgent flag at once, an escalated flag once, a daily
digest of counts, a reassignment with its reason."""

from __future__ import annotations

from datetime import datetime, timedelta

from practice import clock, worker
from practice.auth.services import set_supervision
from practice.extensions import db
from practice.flags.services import change_status, raise_flag

from .client_steps import answer_screen
from .factories import make_checkin, make_user
from .mail_helpers import link_in, outbox_rows, run_worker

NOW = datetime(2026, 3, 10, 9, 0)


def _staff_notices(app) -> list:
    worker.queue_staff_notices()
    return run_worker(app)


def test_an_urgent_flag_alerts_the_counselor_at_once(app, world, make_client):
    partner = make_client()
    partner.login(world.partner_a)
    answer_screen(partner, {"q_afraid": "yes", "q_threatened": "no", "q_controlled": "no",
                            "q_hurt": "no", "note": "SCREEN-CANARY"})
    sent = run_worker(app)  # the nudge after the request; the minute sweep does the same
    assert [m.to for m in sent] == [[world.counselor.email]]
    message = sent[0]
    assert world.couple.label in message.body
    path = link_in(message, f"/couples/{world.couple.id}/flags/")
    counselor = make_client()
    counselor.login(world.counselor)
    assert counselor.get(path).status_code == 200
    for word in ("SCREEN-CANARY", "harm", "Harm", "afraid"):
        assert word not in message.body + message.subject


def test_flags_below_urgent_send_no_alert(app, world):
    raise_flag(world.couple, "external_stressors", "high", "Work.", "counselor",
               actor=world.counselor)
    db.session.commit()
    assert run_worker(app) == []


def test_an_escalated_flag_reaches_the_supervisor_once(app, world):
    clock.set_clock(NOW)
    raise_flag(world.couple, "broken_trust", "urgent", "X", "counselor", actor=world.counselor)
    flag_b = raise_flag(world.couple, "external_stressors", "high", "Y", "counselor",
                        actor=world.counselor)
    db.session.commit()
    run_worker(app)  # the counselor's urgent alert
    clock.set_clock(NOW + timedelta(hours=23))
    assert _staff_notices(app) == []
    clock.set_clock(NOW + timedelta(hours=25))
    sent = _staff_notices(app)
    assert [m.to for m in sent] == [[world.supervisor.email]]
    assert "/supervision/flags/" in sent[0].body
    clock.set_clock(NOW + timedelta(hours=30))
    assert _staff_notices(app) == [], "once per flag"
    change_status(flag_b, "acknowledged", world.counselor)
    db.session.commit()
    clock.set_clock(NOW + timedelta(hours=73))
    assert _staff_notices(app) == [], "an acknowledged flag does not escalate"


def test_without_a_supervisor_the_admins_hear_of_an_escalation(app, world):
    clock.set_clock(NOW)
    set_supervision(world.supervisor, [])
    raise_flag(world.couple, "broken_trust", "urgent", "X", "counselor", actor=world.counselor)
    db.session.commit()
    run_worker(app)
    clock.set_clock(NOW + timedelta(hours=25))
    assert [m.to for m in _staff_notices(app)] == [[world.admin.email]]


def test_the_daily_digest_counts_what_waits_from_the_practices_hour(app, world, client):
    clock.set_clock(datetime(2026, 3, 10, 8, 0))
    make_checkin(world.partner_a, couple=world.couple)
    make_checkin(world.partner_b, couple=world.couple, private_note="DIGEST-CANARY")
    raise_flag(world.couple, "external_stressors", "moderate", "DIGEST-FLAG", "counselor",
               actor=world.counselor)
    db.session.commit()
    client.login(world.admin)
    client.post_form("/admin/mail/settings", {"digest_enabled": "y", "digest_hour": "17",
                                             "client_subject": "", "version": "1"})
    clock.set_clock(datetime(2026, 3, 10, 16, 59))  # the practice's zone is UTC
    assert _staff_notices(app) == []
    clock.set_clock(datetime(2026, 3, 10, 17, 0))
    sent = _staff_notices(app)
    assert [m.to for m in sent] == [[world.counselor.email]], "only counselors with something"
    body = sent[0].body
    assert "flags to act on: 1" in body
    assert "check-ins to review: 2" in body
    assert "DIGEST-CANARY" not in body
    assert "DIGEST-FLAG" not in body
    clock.set_clock(datetime(2026, 3, 10, 21, 0))
    assert _staff_notices(app) == [], "one digest a day"
    clock.set_clock(datetime(2026, 3, 11, 17, 5))
    assert len(_staff_notices(app)) == 1


def test_a_reassignment_tells_both_counselors_with_the_reason(app, world, client):
    newcomer = make_user("counselor", name="New Holder")
    set_supervision(world.supervisor, [world.counselor.id, newcomer.id])
    db.session.commit()
    client.login(world.supervisor)
    response = client.post_form(f"/supervision/couples/{world.couple.id}/reassign",
                                {"counselor_id": newcomer.id, "reason": "Caseload balance",
                                 "confirmed": "1"})
    assert response.status_code == 302
    sent = {m.to[0]: m for m in run_worker(app)}
    assert set(sent) == {world.counselor.email, newcomer.email}
    for message in sent.values():
        assert world.couple.label in message.body
        assert "Caseload balance" in message.body
    assert "moved from your caseload to New Holder" in sent[world.counselor.email].body
    assert "is now on your caseload" in sent[newcomer.email].body
    assert len(outbox_rows(kind="reassignment")) == 2


def test_a_periodic_job_already_running_elsewhere_is_not_run_twice(app, world, monkeypatch):
    from practice.flags import rules

    runs = []
    monkeypatch.setattr(rules, "evaluate_disengagement", lambda: runs.append(1) or [])
    with worker.huey.lock_task("flag-rules"):
        worker.run_flag_rules()
    assert runs == []
    worker.run_flag_rules()
    assert runs == [1]
