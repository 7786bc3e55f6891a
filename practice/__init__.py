"""Bridgework: homework, check-ins and flagged situations for couples counseling practices."""

from __future__ import annotations

import importlib
import os
import re

from flask import Flask, Request
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Config, ProductionConfig, config_from_env


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the app. `config` is a Config class, a dict of overrides, or None (environment)."""
    app = Flask(__name__, instance_relative_config=True)
    app.request_class = FormRequest
    os.makedirs(app.instance_path, exist_ok=True)
    configure(app, config)
    if app.config.get("PROXY_COUNT"):
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_query_counter(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_discretion(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def configure(app: Flask, config: type[Config] | dict | None) -> None:
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = config
        config_class = config_from_env()
    else:
        config_class = config or config_from_env()
    app.config.from_mapping(config_class.load(app.instance_path))
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        if issubclass(config_class, ProductionConfig):
            raise RuntimeError(
                "SECRET_KEY is not set. In production Bridgework refuses to start without one: "
                "set SECRET_KEY in the environment to a long random value."
            )
        raise RuntimeError("SECRET_KEY is not set.")
    if not app.config.get("DATA_KEYS"):
        raise RuntimeError(
            "DATA_KEY is not set. In production Bridgework refuses to start without the key "
            "that encrypts clients' words: set DATA_KEY to a Fernet key (python -c 'from "
            "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') and "
            "keep it apart from the backups."
        )
    if issubclass(config_class, ProductionConfig) and not app.config.get("PUBLIC_BASE_URL"):
        raise RuntimeError(
            "PUBLIC_BASE_URL is not set. In production Bridgework refuses to start without it: "
            "set it to the address people use, e.g. https://care.example.org."
        )


def register_extensions(app: Flask) -> None:
    from . import database, models  # noqa: F401  (connection settings; every table for Alembic)
    from .auth import sessions
    from .extensions import csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrations = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "migrations"))
    migrate.init_app(app, db, directory=migrations, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    sessions.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    from .worker import register_nudge

    register_nudge()
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        from .auth.models import User

        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None


# C0 control characters other than tab, line feed and carriage return: nobody types them, and
# PostgreSQL cannot store NUL (the save would fail and the form's text would be lost).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class FormRequest(Request):
    """Submitted form names and values lose their invisible control characters."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form and any(CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
                        for key, value in form.items(multi=True)):
            self.__dict__["form"] = self.parameter_storage_class(
                [(CONTROL_CHARACTERS.sub("", key), CONTROL_CHARACTERS.sub("", value))
                 for key, value in form.items(multi=True)]
            )


MAX_ID = 2**31 - 1  # the largest value of an INTEGER primary key on PostgreSQL


def register_url_converters(app: Flask) -> None:
    """`<int:...>` matches only ids a database can hold: a longer number is a 404, not a 500."""
    from werkzeug.routing import IntegerConverter

    class IdConverter(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter


BLUEPRINTS = (
    "main",
    "auth",
    "couples",
    "admin",
    "exercises",
    "checkins",
    "flags",
    "supervision",
    "client_app",
    "appointments",
    "handovers",
    "mail",
    "password_reset",
    "reminders",
    "account",
)


def register_blueprints(app: Flask) -> None:
    """Import each feature's routes (which attach to its blueprint), then register it."""
    for name in BLUEPRINTS:
        importlib.import_module(f"practice.{name}.routes")
        app.register_blueprint(importlib.import_module(f"practice.{name}").bp)


def register_query_counter(app: Flask) -> None:
    from .database import count_queries_per_request

    count_queries_per_request(app)


def register_request_hooks(app: Flask) -> None:
    from .audit.services import flush_refusals
    from .extensions import db

    @app.after_request
    def commit_and_secure(response):
        """One transaction per request: commit after a successful response, else roll back.

        Refused accesses are audited after the rollback, so they are kept either way.
        """
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
            flush_refusals()
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        # Nothing a signed-in person saw may be shown again from cache after logout.
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        )
        if app.config.get("HSTS"):
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=63072000; includeSubDomains")
        return response


def register_template_helpers(app: Flask) -> None:
    from .templating import register

    register(app)


def register_discretion(app: Flask) -> None:
    from .discretion import register

    register(app)


def register_error_handlers(app: Flask) -> None:
    from .main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from .cli import register

    register(app)
