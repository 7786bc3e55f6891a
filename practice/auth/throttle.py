"""Sign-in throttling by account and by address, in storage every app server shares.

Each failed sign-in is counted twice: against the account it targeted (from any address) and
against the pair of that address and account. Either count past LOGIN_FREE_FAILURES makes the
next attempt wait LOGIN_DELAY_SECONDS, doubling with each further failure up to
LOGIN_MAX_DELAY_SECONDS; past LOGIN_HOURLY_FAILURES in the last hour the account takes no more
attempts until the hour has passed. A refused attempt checks no password and counts nothing.
A right password ends the counts. Failures on one account never hold back another account,
even from the same address (a shared office or a phone network).

Counts live in the database (`sign_in_failures`), or in Redis when REDIS_URL is set, so they
hold across gunicorn workers and servers. Unknown emails are counted like real ones, so the
answers never tell which accounts exist.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from sqlalchemy import DateTime, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from .models import User
from .services import authenticate, find_user_by_email
from .sessions import shared_storage

WINDOW = timedelta(hours=1)


class SignInFailure(db.Model):
    """One failed sign-in, under a hash of what it counts against (never the email itself)."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


def _keys(email: str) -> list[str]:
    account = email.strip().lower()
    address = request.remote_addr or "unknown"
    return [hashlib.sha256(f"account:{account}".encode()).hexdigest(),
            hashlib.sha256(f"pair:{address}:{account}".encode()).hexdigest()]


class DatabaseCounter:
    """Failures as rows, written in the request's transaction (a failed sign-in commits)."""

    def failures(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        count, last = db.session.execute(
            select(func.count(SignInFailure.id), func.max(SignInFailure.at))
            .where(SignInFailure.key == key, SignInFailure.at > since)
        ).one()
        return count, last

    def add(self, keys: list[str], now: datetime) -> None:
        db.session.execute(delete(SignInFailure).where(SignInFailure.at < now - WINDOW))
        db.session.add_all(SignInFailure(key=key, at=now) for key in keys)
        db.session.flush()

    def clear(self, keys: list[str]) -> None:
        db.session.execute(delete(SignInFailure).where(SignInFailure.key.in_(keys)))


class RedisCounter:
    """Failures as timestamps in one sorted set per key, expiring after the window."""

    def __init__(self, url: str):
        import redis

        self.redis = redis.Redis.from_url(url)

    @staticmethod
    def _name(key: str) -> str:
        return f"bridgework:sign-in-failures:{key}"

    def failures(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        name = self._name(key)
        self.redis.zremrangebyscore(name, "-inf", _stamp(since))
        count = self.redis.zcard(name)
        last = self.redis.zrange(name, -1, -1, withscores=True)
        if not last:
            return count, None
        return count, datetime.fromtimestamp(last[0][1], UTC).replace(tzinfo=None)

    def add(self, keys: list[str], now: datetime) -> None:
        stamp = _stamp(now)
        for key in keys:
            member = f"{stamp}:{self.redis.incr(self._name(key) + ':n')}"
            self.redis.zadd(self._name(key), {member: stamp})
            self.redis.expire(self._name(key), int(WINDOW.total_seconds()))
            self.redis.expire(self._name(key) + ":n", int(WINDOW.total_seconds()))

    def clear(self, keys: list[str]) -> None:
        self.redis.delete(*[self._name(key) for key in keys])


def _stamp(moment: datetime) -> float:
    """Seconds since the epoch of a naive UTC time."""
    return moment.replace(tzinfo=UTC).timestamp()


def counter():
    return shared_storage("sign_in_counter", RedisCounter, DatabaseCounter)


@dataclass
class Wait:
    """An attempt refused for now, and for about how long."""

    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def wait_before_attempt(email: str) -> Wait | None:
    """How long this email must wait from this address before its password is checked."""
    config = current_app.config
    now = utcnow()
    longest = 0.0
    for index, key in enumerate(_keys(email)):
        count, last = counter().failures(key, now - WINDOW)
        if index == 0 and count >= config["LOGIN_HOURLY_FAILURES"]:
            oldest_leaves = WINDOW.total_seconds()  # at most an hour; said as such
            longest = max(longest, oldest_leaves)
        elif count >= config["LOGIN_FREE_FAILURES"] and last is not None:
            steps = count - config["LOGIN_FREE_FAILURES"]
            delay = min(config["LOGIN_DELAY_SECONDS"] * 2 ** min(steps, 30),
                        config["LOGIN_MAX_DELAY_SECONDS"])
            longest = max(longest, (last + timedelta(seconds=delay) - now).total_seconds())
    return Wait(math.ceil(longest)) if longest > 0 else None


def note_failure(email: str) -> None:
    counter().add(_keys(email), utcnow())


def note_success(email: str) -> None:
    counter().clear(_keys(email))


@dataclass
class Attempt:
    """The outcome of one sign-in attempt: the user signed in, or why not."""

    user: User | None
    target_id: int | None  # the account the email names, for the audit log only
    wait: Wait | None = None


def attempt_sign_in(email: str, password: str) -> Attempt:
    """Check the password unless the account (or this address's tries at it) must wait."""
    target = find_user_by_email(email)
    target_id = target.id if target is not None else None
    wait = wait_before_attempt(email)
    if wait is not None:
        return Attempt(None, target_id, wait)
    user = authenticate(email, password)
    if user is None:
        note_failure(email)
    else:
        note_success(email)
    return Attempt(user, target_id)
