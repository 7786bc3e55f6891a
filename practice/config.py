"""Configuration classes; every value that varies between installs comes from the environment."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return "sqlite:///" + str(Path(instance_path) / "practice.sqlite3")


# The test suite's data key: a Fernet key (32 random bytes, URL-safe base64), new each run.
_TEST_DATA_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


class Config:
    """Settings shared by every mode."""

    ENV_NAME = "base"
    DEFAULT_MAIL_BACKEND = "smtp"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    # hide_parameters: a database error never prints a statement's values (a client's words).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8
    # Server-side sessions (practice/auth/sessions.py): Redis when REDIS_URL is set, else the
    # database. A session ends after this long without a request, and this long after sign-in.
    SESSION_COOKIE_NAME = "bridgework_session"
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30") or 30)
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12") or 12)
    REDIS_URL = os.environ.get("REDIS_URL") or None
    INVITATION_HOURS = 72
    CHECKIN_EDIT_HOURS = 48
    QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
    ARGON2_PARAMS: dict[str, int] = {}
    # Where people reach the app (e.g. https://care.example.org): links sent outside the app
    # (invitations) are built from it, never from the request's Host header.
    PUBLIC_BASE_URL: str | None = None
    # Bodies over 1 MB are refused with a 413 page before any form is parsed.
    MAX_CONTENT_LENGTH = 1024 * 1024
    HSTS = False
    # How many reverse proxies sit in front of the app: their X-Forwarded-* headers are then
    # trusted for the client's address (audit log, rate limits) and scheme. 0: none trusted.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0") or 0)
    RATELIMIT_STORAGE_URI = (os.environ.get("RATELIMIT_STORAGE_URI")
                             or os.environ.get("REDIS_URL") or "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Invitation links, per address (Flask-Limiter). Sign-in has its own throttle below.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 100 per hour")
    # Mail (Flask-Mailman). SMTP as soon as MAIL_SERVER is set; see each mode for the default.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25") or 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Bridgework <no-reply@localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20") or 20)
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or (
        "smtp" if os.environ.get("MAIL_SERVER") else None
    )
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH")
    # Sign-in throttle (practice/auth/throttle.py), in the database or Redis: after this many
    # failures an account waits LOGIN_DELAY_SECONDS, doubling up to the maximum; at most
    # LOGIN_HOURLY_FAILURES failures an hour are accepted for one account.
    # Two-factor sign-in: required for admins and supervisors; for counselors the practice
    # setting decides, starting from TWO_FACTOR_DEFAULT. Development and tests leave it
    # optional so the demo's printed password alone signs in.
    TWO_FACTOR_REQUIRED = _bool("TWO_FACTOR_REQUIRED", True)
    TWO_FACTOR_DEFAULT = _bool("TWO_FACTOR_DEFAULT", True)
    LOGIN_FREE_FAILURES = int(os.environ.get("LOGIN_FREE_FAILURES", "5") or 5)
    LOGIN_DELAY_SECONDS = int(os.environ.get("LOGIN_DELAY_SECONDS", "2") or 2)
    LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", "900") or 900)
    LOGIN_HOURLY_FAILURES = int(os.environ.get("LOGIN_HOURLY_FAILURES", "100") or 100)
    # The benchmark's per-page SQL count (X-Query-Count); off unless asked for.
    COUNT_QUERIES = _bool("BRIDGEWORK_COUNT_QUERIES", False)

    @classmethod
    def load(cls, instance_path: str) -> dict:
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SQLALCHEMY_DATABASE_URI"] = _database_url(instance_path)
        values["SECRET_KEY"] = os.environ.get("SECRET_KEY") or cls.fallback_secret(instance_path)
        values["MAIL_BACKEND"] = cls.MAIL_BACKEND or cls.DEFAULT_MAIL_BACKEND
        values["MAIL_FILE_PATH"] = cls.MAIL_FILE_PATH or str(Path(instance_path) / "mail")
        keys = [k.strip() for k in os.environ.get("DATA_KEY", "").split(",") if k.strip()]
        values["DATA_KEYS"] = keys or cls.fallback_data_keys(instance_path)
        values["PUBLIC_BASE_URL"] = (
            os.environ.get("PUBLIC_BASE_URL") or cls.PUBLIC_BASE_URL or "").rstrip("/") or None
        return values

    @classmethod
    def fallback_secret(cls, instance_path: str) -> str | None:
        """Development keeps a random key in the instance folder; no secret lives in code."""
        path = Path(instance_path) / "secret_key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()


    @classmethod
    def fallback_data_keys(cls, instance_path: str) -> list[str] | None:
        """Development keeps a generated encryption key in the instance folder, like the
        secret key; production has none (and refuses to start)."""
        from cryptography.fernet import Fernet

        path = Path(instance_path) / "data_key"
        if not path.exists():
            path.write_text(Fernet.generate_key().decode())
            path.chmod(0o600)
        return [path.read_text().strip()]


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = _bool("FLASK_DEBUG", False)
    # Without a mail server, messages land in instance/mail/ and are announced on the console.
    DEFAULT_MAIL_BACKEND = "practice.mail.backends.DevelopmentEmailBackend"
    TWO_FACTOR_REQUIRED = _bool("TWO_FACTOR_REQUIRED", False)
    TWO_FACTOR_DEFAULT = _bool("TWO_FACTOR_DEFAULT", False)
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    DEFAULT_MAIL_BACKEND = "locmem"
    TWO_FACTOR_REQUIRED = False
    TWO_FACTOR_DEFAULT = False
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost")
    WTF_CSRF_ENABLED = True
    # Cheap hashes keep the suite fast; production uses argon2-cffi's defaults.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    # The suite signs in hundreds of times from one address; one test lowers it.
    LOGIN_RATE_LIMIT = "100000 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    # Many tests move the clock by days while signed in; the session tests use the real limits.
    SESSION_IDLE_MINUTES = 60 * 24 * 365
    SESSION_MAX_HOURS = 24 * 365

    @classmethod
    def fallback_secret(cls, instance_path: str) -> str | None:
        return secrets.token_hex(32)

    @classmethod
    def fallback_data_keys(cls, instance_path: str) -> list[str] | None:
        return [_TEST_DATA_KEY]  # one per test run: every app of the run reads the same data


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and
    # for the whole site; it needs HTTPS, so a plain-HTTP install keeps the plain name.
    SESSION_COOKIE_NAME = "__Host-bridgework" if SESSION_COOKIE_SECURE else "bridgework_session"
    PREFERRED_URL_SCHEME = "https"
    HSTS = _bool("HSTS", True)  # Strict-Transport-Security for two years

    @classmethod
    def fallback_secret(cls, instance_path: str) -> str | None:
        return None

    @classmethod
    def fallback_data_keys(cls, instance_path: str) -> list[str] | None:
        return None


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("BRIDGEWORK_ENV") or os.environ.get("APP_ENV") or "development"
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"BRIDGEWORK_ENV={name!r} is not one of {', '.join(CONFIGS)}"
        ) from None
