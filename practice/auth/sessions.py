"""Server-side sessions: the cookie carries only a random key; what it unlocks lives on the server.

Sessions are kept in Redis when REDIS_URL is set, else in the `user_sessions` table. Either way a
session ends on the server (sign-out, quick exit, password change, deactivation, "end all
sessions"), so a copy of an old cookie opens nothing. A session expires after
SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in, whatever happens.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app, has_request_context, request, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from flask_login import user_logged_in, user_logged_out
from sqlalchemy import DateTime, ForeignKey, String, delete, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.datastructures import CallbackDict

from ..clock import utcnow
from ..crypto import EncryptedText
from ..extensions import db

# A request within this long of the last one does not rewrite the session just to note it.
TOUCH_EVERY = timedelta(seconds=60)
_serializer = TaggedJSONSerializer()


class UserSession(db.Model):
    """One server-side session. Only the key's hash is stored, never the cookie's value."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[str] = mapped_column(EncryptedText, default="")  # may hold a kept form
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))


@dataclass
class Record:
    """A session as either store keeps it."""

    key_hash: str
    user_id: int | None
    data: str
    created_at: datetime
    last_seen_at: datetime
    ip: str | None = None
    user_agent: str | None = None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _limits(app: Flask) -> tuple[timedelta, timedelta]:
    return (timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
            timedelta(hours=app.config["SESSION_MAX_HOURS"]))


def is_expired(app: Flask, record: Record, now: datetime) -> bool:
    idle, absolute = _limits(app)
    return now - record.last_seen_at > idle or now - record.created_at > absolute


class DatabaseStore:
    """Sessions in the `user_sessions` table.

    Reading and writing around a request use a connection of their own (the request's
    transaction has been committed by then); ending sessions from inside a request goes through
    the request's transaction, so it commits with the change that asked for it.
    """

    def load(self, key_hash: str) -> Record | None:
        with Session(db.engine) as s:
            row = s.scalar(select(UserSession).where(UserSession.key_hash == key_hash))
            return _record(row) if row else None

    def create(self, record: Record, app: Flask) -> None:
        idle, absolute = _limits(app)
        now = record.created_at
        with Session(db.engine) as s, s.begin():
            s.execute(delete(UserSession).where(or_(
                UserSession.last_seen_at < now - idle, UserSession.created_at < now - absolute,
            )))
            s.add(UserSession(**asdict(record)))

    def write(self, key_hash: str, data: str | None, last_seen_at: datetime) -> None:
        values = {"last_seen_at": last_seen_at}
        if data is not None:
            values["data"] = data
        with Session(db.engine) as s, s.begin():
            s.execute(update(UserSession).where(UserSession.key_hash == key_hash).values(values))

    def discard(self, key_hash: str) -> None:
        with Session(db.engine) as s, s.begin():
            s.execute(delete(UserSession).where(UserSession.key_hash == key_hash))

    def of_user(self, user_id: int) -> list[Record]:
        rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user_id))
        return [_record(row) for row in rows]

    def end(self, user_id: int, key_hashes: list[str] | None, keep: str | None) -> int:
        query = delete(UserSession).where(UserSession.user_id == user_id)
        if key_hashes is not None:
            query = query.where(UserSession.key_hash.in_(key_hashes))
        if keep:
            query = query.where(UserSession.key_hash != keep)
        return db.session.execute(query).rowcount


def _record(row: UserSession) -> Record:
    return Record(key_hash=row.key_hash, user_id=row.user_id, data=row.data,
                  created_at=row.created_at, last_seen_at=row.last_seen_at, ip=row.ip,
                  user_agent=row.user_agent)


class RedisStore:
    """Sessions in Redis: one key per session (expiring with the idle timeout) and one set of
    session keys per user, so that all of a user's sessions can be listed and ended."""

    def __init__(self, url: str):
        import redis

        self.redis = redis.Redis.from_url(url)

    @staticmethod
    def _key(key_hash: str) -> str:
        return f"bridgework:session:{key_hash}"

    @staticmethod
    def _user_key(user_id: int) -> str:
        return f"bridgework:user-sessions:{user_id}"

    def _ttl(self) -> int:
        idle, _absolute = _limits(current_app)
        return int(idle.total_seconds()) + 60

    def load(self, key_hash: str) -> Record | None:
        raw = self.redis.get(self._key(key_hash))
        if raw is None:
            return None
        values = json.loads(raw)
        for name in ("created_at", "last_seen_at"):
            values[name] = datetime.fromisoformat(values[name])
        return Record(**values)

    def _put(self, record: Record) -> None:
        values = asdict(record)
        for name in ("created_at", "last_seen_at"):
            values[name] = values[name].isoformat()
        self.redis.set(self._key(record.key_hash), json.dumps(values), ex=self._ttl())

    def create(self, record: Record, app: Flask) -> None:
        self._put(record)
        if record.user_id is not None:
            self.redis.sadd(self._user_key(record.user_id), record.key_hash)

    def write(self, key_hash: str, data: str | None, last_seen_at: datetime) -> None:
        record = self.load(key_hash)
        if record is None:  # ended meanwhile: never bring it back
            return
        if data is not None:
            record.data = data
        record.last_seen_at = last_seen_at
        self._put(record)

    def discard(self, key_hash: str) -> None:
        record = self.load(key_hash)
        self.redis.delete(self._key(key_hash))
        if record is not None and record.user_id is not None:
            self.redis.srem(self._user_key(record.user_id), key_hash)

    def of_user(self, user_id: int) -> list[Record]:
        records = []
        for raw in self.redis.smembers(self._user_key(user_id)):
            key_hash = raw.decode()
            record = self.load(key_hash)
            if record is None:
                self.redis.srem(self._user_key(user_id), key_hash)
            else:
                records.append(record)
        return records

    def end(self, user_id: int, key_hashes: list[str] | None, keep: str | None) -> int:
        ended = 0
        for record in self.of_user(user_id):
            if record.key_hash == keep or (key_hashes is not None
                                           and record.key_hash not in key_hashes):
                continue
            self.discard(record.key_hash)
            ended += 1
        return ended


