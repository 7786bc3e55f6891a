"""Submitting, editing and reviewing check-ins; case notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..clock import local_today, utcnow
from ..content import SIGN_RATINGS, SIGNS
from ..couples.models import Couple
from ..exercises.assignments import whole_chain
from ..exercises.models import Assignment
from ..exercises.schedule import (
    DUE,
    EXPIRED,
    OVERDUE,
    UPCOMING,
    occurrences,
    paused_for_couple,
    state,
)
from ..extensions import db
from ..modelbase import check_version, save_versioned
from .models import CaseNote, CheckIn

RATING_VALUES = {key: value for key, _label, value in SIGN_RATINGS}


class OccurrenceClosedError(Exception):
    """The occurrence cannot be answered now; the message says why, kindly."""


class NoSuchOccurrenceError(LookupError):
    """Nothing of this assignment is due on that day (the route answers 404)."""


class ForeignTokenError(ValueError):
    """A form token already used by someone else's check-in (the route answers 400)."""


def signs_score(answers: dict[str, str]) -> tuple[dict[str, int], int]:
    """Ratings as numbers (rarely 0, sometimes 1, often 2) and their sum: higher, more distance."""
    values = {key: RATING_VALUES[answers[key]] for key, _text in SIGNS}
    return values, sum(values.values())


def expiry_days() -> int:
    from ..templating import practice_settings

    return practice_settings().checkin_expiry_days


def occurrence_state(assignment: Assignment, couple: Couple, due: date) -> str:
    """The state of an occurrence for answering; raises OccurrenceClosedError if not open,
    NoSuchOccurrenceError if nothing is due that day."""
    if due not in occurrences(assignment, due, due):
        raise NoSuchOccurrenceError(due)
    if (paused_for_couple(assignment, couple.joint_work_paused)
            or assignment.status != "active"):
        raise OccurrenceClosedError("This homework is on hold for now, so there is nothing to "
                                    "fill in.")
    current = state(due, local_today(couple.timezone), expiry_days(), False)
    if current == UPCOMING:
        raise OccurrenceClosedError(f"This check-in opens on {due:%A %d %B}.")
    if current == EXPIRED:
        raise OccurrenceClosedError(
            "This check-in has closed, and that's fine. You can pick up with the next one, "
            "and talk about it at your next session if you like."
        )
    assert current in (DUE, OVERDUE)  # noqa: S101 - the states left by the checks above
    return current


def existing_checkin(assignment_id: int, partner_id: int, due: date,
                     token: str | None = None) -> CheckIn | None:
    """The check-in already saved for this occurrence, or for this one-time form token."""
    key = and_(CheckIn.assignment_id == assignment_id, CheckIn.partner_id == partner_id,
               CheckIn.due_date == due)
    condition = or_(key, CheckIn.submit_token == token) if token else key
    return db.session.scalars(select(CheckIn).where(condition)).first()


def _apply(checkin: CheckIn, data: dict, kind: str, individual: bool = False) -> None:
    """Copy the form onto the check-in. Work given to one partner is never shared: it may be
    the individual work that follows a disclosure, and sharing it would tell the other
    partner it exists."""
    checkin.reflection = (data.get("reflection") or "").strip() or None
    checkin.private_note = (data.get("private_note") or "").strip() or None
    checkin.broke_trust = bool(data.get("broke_trust"))
    if kind == "signs":
        answers = {key: data[f"sign_{key}"] for key, _text in SIGNS}
        checkin.signs_answers, checkin.signs_score = signs_score(answers)
        checkin.outcome = "done"
        checkin.share_with_partner = False
        checkin.closeness = None
    else:
        checkin.outcome = data["outcome"]
        checkin.closeness = int(data["closeness"])
        checkin.share_with_partner = bool(data.get("share_with_partner")) and not individual


def submit_checkin(assignment: Assignment, partner: User, due: date, data: dict,
                   token: str) -> tuple[CheckIn, bool]:
    """Save a partner's check-in once. Returns (check-in, created).

    A form submitted twice carries the same one-time token, so the second submit finds the
    first check-in instead of making another; the unique (assignment, partner, due day)
    constraint backs this up when two submits race.
    """
    found = existing_checkin(assignment.id, partner.id, due, token)
    if found is not None:
        if found.partner_id != partner.id:
            raise ForeignTokenError(token)
        return found, False
    checkin = CheckIn(assignment_id=assignment.id, couple_id=assignment.couple_id,
                      partner_id=partner.id, due_date=due, submit_token=token,
                      submitted_at=utcnow())
    _apply(checkin, data, assignment.exercise.kind, assignment.partner_id is not None)
    try:
        with db.session.begin_nested():
            db.session.add(checkin)
    except IntegrityError:
        found = existing_checkin(assignment.id, partner.id, due, token)
        if found is None or found.partner_id != partner.id:
            raise
        return found, False
    return checkin, True


