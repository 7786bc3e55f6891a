"""Template globals and filters: the practice's settings, times in local time, navigation."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user

from .clock import to_local
from .links import public_url


def practice_settings():
    from .admin.services import get_settings

    if "practice_settings" not in g:
        g.practice_settings = get_settings()
    return g.practice_settings


def _tz(tz: str | None = None) -> str:
    return tz or practice_settings().default_timezone


def local_datetime(value: datetime | None, tz: str | None = None,
                   fmt: str = "%d %b %Y, %H:%M %Z"):
    """A UTC time in `tz` (default: the practice's zone), labelled with the zone's abbreviation
    so times shown in different zones on different pages cannot be confused."""
    if value is None:
        return ""
    return to_local(value, _tz(tz)).strftime(fmt)


def local_date(value: date | datetime | None, tz: str | None = None, fmt: str = "%a %d %b %Y"):
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value, _tz(tz))
    return value.strftime(fmt)


NAV = {
    "client": [("main.client_home", "Home"), ("checkins.history", "My check-ins"),
               ("reminders.settings", "Reminders"), ("flags.safety", "Getting help")],
    "counselor": [
        ("main.counselor_home", "Caseload"),
        ("couples.new", "New couple"),
        ("exercises.index", "Exercises"),
        ("appointments.calendar", "Calendar"),
        ("supervision.my_notes", "Supervision notes"),
    ],
    "supervisor": [
        ("main.supervisor_home", "Team"),
        ("supervision.flag_queue_view", "Flags"),
        ("supervision.audit_log", "Audit log"),
    ],
    "admin": [
        ("admin.index", "Staff"),
        ("admin.settings", "Practice settings"),
        ("supervision.team", "Counselors"),
        ("supervision.audit_log", "Audit log"),
        ("mail.outbox", "Mail"),
    ],
}


def tel_digits(number: str) -> str:
    """A phone number as a tel: link wants it: digits and a leading plus only."""
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def nav_items() -> list[tuple[str, str, bool]]:
    """(endpoint, label, is_current) for the signed-in user's role."""
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label in NAV.get(current_user.role, []):
        if endpoint.split(".")[0] in current_app.blueprints:
            items.append((endpoint, label, request.endpoint == endpoint))
    return items


def register(app: Flask) -> None:
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.globals["practice_settings"] = practice_settings
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["public_url"] = public_url
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.jinja_env.globals["tel_digits"] = tel_digits
    # Quick exit goes through /exit, which signs out before leaving for QUICK_EXIT_URL.
    app.jinja_env.globals["quick_exit_url"] = lambda: url_for("auth.quick_exit")
