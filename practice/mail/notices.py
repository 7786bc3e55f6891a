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
from .messages import public_url, render_message
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
