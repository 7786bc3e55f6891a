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
    """A staff edit was made from a version someone else has since changed.

    Services raise it (check_version, save_versioned); routes answer it with
    practice.main.errors.edit_conflict_page, the one conflict page.
    """


LATEST = object()  # a service caller holding the current row: no version to check


def check_version(obj, submitted) -> None:
    """Refuse an edit whose form was loaded from an older version of `obj`.

    Models that use this declare `version` with `__mapper_args__ = {"version_id_col": version}`,
    so a race between two flushes is refused by the database UPDATE as well (save_versioned).
    `LATEST` skips the check, for service callers that hold the current row.
    """
    if submitted is LATEST:
        return
    try:
        submitted_version = int(submitted) if submitted not in (None, "") else None
    except (TypeError, ValueError):
        submitted_version = None
    if submitted_version is None or submitted_version != obj.version:
        raise EditConflictError(
            "Someone else changed this while you were editing. "
            "Your text is kept below: review their change, then save again."
        )


def save_versioned() -> None:
    """Flush versioned changes; a row changed by someone else since it was read is refused as
    an EditConflictError (the database UPDATE found the old version gone)."""
    from sqlalchemy.orm.exc import StaleDataError

    from .extensions import db

    try:
        db.session.flush()
    except StaleDataError as error:
        raise EditConflictError(str(error)) from error


def apply_edit(obj, data: dict, version, exclude: tuple[str, ...] = ()) -> None:
    """Copy a form's data onto a model if the form was loaded from its current version,
    leaving the version and the form machinery alone; else EditConflictError."""
    check_version(obj, version)
    skip = {"version", "submit", "csrf_token", *exclude}
    for name, value in data.items():
        if name not in skip and hasattr(obj, name):
            setattr(obj, name, value)
    save_versioned()
