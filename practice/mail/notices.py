"""Who gets which message when: one function per kind, called where the event happens.

Each builds the message from templates/mail/ and queues it in the outbox under a key that
names the event, so a repeated call never sends twice. Discretion: messages to clients name
no exercise, situation, feeling, partner or counselor's words; staff messages carry counts,
couple labels and links only.
"""

from __future__ import annotations

import hashlib

from flask import current_app

from ..admin.services import get_settings
from ..links import public_url
from .messages import client_subject, render_message
from .outbox import enqueue


def invitation(user, token: str) -> bool:
    """The partner's invitation link, to their own address."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:24]
    message = render_message(
        "invitation", f"Your invitation to {get_settings().name}",
        link=public_url("auth.accept", token=token),
        hours=current_app.config["INVITATION_HOURS"],
    )
    return enqueue("invitation", user, f"invitation:{user.id}:{digest}", message)


def password_reset(user, reset_id: int, token: str, minutes: int) -> bool:
    """A reset link, to the account's own address."""
    message = render_message(
        "password_reset", f"{get_settings().name}: choose a new password",
        link=public_url("password_reset.reset", token=token), minutes=minutes,
    )
    return enqueue("password_reset", user, f"password_reset:{reset_id}", message)


def _waiting(kind: str, user, key: str, stop_token: str) -> bool:
    """The one message a client ever gets besides invitations and resets: something waits."""
    message = render_message(
        "waiting", client_subject(), link=public_url("auth.login"),
        stop_link=public_url("reminders.stop", token=stop_token),
    )
    return enqueue(kind, user, key, message)


def reminder(user, local_day, stop_token: str) -> bool:
    """Homework is due today: one per person per local day."""
    return _waiting("reminder", user, f"reminder:{user.id}:{local_day.isoformat()}", stop_token)


def feedback(user, checkin_id: int, stop_token: str) -> bool:
    """New feedback from the counselor, to a client who asked for such notices."""
    return _waiting("feedback", user, f"feedback:{checkin_id}", stop_token)


def urgent_flag(flag) -> bool:
    """At once, to the couple's counselor: a new urgent flag on their caseload."""
    couple = flag.couple
    message = render_message(
        "urgent_flag", f"{get_settings().name}: an urgent flag on your caseload",
        couple_label=couple.label,
        link=public_url("flags.detail", couple_id=couple.id, flag_id=flag.id),
    )
    return enqueue("urgent_flag", couple.counselor, f"urgent_flag:{flag.id}", message)


def escalation(flag, supervisor) -> bool:
    """Once per flag and supervisor: a flag left unacknowledged past its window."""
    message = render_message(
        "escalation", f"{get_settings().name}: a flag is waiting for acknowledgement",
        couple_label=flag.couple.label, link=public_url("supervision.flag_review", flag_id=flag.id),
    )
    return enqueue("escalation", supervisor, f"escalation:{flag.id}:{supervisor.id}", message)


def reassignment(couple, assignment_id: int, old, new, actor, reason: str | None) -> None:
    """To both counselors: the case moved, with the supervisor's reason."""
    subject = f"{get_settings().name}: a couple changed counselor"
    for counselor, incoming in ((old, False), (new, True)):
        if counselor is None:
            continue
        link = (public_url("couples.detail", couple_id=couple.id) if incoming
                else public_url("main.home"))
        message = render_message(
            "reassignment", subject, couple_label=couple.label, incoming=incoming,
            other_name=(old if incoming else new).display_name if (old and new) else "",
            actor_name=actor.display_name, reason=(reason or "").strip(), link=link,
        )
        enqueue("reassignment", counselor, f"reassignment:{assignment_id}:{counselor.id}",
                message)


def digest(counselor, local_day, counts: dict) -> bool:
    """Once a day at the practice's hour: what waits for the counselor, in counts only."""
    message = render_message(
        "digest", f"{get_settings().name}: your day in Bridgework", counts=counts,
        link=public_url("main.home"),
    )
    return enqueue("digest", counselor, f"digest:{counselor.id}:{local_day.isoformat()}", message)
