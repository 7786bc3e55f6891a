"""Every kind of message, rendered from a practice full of client words: none of them leaks.

Client messages name no exercise, situation, feeling, partner or counselor (and carry none of
the counselor's words); staff messages carry counts, couple labels and links, never what a
client wrote.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from practice import clock, worker
from practice.checkins.services import add_case_note
from practice.content import SITUATIONS
from practice.exercises.models import Assignment, Exercise
from practice.extensions import db
from practice.flags.services import raise_flag
from practice.mail.models import MESSAGE_KINDS
from practice.password_reset.services import request_reset

from .client_steps import answer_screen, send
from .factories import give, make_user
from .mail_helpers import outbox_rows, run_worker

CANARIES = ("CANARY-REFLECTION", "CANARY-PRIVATE", "CANARY-SHARED", "CANARY-SCREEN",
            "CANARY-FLAG", "CANARY-FEEDBACK", "CANARY-CASENOTE")
CLIENT_WORDS_TOO = ("harm", "Harm", "safety", "trust", "afraid", "feel", "partner", "counselor")


def _everything_happens(app, world, make_client):
    """Drive the practice through every event that sends mail; returns the sent messages."""
    clock.set_clock(datetime(2026, 3, 10, 14, 0))  # 10:00 in New York, the couple's zone
    give(world.couple, world.counselor, start=date(2026, 3, 1))
    a, counselor, supervisor, admin = (make_client() for _ in range(4))
    a.login(world.partner_a)
    a.post_form("/me/reminders", {"enabled": "y", "remind_at": "08:00",
                                  "feedback_notices": "y"})
    assignment = db.session.scalars(select(Assignment)).one()
    # The harm screen below pauses shared homework (issue 13); A's own work still reminds.
    give(world.couple, world.counselor, start=date(2026, 3, 1), partner_id=world.partner_a.id)
    send(a, assignment.id, date(2026, 3, 9), reflection="CANARY-REFLECTION",
         private_note="CANARY-PRIVATE", shared_answer="CANARY-SHARED")
    answer_screen(a, {"q_afraid": "yes", "q_threatened": "yes", "q_controlled": "no",
                      "q_hurt": "no", "note": "CANARY-SCREEN"})
    raise_flag(world.couple, "broken_trust", "urgent", "CANARY-FLAG", "counselor",
               actor=world.counselor)
    add_case_note(world.couple, world.counselor, date(2026, 3, 10), "CANARY-CASENOTE")
    db.session.commit()
    counselor.login(world.counselor)
    checkin_id = db.session.execute(db.text("select max(id) from checkins")).scalar()
    counselor.post_form(f"/couples/{world.couple.id}/checkins/{checkin_id}/feedback",
                        {"feedback": "CANARY-FEEDBACK", "version": "1"})
    counselor.post_form("/couples/new", {
        "label": "Second Couple", "timezone": "UTC", "partner1_name": "Pat New",
        "partner1_email": "pat.new@test.example", "partner2_name": "", "partner2_email": ""})
    request_reset(world.partner_a.email)
    db.session.commit()
    worker.queue_reminders()
    admin.login(world.admin)
    admin.post_form("/admin/mail/settings", {"digest_enabled": "y", "digest_hour": "0",
                                             "client_subject": "", "version": "1"})
    newcomer = make_user("counselor", name="Newer Holder")
    db.session.commit()
    supervisor.login(world.admin)
    supervisor.post_form(f"/supervision/couples/{world.other_couple.id}/reassign",
                         {"counselor_id": newcomer.id, "reason": "Leave", "confirmed": "1"})
    clock.advance(timedelta(hours=25))
    worker.queue_staff_notices()
    rows = [(r.kind, r.recipient_role, r.subject, r.text_body, r.html_body)
            for r in outbox_rows()]
    return rows, run_worker(app)


def test_no_message_carries_client_words(app, world, make_client):
    rows, sent = _everything_happens(app, world, make_client)
    assert {kind for kind, *_ in rows} == set(MESSAGE_KINDS), "every kind is rendered"
    assert len(sent) == len(rows)
    texts = [(kind, role, " ".join(parts)) for kind, role, *parts in rows]
    texts += [("sent", m.to[0], " ".join([m.subject, m.body, m.alternatives[0][0]]))
              for m in sent]
    for kind, role, text in texts:
        for canary in CANARIES:
            assert canary not in text, f"{kind} to {role} carries {canary}"

    exercises = db.session.scalars(select(Exercise.title)).all()
    names = [u.display_name for u in (world.partner_a, world.partner_b, world.counselor)]
    for kind, role, subject, text, html in rows:
        if role != "client":
            continue
        whole = " ".join([subject, text, html])
        for word in [*exercises, *names, *SITUATIONS.values(), *CLIENT_WORDS_TOO,
                     world.couple.label]:
            assert word not in whole, f"{kind} to a client names {word!r}"
