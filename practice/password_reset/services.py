"""Reset links: requested by address, sent by e-mail, used once within RESET_MINUTES.

The answer to a request never says whether the address belongs to an account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from ..audit.services import record
from ..auth.services import find_user_by_email, set_password
from ..auth.sessions import end_sessions
from ..clock import utcnow
from ..extensions import db
from ..mail import notices
from .models import PasswordReset

RESET_MINUTES = 30
MAX_PER_HOUR = 5  # links mailed to one account per hour; more requests are quietly dropped


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_reset(email: str) -> None:
    """Mail a reset link if `email` belongs to an active account; otherwise do nothing."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    now = utcnow()
    recent = db.session.scalar(
        select(func.count()).select_from(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.created_at > now - timedelta(hours=1)
        )
    )
    if recent >= MAX_PER_HOUR:
        return
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(user_id=user.id, token_hash=_hash(token), created_at=now,
                          expires_at=now + timedelta(minutes=RESET_MINUTES))
    db.session.add(reset)
    db.session.flush()
    notices.password_reset(user, reset.id, token, RESET_MINUTES)
    record("password_reset_requested", actor=user, object_type="user", object_id=user.id)


def reset_for_token(token: str) -> PasswordReset | None:
    """The reset for a token while it can still be used, else None."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
    return reset if reset is not None and reset.is_usable else None


def complete_reset(reset: PasswordReset, password: str) -> bool:
    """Set the new password, once: False if the link was used meanwhile (a double submit)."""
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if not claimed:
        return False
    user = reset.user
    set_password(user, password)
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    end_sessions(user)  # a reset signs the person out everywhere
    record("password_reset", actor=user, object_type="user", object_id=user.id)
    db.session.flush()
    return True
