"""The exercise library: who sees which exercise, writing and copying exercises."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, or_, select

from ..audit.services import record_refusal
from ..auth.models import User
from ..extensions import db
from .models import Exercise


def visible_exercises(user: User) -> Select:
    """Built-ins, exercises shared with the practice, and the user's own private ones."""
    return select(Exercise).where(
        or_(Exercise.is_builtin.is_(True), Exercise.shared.is_(True), Exercise.owner_id == user.id)
    )


def can_see_exercise(user: User, exercise: Exercise) -> bool:
    return exercise.is_builtin or exercise.shared or exercise.owner_id == user.id


def exercise_for(user: User, exercise_id: int) -> Exercise:
    """An exercise the staff member may see, else 404."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None or not can_see_exercise(user, exercise):
        record_refusal("exercise out of scope", object_type="exercise", object_id=exercise_id)
        abort(404)
    return exercise


def exercise_to_edit(user: User, exercise_id: int) -> Exercise:
    """Only a counselor's own exercise is edited in place; built-ins are copied instead."""
    exercise = exercise_for(user, exercise_id)
    if exercise.is_builtin:
        abort(403, description="Built-in exercises stay as written. Use 'Copy to adapt' on the "
                               "exercise's page to adapt it.")
    if exercise.owner_id != user.id:
        abort(403, description="This exercise belongs to another counselor. Use 'Copy to adapt' "
                               "on the exercise's page to adapt it.")
    return exercise


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


def update_exercise(exercise: Exercise, data: dict) -> None:
    exercise.title = data["title"].strip()
    exercise.purpose = data["purpose"].strip()
    exercise.instructions = data["instructions"].strip()
    exercise.suggested_cadence = data["suggested_cadence"]
    exercise.situations = list(data.get("situations") or [])
    exercise.reveal_together = bool(data.get("reveal_together"))
    exercise.shared = bool(data.get("shared"))
    db.session.flush()


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