def edit_window() -> timedelta:
    return timedelta(hours=current_app.config.get("CHECKIN_EDIT_HOURS", 48))


def settled_message() -> str:
    """What the author reads once a check-in can no longer be changed."""
    hours = current_app.config.get("CHECKIN_EDIT_HOURS", 48)
    return (f"Check-ins can be changed for {hours} hours after sending. This one is now "
            "settled; you can add anything new in your next check-in.")


def form_values(checkin: CheckIn) -> dict:
    """A saved check-in as its edit form shows it."""
    values = {"version": checkin.version, "reflection": checkin.reflection,
              "private_note": checkin.private_note, "broke_trust": checkin.broke_trust}
    if checkin.assignment.exercise.kind == "signs":
        labels = {value: key for key, _label, value in SIGN_RATINGS}
        answers = checkin.signs_answers or {}
        values.update({f"sign_{key}": labels.get(answers.get(key)) for key, _text in SIGNS})
    else:
        values.update(outcome=checkin.outcome, share_with_partner=checkin.share_with_partner,
                      closeness=str(checkin.closeness) if checkin.closeness else None)
    return values


def can_edit(checkin: CheckIn) -> bool:
    """Its author may change a check-in for CHECKIN_EDIT_HOURS after sending it."""
    return utcnow() - checkin.submitted_at < edit_window()


@dataclass(frozen=True)
class CheckInChange:
    """What an edit changed that the flag rules look at (flags.hooks.after_checkin_edited)."""

    was_broke_trust: bool
    numbers_changed: bool


def edit_checkin(checkin: CheckIn, data: dict, version) -> CheckInChange:
    """The author's change within the edit window; the counselor reviews it again."""
    check_version(checkin, version)
    before = (checkin.broke_trust, checkin.closeness, checkin.signs_score)
    _apply(checkin, data, checkin.assignment.exercise.kind,
           checkin.assignment.partner_id is not None)
    checkin.reviewed_at = None
    checkin.reviewed_by_id = None
    save_versioned()
    return CheckInChange(was_broke_trust=before[0],
                         numbers_changed=before[1:] != (checkin.closeness, checkin.signs_score))


def mark_reviewed(checkin: CheckIn, user: User) -> None:
    if checkin.reviewed_at is None:
        checkin.reviewed_at = utcnow()
        checkin.reviewed_by_id = user.id
        db.session.flush()


def give_feedback(checkin: CheckIn, user: User, text: str, version) -> None:
    """Feedback the client reads; refused (EditConflictError) if written from a stale page."""
    check_version(checkin, version)
    now = utcnow()
    checkin.feedback = text.strip() or None
    checkin.feedback_at = now
    checkin.feedback_by_id = user.id
    if checkin.reviewed_at is None:
        checkin.reviewed_at = now
        checkin.reviewed_by_id = user.id
    save_versioned()
    if checkin.feedback:
        from ..reminders.services import feedback_given  # reminders read check-ins too

        feedback_given(checkin)


def add_case_note(couple: Couple, user: User, note_date: date, body: str) -> CaseNote:
    note = CaseNote(couple_id=couple.id, author_id=user.id, note_date=note_date,
                    body=body.strip())
    db.session.add(note)
    db.session.flush()
    return note


def couple_checkins_select(couple: Couple, assignments: list[Assignment], *,
                           chosen: Assignment | None, partner_id: int | None,
                           unreviewed_only: bool):
    """A couple's check-ins: of one assignment (all its rows, earlier and later), of one
    partner, or waiting for review, as chosen."""
    query = (select(CheckIn)
             .options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
             .where(CheckIn.couple_id == couple.id))
    if chosen is not None:
        rows = whole_chain(chosen, assignments)
        query = query.where(CheckIn.assignment_id.in_([r.id for r in rows]))
    if partner_id is not None:
        query = query.where(CheckIn.partner_id == partner_id)
    if unreviewed_only:
        query = query.where(CheckIn.reviewed_at.is_(None))
    return query
