"""The guide's built-in exercises, loaded (and kept up to date) by slug."""

from __future__ import annotations

from sqlalchemy import select

from ..content import BUILTIN_EXERCISES, SIGNS_EXERCISE, BuiltinExercise
from ..extensions import db
from .models import Exercise


def _builtins() -> list[tuple[BuiltinExercise, str]]:
    return [(b, "exercise") for b in BUILTIN_EXERCISES] + [(SIGNS_EXERCISE, "signs")]


def load_builtin_exercises() -> int:
    """Upsert the built-in exercises by slug; idempotent. Returns how many were created.

    A row whose fields already match is not touched, so running it again changes nothing.
    """
    entries = _builtins()
    existing = {
        e.slug: e
        for e in db.session.scalars(
            select(Exercise).where(Exercise.slug.in_([b.slug for b, _ in entries]))
        )
    }
    created = 0
    for builtin, kind in entries:
        values = {
            "kind": kind,
            "title": builtin.title,
            "purpose": builtin.purpose,
            "instructions": builtin.instructions,
            "suggested_cadence": builtin.suggested_cadence,
            "situations": list(builtin.situations),
            "reveal_together": builtin.reveal_together,
            "is_builtin": True,
            "shared": True,
        }
        exercise = existing.get(builtin.slug)
        if exercise is None:
            db.session.add(Exercise(slug=builtin.slug, **values))
            created += 1
            continue
        for name, value in values.items():
            if getattr(exercise, name) != value:
                setattr(exercise, name, value)
    db.session.flush()
    return created
