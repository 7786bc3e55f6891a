"""Two-factor sign-in: a TOTP authenticator app, and ten single-use recovery codes.

The shared secret is encrypted at rest; recovery codes are stored as sha256 hashes (each code
carries 64 random bits, so a slow hash adds nothing). A code is accepted once and only inside
its 30-second window, give or take one window for a slow clock: the last time-step used is kept
per person, and a code of that step or an earlier one is refused (a replay).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..crypto import EncryptedText
from ..extensions import db
from .models import User

ISSUER = "Bridgework"
RECOVERY_CODES = 10
DRIFT_STEPS = 1


class TwoFactor(db.Model):
    """A person's authenticator: enrolled once `confirmed_at` is set by a first good code."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    secret: Mapped[str] = mapped_column(EncryptedText)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RecoveryCode(db.Model):
    """One single-use recovery code, as a sha256 hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


def signing_in_user(user_id) -> User | None:
    """The active account whose password was right, waiting for its second factor."""
    if not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def _record_of(user: User) -> TwoFactor | None:
    return db.session.get(TwoFactor, user.id)


def is_enrolled(user: User) -> bool:
    record = _record_of(user)
    return record is not None and record.confirmed_at is not None


def pending_secret(user: User) -> str:
    """The secret being set up (a new one when none is waiting for its first code)."""
    record = _record_of(user)
    if record is None:
        record = TwoFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(record)
        db.session.flush()
    return record.secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as SVG markup (elements only: no script, no style attribute)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff",
                                                  svgclass="qr-code")


def _now_timestamp() -> float:
    return utcnow().replace(tzinfo=UTC).timestamp()


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time-step whose code is `code`, near now and later than `after`."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(_now_timestamp() // totp.interval)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash(code: str) -> str:
    normal = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(8)
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Switch the second factor on if `code` is right; returns the recovery codes, shown once."""
    record = _record_of(user)
    if record is None or record.confirmed_at is not None:
        return None
    step = _matching_step(record.secret, code, record.last_step)
    if step is None:
        return None
    record.confirmed_at = utcnow()
    record.last_step = step
    return _new_recovery_codes(user)


def verify_second_factor(user: User, code: str) -> str | None:
    """Check an authenticator code or a recovery code at sign-in; each works once.
    Returns "code" or "recovery" when accepted, None otherwise."""
    record = _record_of(user)
    if record is None or record.confirmed_at is None or not code:
        return None
    step = _matching_step(record.secret, code, record.last_step)
    if step is not None:
        record.last_step = step
        db.session.flush()
        return "code"
    spare = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
        RecoveryCode.used_at.is_(None)))
    if spare is not None:
        spare.used_at = utcnow()
        db.session.flush()
        return "recovery"
    return None


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def remove_second_factor(user: User) -> bool:
    """Forget the authenticator and recovery codes (an admin's reset); True if there was one."""
    had = _record_of(user) is not None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.flush()
    db.session.expire_all()
    return had


def enrolled_ids(user_ids: list[int]) -> set[int]:
    """Which of these people have a second factor switched on (one query)."""
    return set(db.session.scalars(select(TwoFactor.user_id).where(
        TwoFactor.user_id.in_(user_ids), TwoFactor.confirmed_at.is_not(None))).all())
