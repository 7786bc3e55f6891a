"""Who gets a homework reminder, and when.

A client gets at most one reminder per local day, and only when all of this holds:
- they turned reminders on (they are off until the client chooses them);
- their couple is active and their account is active;
- in the couple's time zone it is at or past their chosen time, and today is not a quiet day;
- something is due *today* for them and not yet done: an active assignment covering them
  with an occurrence today and no check-in for it. Paused work (an assignment paused, or
  shared homework paused for the couple) and work whose day has passed never count.
The worker runs `send_due_reminders` every minute; the outbox key (person + local date)
keeps it to one a day even if two workers run it together. Times are compared on the
couple's wall clock, so a daylight-saving change moves nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from ..auth.models import User
from ..checkins.models import CheckIn
from ..checkins.services import expiry_days
from ..clock import to_local, utcnow
from ..couples.models import Couple, Partner
from ..exercises.models import Assignment
from ..exercises.schedule import DUE, open_occurrences
from ..extensions import db
from ..mail import notices
from .models import ReminderSettings

STOP_SALT = "bridgework-stop-reminders"


def settings_for(user: User) -> ReminderSettings:
    """The client's settings row (created with everything off on first use)."""
    row = db.session.get(ReminderSettings, user.id)
    if row is None:
        row = ReminderSettings(user_id=user.id, enabled=False, quiet_days="",
                               feedback_notices=False)
        db.session.add(row)
        db.session.flush()
    return row


def prompt_pending(user: User) -> bool:
    row = db.session.get(ReminderSettings, user.id)
    return row is None or row.prompt_answered_at is None


def save_settings(user: User, data: dict) -> ReminderSettings:
    row = settings_for(user)
    row.enabled = bool(data["enabled"])
    row.remind_at = data["remind_at"]
    row.quiet_days = ",".join(str(d) for d in sorted(data["quiet_days"]))
    row.feedback_notices = bool(data["feedback_notices"])
    row.prompt_answered_at = row.prompt_answered_at or utcnow()
    db.session.flush()
    return row


def dismiss_prompt(user: User) -> None:
    row = settings_for(user)
    row.prompt_answered_at = row.prompt_answered_at or utcnow()
    db.session.flush()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=STOP_SALT)


def stop_token(user: User) -> str:
    """A signed token good only for turning this person's reminders off (no sign-in)."""
    return _serializer().dumps({"u": user.id})


def user_for_stop_token(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    return user if user is not None and user.is_client else None


def stop_reminders(user: User) -> None:
    row = settings_for(user)
    row.enabled = False
    row.feedback_notices = False
    row.prompt_answered_at = row.prompt_answered_at or utcnow()
    db.session.flush()


def feedback_given(checkin) -> None:
    """New feedback: a neutral notice, only to a client who asked for such notices."""
    row = db.session.get(ReminderSettings, checkin.partner_id)
    partner = checkin.partner
    if row is not None and row.feedback_notices and partner.active:
        notices.feedback(partner, checkin.id, stop_token(partner))


def _candidates(now: datetime):
    """(user, couple, local date) of clients whose reminder time has come today."""
    rows = db.session.execute(
        select(ReminderSettings, User, Couple)
        .join(User, User.id == ReminderSettings.user_id)
        .join(Partner, Partner.user_id == User.id)
        .join(Couple, Couple.id == Partner.couple_id)
        .where(ReminderSettings.enabled.is_(True), User.active.is_(True),
               Couple.status == "active")
    ).all()
    for settings, user, couple in rows:
        local = to_local(now, couple.timezone)
        if local.weekday() in settings.quiet_weekdays:
            continue
        if local.time().replace(tzinfo=None) < settings.remind_at:
            continue
        yield user, couple, local.date()


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue today's reminder for every client who should get one now; returns how many."""
    now = now or utcnow()
    candidates = list(_candidates(now))
    if not candidates:
        return 0
    couple_ids = {couple.id for _, couple, _ in candidates}
    assignments = defaultdict(list)
    for assignment in db.session.scalars(
        select(Assignment).where(Assignment.couple_id.in_(couple_ids),
                                 Assignment.status == "active")
    ):
        assignments[assignment.couple_id].append(assignment)
    partners = defaultdict(list)
    for couple_id, user_id in db.session.execute(
        select(Partner.couple_id, Partner.user_id).where(Partner.couple_id.in_(couple_ids))
    ):
        partners[couple_id].append(user_id)
    earliest = min(day for _, _, day in candidates)
    done = defaultdict(set)
    for partner_id, assignment_id, due in db.session.execute(
        select(CheckIn.partner_id, CheckIn.assignment_id, CheckIn.due_date).where(
            CheckIn.partner_id.in_([user.id for user, _, _ in candidates]),
            CheckIn.due_date >= earliest)
    ):
        done[partner_id].add((assignment_id, due))
    days = expiry_days()
    queued = 0
    for user, couple, today in candidates:
        due_today = [
            o for o in open_occurrences(assignments[couple.id], user.id, partners[couple.id],
                                        done[user.id], today, days,
                                        joint_work_paused=couple.joint_work_paused)
            if o.state == DUE
        ]
        if due_today and notices.reminder(user, today, stop_token(user)):
            queued += 1
    return queued
