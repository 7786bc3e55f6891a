"""The assign form's exercise cards: what each exercise is for, its rhythm and the situations
it helps with, narrowed to the couple's open flags on request; and what choosing one
proposes."""

from __future__ import annotations

from sqlalchemy import select

from ..couples.models import Couple
from ..extensions import db
from ..flags.models import Flag
from .models import Exercise
from .services import filter_by_situation


def open_flag_situations(couple: Couple) -> list[str]:
    """The situations of the couple's flags that are not resolved (one query)."""
    return sorted(set(db.session.scalars(
        select(Flag.category).where(Flag.couple_id == couple.id, Flag.status != "resolved"))))


def exercise_cards(exercises: list[Exercise], situation: str | None,
                   open_situations: list[str]) -> list[Exercise]:
    """All exercises, those helping with one situation, or ("flags") with any open one."""
    if situation != "flags":
        return filter_by_situation(exercises, situation)
    wanted = set(open_situations)
    return [e for e in exercises if wanted & set(e.situations or [])]


def proposal(couple: Couple, exercise: Exercise) -> dict:
    """What choosing an exercise fills in: its suggested rhythm, both partners (or the only
    one), and its own instructions to adapt."""
    partners = couple.partner_users
    return {
        "exercise_id": exercise.id,
        "cadence": exercise.suggested_cadence,
        "who": "both" if len(partners) != 1 else str(partners[0].id),
        "instructions": exercise.instructions,
        "instructions_from": str(exercise.id),
    }


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def adapted_instructions(text: str | None, *exercises: Exercise | None) -> str | None:
    """The instructions to keep for the assignment: None when the box still holds an
    exercise's own text unchanged (the exercise's text is used, and follows its updates)."""
    if not (text or "").strip():
        return None
    if any(e is not None and _same(text, e.instructions) for e in exercises):
        return None
    return text
