"""Assigning exercises to couples: create, edit (from the next occurrence on), pause, end.

An edit never rewrites occurrences that are already due: the row is ended the day before the
change takes effect and the assignment continues in a new row that points back to it
(`previous_id`). Every change is kept as an AssignmentEvent.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..audit.services import record
from ..auth.models import User
from ..clock import local_today
from ..couples.models import Couple
from ..extensions import db
from ..modelbase import LATEST, check_version, save_versioned
from .models import Assignment, AssignmentEvent, Exercise
from .schedule import CADENCE_LABELS, WEEKDAY_NAMES, count_before, first_on_or_after


class ScheduleError(ValueError):
    """The requested schedule leaves nothing to do; the message says what to change."""

    def __init__(self, message: str, field: str = "start_date"):
        super().__init__(message)
        self.field = field


def _event(assignment: Assignment, actor: User | None, action: str, detail: str | None = None):
    db.session.add(AssignmentEvent(assignment_id=assignment.id, actor_id=actor and actor.id,
                                   action=action, detail=detail and detail[:500]))


def describe(assignment: Assignment) -> str:
    """The schedule in words, e.g. 'Every week from Mon 02 Mar 2026, 6 times'."""
    text = CADENCE_LABELS[assignment.cadence]
    if assignment.cadence == "weekdays" and assignment.weekdays:
        days = [WEEKDAY_NAMES[int(d)] for d in assignment.weekdays.split(",") if d]
        text = "Every " + ", ".join(days)
    text += f" from {assignment.start_date:%a %d %b %Y}"
    if assignment.cadence != "once":
        if assignment.occurrence_limit:
            text += f", {assignment.occurrence_limit} times"
        if assignment.end_date:
            text += f", until {assignment.end_date:%a %d %b %Y}"
    return text


def _weekdays(data: dict) -> str | None:
    if data["cadence"] != "weekdays":
        return None
    return ",".join(str(int(d)) for d in sorted({int(d) for d in data.get("weekdays") or []}))


def _ends(data: dict) -> tuple[date | None, int | None]:
    if data["cadence"] == "once":
        return None, None
    ends = data.get("ends") or "never"
    if ends == "date":
        return data.get("end_date"), None
    if ends == "count":
        return None, data.get("occurrence_limit")
    return None, None


def _first_day(couple: Couple, data: dict, weekdays: str | None, end: date | None,
               not_before: date) -> date:
    first = first_on_or_after(data["cadence"], data["start_date"], weekdays, not_before)
    if first is None or (end is not None and first > end):
        raise ScheduleError(
            f"With this start date nothing would be due from {not_before:%a %d %b %Y} on. "
            "Choose a later start date, or end the assignment instead."
        )
    return first


def assign(couple: Couple, exercise: Exercise, actor: User, data: dict) -> Assignment:
    """Give an exercise to the couple (partner_id None) or to one partner."""
    today = local_today(couple.timezone)
    weekdays = _weekdays(data)
    end, limit = _ends(data)
    start = _first_day(couple, data, weekdays, end, max(today, data["start_date"]))
    assignment = Assignment(
        couple_id=couple.id, exercise_id=exercise.id, partner_id=data.get("partner_id"),
        cadence=data["cadence"], weekdays=weekdays, start_date=start, end_date=end,
        occurrence_limit=limit, instructions=(data.get("instructions") or "").strip() or None,
        created_by_id=actor.id,
    )
    db.session.add(assignment)
    db.session.flush()
    _event(assignment, actor, "assigned", describe(assignment))
    record("assignment_created", obj=assignment)
    db.session.flush()
    return assignment


def edit_assignment(assignment: Assignment, actor: User, data: dict,
                    version=LATEST) -> Assignment:
    """Change an assignment from tomorrow on; returns the row that now carries it.

    A row with nothing due yet is changed in place. Otherwise it ends today and a new row
    continues from the first occurrence of the new rule after today. A change made from a
    stale page is refused (EditConflictError).
    """
    check_version(assignment, version)
    if assignment.status == "ended":
        raise ScheduleError("This assignment has ended; assign the exercise again instead.")
    couple = assignment.couple
    effective = local_today(couple.timezone) + timedelta(days=1)
    weekdays = _weekdays(data)
    end, limit = _ends(data)
    start = _first_day(couple, data, weekdays, end, effective)
    instructions = (data.get("instructions") or "").strip() or None
    values = {
        "partner_id": data.get("partner_id"), "cadence": data["cadence"], "weekdays": weekdays,
        "start_date": start, "end_date": end, "occurrence_limit": limit,
        "instructions": instructions,
    }
    if assignment.start_date >= effective or assignment.status == "paused":
        for name, value in values.items():
            setattr(assignment, name, value)
        save_versioned()
        _event(assignment, actor, "edited", describe(assignment))
        record("assignment_changed", obj=assignment)
        return assignment
    last_day = effective - timedelta(days=1)
    if assignment.occurrence_limit:
        assignment.occurrence_limit = min(assignment.occurrence_limit,
                                          count_before(assignment, effective)) or None
    assignment.end_date = min(assignment.end_date or last_day, last_day)
    successor = Assignment(couple_id=assignment.couple_id, exercise_id=assignment.exercise_id,
                           status=assignment.status, previous_id=assignment.id,
                           created_by_id=actor.id, **values)
    db.session.add(successor)
    save_versioned()
    _event(assignment, actor, "edited", f"Changes apply from {start:%a %d %b %Y}.")
    _event(successor, actor, "continued", describe(successor))
    record("assignment_changed", obj=successor)
    db.session.flush()
    return successor


def pause_assignment(assignment: Assignment, actor: User) -> Assignment:
    """Stop an assignment from today on, until resumed; occurrences already past stay.

    Returns the paused row: the same one when nothing was due yet, else a continuation.
    """
    if assignment.status != "active":
        return assignment
    today = local_today(assignment.couple.timezone)
    if assignment.start_date >= today:
        assignment.status = "paused"
        _event(assignment, actor, "paused")
        db.session.flush()
        return assignment
    original_end, original_limit = assignment.end_date, assignment.occurrence_limit
    used = count_before(assignment, today)
    remaining = original_limit - used if original_limit else None
    nxt = first_on_or_after(assignment.cadence, assignment.start_date, assignment.weekdays, today)
    assignment.end_date = min(original_end or today, today) - timedelta(days=1)
    if original_limit:
        assignment.occurrence_limit = used or None
    _event(assignment, actor, "paused")
    left = nxt is not None and (original_end is None or nxt <= original_end)
    if not left or (remaining is not None and remaining <= 0):
        db.session.flush()
        return assignment
    successor = Assignment(
        couple_id=assignment.couple_id, exercise_id=assignment.exercise_id,
        partner_id=assignment.partner_id, cadence=assignment.cadence,
        weekdays=assignment.weekdays, start_date=nxt, end_date=original_end,
        occurrence_limit=remaining, instructions=assignment.instructions, status="paused",
        previous_id=assignment.id, created_by_id=actor.id,
    )
    db.session.add(successor)
    db.session.flush()
    _event(successor, actor, "paused", "Continues here once resumed.")
    db.session.flush()
    return successor


def resume_assignment(assignment: Assignment, actor: User) -> Assignment:
    """Resume from today: the next occurrence of the same rhythm on or after today."""
    if assignment.status != "paused":
        return assignment
    today = local_today(assignment.couple.timezone)
    nxt = first_on_or_after(assignment.cadence, assignment.start_date, assignment.weekdays, today)
    assignment.start_date = nxt or max(today, assignment.start_date)
    assignment.status = "active"
    _event(assignment, actor, "resumed", f"Next due {assignment.start_date:%a %d %b %Y}.")
    db.session.flush()
    return assignment


def end_assignment(assignment: Assignment, actor: User) -> Assignment:
    """Nothing more is due from today; check-ins already made stay."""
    if assignment.status == "ended":
        return assignment
    today = local_today(assignment.couple.timezone)
    if assignment.occurrence_limit:
        assignment.occurrence_limit = count_before(assignment, today) or None
    assignment.end_date = min(assignment.end_date or today, today) - timedelta(days=1)
    assignment.status = "ended"
    _event(assignment, actor, "ended")
    record("assignment_ended", obj=assignment)
    db.session.flush()
    return assignment


def set_joint_work_paused(couple: Couple, paused: bool, actor: User) -> None:
    """Pause or resume the homework given to both partners (assignments with no partner_id).

    Work given to one partner alone is not affected. Partners only ever see a neutral message.
    """
    if couple.joint_work_paused == paused:
        return
    couple.joint_work_paused = paused
    record("joint_work_paused" if paused else "joint_work_resumed", obj=couple)
    db.session.flush()


def couple_assignments(couple_id: int) -> list[Assignment]:
    """All rows of a couple's assignments with their exercises, in one query."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(Assignment).options(joinedload(Assignment.exercise))
        .where(Assignment.couple_id == couple_id).order_by(Assignment.id)
    ).unique())