def shared_storage(name: str, in_redis, in_database):
    """The app's one `name` storage: in_redis(REDIS_URL) when REDIS_URL is set, else
    in_database(). Kept per app, so every request of a worker shares one Redis connection pool."""
    app = current_app._get_current_object()
    if name not in app.extensions:
        url = app.config.get("REDIS_URL")
        app.extensions[name] = in_redis(url) if url else in_database()
    return app.extensions[name]


def store():
    return shared_storage("session_store", RedisStore, DatabaseStore)


class ServerSession(CallbackDict, SessionMixin):
    """The session of one request, with what the server knows of it."""

    def __init__(self, initial=None, key: str | None = None, record: Record | None = None):
        def on_update(self_):
            self_.modified = True
            self_.accessed = True

        super().__init__(initial, on_update)
        self.key = key
        self.record = record
        self.modified = False
        self.accessed = False
        self.rotate = False  # sign-in or sign-out: the old key stops working
        self.stale_cookie = False  # the browser sent a key the server no longer knows
        self.expired_user_id: int | None = None  # whose session timed out on this request


class ServerSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request) -> ServerSession:
        key = request.cookies.get(self.get_cookie_name(app))
        if not key or len(key) > 100:
            return ServerSession()
        record = store().load(_hash(key))
        if record is None:
            fresh = ServerSession()
            fresh.stale_cookie = True
            return fresh
        if is_expired(app, record, utcnow()):
            store().discard(record.key_hash)
            fresh = ServerSession()
            fresh.stale_cookie = True
            fresh.expired_user_id = record.user_id
            return fresh
        try:
            data = _serializer.loads(record.data) if record.data else {}
        except ValueError:
            data = {}
        return ServerSession(data, key=key, record=record)

    def save_session(self, app: Flask, session: ServerSession, response) -> None:
        if session.accessed:
            response.vary.add("Cookie")
        key = session.key
        if key and (session.rotate or not session):
            store().discard(_hash(key))
            key = None
        if not session:
            if session.key or session.stale_cookie:
                response.delete_cookie(
                    self.get_cookie_name(app), path=self.get_cookie_path(app),
                    domain=self.get_cookie_domain(app), secure=self.get_cookie_secure(app),
                    httponly=self.get_cookie_httponly(app),
                    samesite=self.get_cookie_samesite(app),
                )
            return
        now = utcnow()
        data = _serializer.dumps(dict(session))
        if key is None:
            key = secrets.token_urlsafe(32)
            store().create(Record(
                key_hash=_hash(key), user_id=_user_id(session), data=data, created_at=now,
                last_seen_at=now, ip=(request.remote_addr or "")[:45] or None,
                user_agent=(request.user_agent.string or "")[:200] or None,
            ), app)
            response.set_cookie(
                self.get_cookie_name(app), key, path=self.get_cookie_path(app),
                domain=self.get_cookie_domain(app), secure=self.get_cookie_secure(app),
                httponly=True, samesite=self.get_cookie_samesite(app),
            )
            return
        if session.modified:
            store().write(_hash(key), data, now)
        elif now - session.record.last_seen_at >= TOUCH_EVERY:
            store().write(_hash(key), None, now)


def _user_id(session: ServerSession) -> int | None:
    value = session.get("_user_id")
    return int(value) if value is not None and str(value).isdigit() else None


def current_handle() -> str | None:
    """The handle (key hash) of this request's session, if it has one on the server."""
    if not has_request_context():
        return None
    key = getattr(session, "key", None)
    return _hash(key) if key and not session.rotate else None


def end_sessions(user, keep: str | None = None) -> int:
    """End every server-side session of `user`, except the one whose handle is `keep`."""
    if keep is None and has_request_context() and _user_id(session) == user.id:
        session.clear()
        session.rotate = True
    return store().end(user.id, None, keep)


def end_session(user, handle: str) -> bool:
    """End one of the user's own sessions by its handle; False when it is not theirs."""
    if handle == current_handle():
        session.clear()
        session.rotate = True
    return store().end(user.id, [handle], None) > 0


def sessions_of(user) -> list[Record]:
    """The user's sessions that are still running, most recently used first."""
    now = utcnow()
    app = current_app._get_current_object()
    records = [r for r in store().of_user(user.id) if not is_expired(app, r, now)]
    return sorted(records, key=lambda r: r.last_seen_at, reverse=True)


def rotate_session() -> None:
    """Give this session a new key: the old cookie stops working at the end of the request."""
    if has_request_context() and isinstance(session, ServerSession):
        session.rotate = True


def _on_sign_in(sender, user, **extra) -> None:
    rotate_session()


def _on_sign_out(sender, user, **extra) -> None:
    rotate_session()


def init_app(app: Flask) -> None:
    app.session_interface = ServerSessionInterface()
    user_logged_in.connect(_on_sign_in, app)
    user_logged_out.connect(_on_sign_out, app)


def describe_device(user_agent: str | None) -> str:
    """A plain name for a browser and system, from the User-Agent header."""
    text = user_agent or ""
    browser = next((name for marker, name in (
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ) if marker in text), "A browser")
    system = next((name for marker, name in (
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
        ("Mac OS X", "Mac"), ("Linux", "Linux"),
    ) if marker in text), "an unknown system")
    return f"{browser} on {system}"
