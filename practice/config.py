"""Configuration classes; every value that varies between installs comes from the environment."""

from __future__ import annotations

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


class Config:
    """Settings shared by every mode."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8
    INVITATION_HOURS = 72
    CHECKIN_EDIT_HOURS = 48
    QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
    ARGON2_PARAMS: dict[str, int] = {}
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    # How many reverse proxies sit in front of the app: their X-Forwarded-* headers are then
    # trusted for the client's address (audit log, rate limits) and scheme. 0: none trusted.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0") or 0)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 100 per hour")
    # The benchmark's per-page SQL count (X-Query-Count); off unless asked for.
    COUNT_QUERIES = _bool("BRIDGEWORK_COUNT_QUERIES", False)

    @classmethod
    def load(cls, instance_path: str) -> dict:
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        values["SQLALCHEMY_DATABASE_URI"] = _database_url(instance_path)
        values["SECRET_KEY"] = os.environ.get("SECRET_KEY") or cls.fallback_secret(instance_path)
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


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = _bool("FLASK_DEBUG", False)


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    WTF_CSRF_ENABLED = True
    # Cheap hashes keep the suite fast; production uses argon2-cffi's defaults.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    # The suite signs in hundreds of times from one address; one test lowers it.
    LOGIN_RATE_LIMIT = "100000 per minute"
    RATELIMIT_STORAGE_URI = "memory://"

    @classmethod
    def fallback_secret(cls, instance_path: str) -> str | None:
        return secrets.token_hex(32)


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def fallback_secret(cls, instance_path: str) -> str | None:
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
