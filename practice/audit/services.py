"""Writing the audit log. Entries name actions and record ids, never what a client wrote."""

from __future__ import annotations

from flask import g, has_request_context, request
from flask_login import current_user

from ..extensions import db
from .models import AuditEntry


def _request_facts() -> dict:
    if not has_request_context():
        return {}
    path = request.path.replace("\x00", "")[:300]  # PostgreSQL cannot store NUL
    return {"ip": (request.remote_addr or "")[:45] or None, "path": path}


def _actor(actor=None):
    if actor is not None:
        return actor
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user
    return None


def record(
    action: str,
    *,
    obj=None,
    object_type: str | None = None,
    object_id: int | None = None,
    couple_id: int | None = None,
    outcome: str = "ok",
    actor=None,
    detail: str | None = None,
) -> AuditEntry:
    """Add one audit entry to the current transaction."""
    who = _actor(actor)
    if obj is not None:
        object_type = object_type or obj.__tablename__.rstrip("s")
        object_id = obj.id
        if couple_id is None:
            is_couple = obj.__tablename__ == "couples"
            couple_id = obj.id if is_couple else getattr(obj, "couple_id", None)
    entry = AuditEntry(
        actor_id=who.id if who is not None else None,
        actor_role=who.role if who is not None else None,
        actor_email=who.email if who is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        couple_id=couple_id,
        outcome=outcome,
        detail=(detail or None) and detail[:300],
        **_request_facts(),
    )
    db.session.add(entry)
    return entry


def record_refusal(reason: str, **kwargs) -> None:
    """Remember a refused access; it is written after the request's rollback."""
    if not has_request_context():
        return
    pending = g.setdefault("audit_refusals", [])
    pending.append((reason, kwargs))


def flush_refusals() -> None:
    pending = g.pop("audit_refusals", None) if has_request_context() else None
    if not pending:
        return
    for reason, kwargs in pending:
        record("access_refused", outcome="refused", detail=reason, **kwargs)
    db.session.commit()
