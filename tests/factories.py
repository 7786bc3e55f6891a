"""Test data built through the app's own services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from practice.auth.models import User
from practice.auth.services import create_user, hash_password, set_supervision
from practice.couples.models import Couple
from practice.couples.services import add_partner, create_couple
from practice.extensions import db

PASSWORD = "correct horse battery"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _password_hash() -> str:
    if "h" not in _hash_cache:
        _hash_cache["h"] = hash_password(PASSWORD)
    return _hash_cache["h"]


def make_user(role: str = "counselor", email: str | None = None, name: str | None = None,
              password: bool = True) -> User:
    n = next(_seq)
    user = create_user(email or f"{role}{n}@test.example", name or f"{role.title()} {n}", role)
    if password:
        user.password_hash = _password_hash()
    db.session.flush()
    return user


def make_couple(counselor: User, partners: int = 2, label: str | None = None,
                tz: str = "America/New_York") -> Couple:
    couple = create_couple(counselor, label or f"Couple {next(_seq)}", tz)
    for _ in range(partners):
        n = next(_seq)
        user = add_partner(couple, f"client{n}@test.example", f"Client {n}")
        user.password_hash = _password_hash()
    db.session.flush()
    return couple


@dataclass
class World:
    """Everyone the access rules distinguish between."""

    admin: User
    supervisor: User
    other_supervisor: User
    counselor: User
    other_counselor: User
    couple: Couple
    partner_a: User
    partner_b: User
    other_couple: Couple
    other_client: User
    extra: dict

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def make_world() -> World:
    admin = make_user("admin")
    supervisor = make_user("supervisor")
    other_supervisor = make_user("supervisor")
    counselor = make_user("counselor")
    other_counselor = make_user("counselor")
    set_supervision(supervisor, [counselor.id])
    set_supervision(other_supervisor, [other_counselor.id])
    couple = make_couple(counselor)
    other_couple = make_couple(other_counselor)
    db.session.commit()
    return World(
        admin=admin,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        counselor=counselor,
        other_counselor=other_counselor,
        couple=couple,
        partner_a=couple.partners[0].user,
        partner_b=couple.partners[1].user,
        other_couple=other_couple,
        other_client=other_couple.partners[0].user,
        extra={},
    )
