"""Who may see what. Role decorators and scoped loaders: the one file to audit.

Rules:
- A page meant for another role answers 403.
- A record outside the user's scope answers 404, exactly as if it did not exist.
- No route loads a couple (or anything inside one) by a bare id: it goes through a loader here.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from .audit.services import record_refusal
from .auth.models import Supervision, User
from .couples.models import Couple, Partner
from .extensions import db


def roles_required(*roles: str):
    """Signed-in users of the given roles only; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                record_refusal(f"role {current_user.role} on page for {','.join(roles)}")
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


staff_required = roles_required("counselor", "supervisor", "admin")
counselor_required = roles_required("counselor")
client_required = roles_required("client")
supervisor_required = roles_required("supervisor", "admin")
admin_required = roles_required("admin")


def supervised_counselor_ids(user: User) -> Select:
    return select(Supervision.counselor_id).where(Supervision.supervisor_id == user.id)


def visible_couples(user: User) -> Select:
    """The couples `user` may see as staff: their caseload, their team's, or all (admin)."""
    query = select(Couple)
    if user.role == "admin":
        return query
    if user.role == "counselor":
        return query.where(Couple.counselor_id == user.id)
    if user.role == "supervisor":
        return query.where(Couple.counselor_id.in_(supervised_counselor_ids(user)))
    return query.where(False)


def can_see_couple(user: User, couple: Couple) -> bool:
    if user.role == "admin":
        return True
    if user.role == "counselor":
        return couple.counselor_id == user.id
    if user.role == "supervisor":
        return can_supervise(user, couple.counselor_id)
    if user.role == "client":
        return couple.partner_slot(user.id) is not None
    return False


def can_manage_couple(user: User, couple: Couple) -> bool:
    """Only the couple's own counselor works the case (assigns, reviews, raises flags)."""
    return user.role == "counselor" and couple.counselor_id == user.id


def can_supervise(user: User, counselor_id: int) -> bool:
    if user.role == "admin":
        return True
    if user.role != "supervisor":
        return False
    return (
        db.session.get(Supervision, {"supervisor_id": user.id, "counselor_id": counselor_id})
        is not None
    )


def _not_found(kind: str, object_id) -> None:
    record_refusal(f"{kind} out of scope", object_type=kind, object_id=_int_or_none(object_id))
    abort(404)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def couple_for_staff(user: User, couple_id: int) -> Couple:
    """A couple in the staff member's scope (read access), else 404."""
    couple = db.session.get(Couple, couple_id)
    if couple is None or user.role == "client" or not can_see_couple(user, couple):
        _not_found("couple", couple_id)
    return couple


def couple_for_counselor(user: User, couple_id: int) -> Couple:
    """A couple the user counsels (write access), else 404 (or 403 for a supervisor in scope)."""
    couple = couple_for_staff(user, couple_id)
    if not can_manage_couple(user, couple):
        record_refusal("read-only access to couple", object_type="couple", object_id=couple.id)
        abort(403)
    return couple


def own_couple(user: User) -> Couple:
    """The signed-in client's own couple, else 404."""
    couple = db.session.scalar(
        select(Couple)
        .join(Partner, Partner.couple_id == Couple.id)
        .where(Partner.user_id == user.id)
    )
    if couple is None:
        abort(404)
    return couple


def counselor_for_supervisor(user: User, counselor_id: int) -> User:
    """A counselor the user supervises (admins: any counselor), else 404."""
    counselor = db.session.get(User, counselor_id)
    if counselor is None or counselor.role != "counselor" or not can_supervise(user, counselor.id):
        _not_found("user", counselor_id)
    return counselor


def scoped_or_404(user: User, model, object_id: int, *, couple_attr: str = "couple_id"):
    """Load a record that belongs to a couple, checking the couple is in the staff scope."""
    obj = db.session.get(model, object_id)
    if obj is None:
        _not_found(model.__tablename__, object_id)
    couple_for_staff(user, getattr(obj, couple_attr))
    return obj


def child_of(obj, parent_id: int, attr: str = "couple_id"):
    """A child object in a URL must belong to the parent in the same URL."""
    if getattr(obj, attr) != parent_id:
        _not_found(obj.__tablename__, obj.id)
    return obj
