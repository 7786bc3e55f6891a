"""Vocabulary for the access matrix.

Each route maps to a Rule: how to build its URL from the world, the method to use, and the
status each role must get. LOGIN means a redirect to the sign-in page. A tuple allows any of
several statuses (for a form posted empty: re-rendered with errors, or redirected).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "partner_a",
    "partner_b",
    "other_client",
    "counselor",
    "other_counselor",
    "supervisor",
    "other_supervisor",
    "admin",
)
CLIENTS = ("partner_a", "partner_b", "other_client")
STAFF = ("counselor", "other_counselor", "supervisor", "other_supervisor", "admin")
LOGIN = "login"
OK = 200
FORM_POST = (200, 302, 303)


@dataclass
class Rule:
    url: Callable
    expect: dict
    method: str = "GET"
    data: dict | None = None
    setup: Callable | None = None
    extra: dict = field(default_factory=dict)


def everyone(status) -> dict:
    return dict.fromkeys(ROLES, status)


def role_page(allowed: tuple[str, ...], ok=OK) -> dict:
    """A page for some roles: anonymous signs in, other roles get 403."""
    expect = {}
    for role in ROLES:
        if role == "anonymous":
            expect[role] = LOGIN
        elif role in allowed or _role_of(role) in allowed:
            expect[role] = ok
        else:
            expect[role] = 403
    return expect


def _role_of(name: str) -> str:
    return {
        "partner_a": "client",
        "partner_b": "client",
        "other_client": "client",
        "counselor": "counselor",
        "other_counselor": "counselor",
        "supervisor": "supervisor",
        "other_supervisor": "supervisor",
        "admin": "admin",
    }.get(name, name)


def couple_read(ok=OK) -> dict:
    """A record of the world's couple that staff in scope may read."""
    expect = role_page(("counselor", "supervisor", "admin"), ok)
    expect["other_counselor"] = 404
    expect["other_supervisor"] = 404
    return expect


def couple_write(ok=FORM_POST) -> dict:
    """Something only the couple's own counselor does."""
    expect = role_page(("counselor",), ok)
    expect["other_counselor"] = 404
    return expect


def client_page(ok=OK) -> dict:
    return role_page(("client",), ok)


def partner_a_only(ok=OK) -> dict:
    """A record belonging to partner A: partner B and other clients get 404, staff 403."""
    expect = client_page(ok)
    expect["partner_b"] = 404
    expect["other_client"] = 404
    return expect