def current_rows(assignments: list[Assignment]) -> list[Assignment]:
    """The latest row of each assignment chain (rows nobody continued)."""
    continued = {a.previous_id for a in assignments if a.previous_id}
    return [a for a in assignments if a.id not in continued]


def chain_of(assignment: Assignment, assignments: list[Assignment]) -> list[Assignment]:
    """The rows of one assignment from the first to this one."""
    by_id = {a.id: a for a in assignments}
    chain = [assignment]
    while chain[-1].previous_id and chain[-1].previous_id in by_id:
        chain.append(by_id[chain[-1].previous_id])
    return list(reversed(chain))


def whole_chain(assignment: Assignment, assignments: list[Assignment]) -> list[Assignment]:
    """Every row of one assignment: those before this one, this one, and those continuing it."""
    rows = chain_of(assignment, assignments)
    later = [a for a in assignments if a.previous_id in {r.id for r in rows}]
    while later:
        rows += later
        later = [a for a in assignments if a.previous_id in {r.id for r in later}]
    return rows


def form_values(assignment: Assignment) -> dict:
    """An assignment as its edit form shows it."""
    return {
        "version": assignment.version,
        "who": str(assignment.partner_id) if assignment.partner_id else "both",
        "cadence": assignment.cadence,
        "weekdays": assignment.weekdays.split(",") if assignment.weekdays else [],
        "start_date": assignment.start_date, "end_date": assignment.end_date,
        "occurrence_limit": assignment.occurrence_limit,
        "ends": ("count" if assignment.occurrence_limit else
                 "date" if assignment.end_date else "never"),
        "instructions": assignment.instructions,
    }
