"""Column helpers and errors shared by every model."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class EditConflictError(Exception):
    """Raised when a staff edit was made from a version someone else has since changed."""


def check_version(obj, submitted: int | str | None) -> None:
    """Refuse an edit whose form was loaded from an older version of `obj`.

    Models that use this declare `version` with `__mapper_args__ = {"version_id_col": version}`,
    so a race between two flushes is refused by the database UPDATE as well.
    """
    try:
        submitted_version = int(submitted) if submitted not in (None, "") else None
    except (TypeError, ValueError):
        submitted_version = None
    if submitted_version is None or submitted_version != obj.version:
        raise EditConflictError(
            "Someone else changed this while you were editing. "
            "Your text is kept below: review their change, then save again."
        )


def populate(obj, form, exclude: tuple[str, ...] = ()) -> None:
    """Copy a form's data onto a model, leaving the version and form machinery alone."""
    skip = {"version", "submit", "csrf_token", *exclude}
    for name, field in form._fields.items():
        if name not in skip and hasattr(obj, name):
            setattr(obj, name, field.data)
