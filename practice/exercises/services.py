"""The exercise library: writing and copying exercises (who sees which: access.py)."""

from __future__ import annotations

from ..auth.models import User
from ..extensions import db
from ..modelbase import LATEST, check_version, save_versioned
from .models import Exercise


def filter_by_situation(exercises: list[Exercise], situation: str | None) -> list[Exercise]:
    if not situation:
        return exercises
    return [e for e in exercises if situation in (e.situations or [])]


def create_exercise(owner: User, data: dict) -> Exercise:
    exercise = Exercise(
        owner_id=owner.id,
        kind="exercise",
        is_builtin=False,
        title=data["title"].strip(),
        purpose=data["purpose"].strip(),
        instructions=data["instructions"].strip(),
        suggested_cadence=data["suggested_cadence"],
        situations=list(data.get("situations") or []),
        reveal_together=bool(data.get("reveal_together")),
        shared=bool(data.get("shared")),
    )
    db.session.add(exercise)
    db.session.flush()
    return exercise


def update_exercise(exercise: Exercise, data: dict, version=LATEST) -> None:
    """The owner's change, refused (EditConflictError) if made from a stale page."""
    check_version(exercise, version)
    exercise.title = data["title"].strip()
    exercise.purpose = data["purpose"].strip()
    exercise.instructions = data["instructions"].strip()
    exercise.suggested_cadence = data["suggested_cadence"]
    exercise.situations = list(data.get("situations") or [])
    exercise.reveal_together = bool(data.get("reveal_together"))
    exercise.shared = bool(data.get("shared"))
    save_versioned()


def copy_exercise(owner: User, source: Exercise) -> Exercise:
    """A private copy the counselor may adapt; the original stays as it is."""
    copy = Exercise(
        owner_id=owner.id,
        kind=source.kind,
        is_builtin=False,
        shared=False,
        copied_from_id=source.id,
        title=f"{source.title} (adapted)"[:160],
        purpose=source.purpose,
        instructions=source.instructions,
        suggested_cadence=source.suggested_cadence,
        situations=list(source.situations or []),
        reveal_together=source.reveal_together,
    )
    db.session.add(copy)
    db.session.flush()
    return copy
