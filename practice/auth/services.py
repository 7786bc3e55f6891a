"""Accounts: password hashing, sign-in, staff accounts and client invitations."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from sqlalchemy import func, select, update

from ..clock import utcnow
from ..extensions import db
from .models import Invitation, Supervision, User


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMS", {}))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def email_taken(email: str) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.email == normalize_email(email))
    ) > 0


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def check_password(user: User, password: str) -> bool:
    """Whether `password` is the user's current one."""
    if not user.password_hash:
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Spent on unknown emails too, so response time does not tell which emails exist.
_DUMMY_HASH: dict[str, str] = {}


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None (one outcome for every failure)."""
    user = find_user_by_email(email)
    hasher = _hasher()
    if user is None or not user.password_hash:
        key = repr(current_app.config.get("ARGON2_PARAMS"))
        if key not in _DUMMY_HASH:
            _DUMMY_HASH[key] = hasher.hash(secrets.token_hex(8))
        with contextlib.suppress(VerificationError):
            hasher.verify(_DUMMY_HASH[key], password)
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def create_user(email: str, display_name: str, role: str, password: str | None = None) -> User:
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        role=role,
        active=True,
    )
    if password:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def set_supervision(supervisor: User, counselor_ids: list[int]) -> None:
    """Make `supervisor` supervise exactly these counselors."""
    current = set(
        db.session.scalars(
            select(Supervision.counselor_id).where(Supervision.supervisor_id == supervisor.id)
        )
    )
    wanted = set(counselor_ids)
    for counselor_id in current - wanted:
        db.session.delete(db.session.get(Supervision, (supervisor.id, counselor_id)))
    for counselor_id in wanted - current:
        db.session.add(Supervision(supervisor_id=supervisor.id, counselor_id=counselor_id))
    db.session.flush()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(user: User, couple, created_by: User) -> str:
    """A new single-use invitation for `user`; earlier unused ones stop working.

    Returns the token, which is shown once; only its hash is stored."""
    now = utcnow()
    for old in db.session.scalars(
        select(Invitation).where(
            Invitation.user_id == user.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    ):
        old.revoked_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            token_hash=_token_hash(token),
            user_id=user.id,
            couple_id=couple.id,
            created_by_id=created_by.id,
            expires_at=now + timedelta(hours=current_app.config["INVITATION_HOURS"]),
        )
    )
    db.session.flush()
    return token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation for a token, if it can still be used."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or not invitation.is_usable or not invitation.user.active:
        return None
    return invitation


class InvitationUsedError(Exception):
    """The invitation was used (or revoked) by another request a moment earlier."""


def accept_invitation(invitation: Invitation, password: str) -> User:
    """Claim the invitation with one conditional UPDATE, so that of two requests at the same
    moment only one sets a password; the other gets InvitationUsedError."""
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise InvitationUsedError
    db.session.refresh(invitation)
    set_password(invitation.user, password)
    db.session.flush()
    return invitation.user
