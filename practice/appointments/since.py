"""Since the last session: what a counselor reads before the next one.

From the start of the last attended appointment to now: each partner's closeness and signs
trend (one point per day, the day's last answer), homework done and due per assignment, what
each partner wrote with who could read it (replies to feedback included), flags raised or
changed, and what waits for review.
A fixed number of queries whatever the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..checkins.charts import describe_trend, one_per_day
from ..checkins.engagement import done_and_due
from ..checkins.models import CheckIn, FeedbackReply
from ..clock import local_today, to_local, utcnow
from ..content import SITUATIONS
from ..couples.models import Couple
from ..exercises.assignments import chain_of, couple_assignments, current_rows
from ..exercises.models import Assignment, Exercise
from ..extensions import db
from ..flags.models import Flag, FlagEvent
from ..flags.services import STATUS_LABELS as FLAG_STATUS_LABELS
from .services import last_attended

WITHOUT_SESSION_DAYS = 14  # no session attended yet: the summary covers the last two weeks
SAID_SHOWN = 4  # answers listed; the rest are one link away
EXCERPT = 160


@dataclass
class PartnerTrend:
    name: str
    checkins: int
    closeness: str
    signs: str


@dataclass
class Said:
    checkin_id: int
    name: str
    exercise: str
    day: date
    text: str
    audience: str


@dataclass
class FlagChange:
    flag_id: int
    situation: str
    changes: list[str] = field(default_factory=list)


def audience_of(checkin: CheckIn) -> str:
    """Who could read a check-in's reflection: the same rule as checkins/privacy.py."""
    shared = (checkin.share_with_partner and checkin.assignment.partner_id is None
              and checkin.assignment.exercise.kind != "signs")
    return "Shared with the partner" if shared else "Counselor only"


def _excerpt(text: str, whole: bool = False) -> str:
    text = " ".join(text.split())
    if whole or len(text) <= EXCERPT:
        return text
    return text[:EXCERPT - 1].rstrip() + "…"


def since_last_session(couple: Couple, said_shown: int | None = SAID_SHOWN) -> dict:
    """The summary; `said_shown` answers are listed (None: all of them, for the brief)."""
    session = last_attended(couple)
    now = utcnow()
    since = session.starts_at if session else now - timedelta(days=WITHOUT_SESSION_DAYS)
    first_day = to_local(since, couple.timezone).date()
    today = local_today(couple.timezone)
    partners = [(p.user_id, p.user.display_name) for p in couple.partners]
    names = dict(partners)
    checkins = db.session.scalars(
        select(CheckIn)
        .options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
        .where(CheckIn.couple_id == couple.id,
               or_(CheckIn.submitted_at >= since, CheckIn.due_date >= first_day))
        .order_by(CheckIn.submitted_at, CheckIn.id)
    ).all()
    recent = [c for c in checkins if c.submitted_at >= since]

    trends = []
    for pid, name in partners:
        own = [c for c in recent if c.partner_id == pid]
        closeness = one_per_day([(c.due_date, c.closeness) for c in own
                                 if c.closeness is not None])
        signs = one_per_day([(c.due_date, c.signs_score) for c in own
                             if c.signs_score is not None])
        trends.append(PartnerTrend(
            name, len(own),
            describe_trend("Closeness", closeness) if closeness else "Closeness: no answers.",
            describe_trend("Signs", signs, lower_is_better=True) if signs
            else "Signs self-check: no answers."))

    assignments = couple_assignments(couple.id)
    answered = {(c.assignment_id, c.partner_id, c.due_date) for c in checkins}
    counts = done_and_due(assignments, list(names), answered, first_day,
                          today - timedelta(days=1))
    homework = []
    for latest in current_rows(assignments):
        rows = chain_of(latest, assignments)
        per_partner = []
        for pid, name in partners:
            pairs = [counts[(a.id, pid)] for a in rows if (a.id, pid) in counts]
            due = sum(d for _done, d in pairs)
            if due:
                per_partner.append((name, sum(done for done, _d in pairs), due))
        if per_partner:
            homework.append((latest, per_partner))

    said = []
    whole = said_shown is None
    for c in reversed(recent):
        name = names.get(c.partner_id, "Former partner")
        title = c.assignment.exercise.title
        if (c.reflection or "").strip():
            said.append(Said(c.id, name, title, c.due_date, _excerpt(c.reflection, whole),
                             audience_of(c)))
        if (c.private_note or "").strip():
            said.append(Said(c.id, name, title, c.due_date, _excerpt(c.private_note, whole),
                             "Counselor only (private note)"))

    replies = db.session.execute(
        select(FeedbackReply.body, FeedbackReply.created_at, CheckIn.id, CheckIn.partner_id,
               CheckIn.due_date, Exercise.title)
        .join(CheckIn, CheckIn.id == FeedbackReply.checkin_id)
        .join(Assignment, Assignment.id == CheckIn.assignment_id)
        .join(Exercise, Exercise.id == Assignment.exercise_id)
        .where(CheckIn.couple_id == couple.id, FeedbackReply.created_at >= since)
        .order_by(FeedbackReply.created_at.desc(), FeedbackReply.id.desc())
    ).all()
    said = [Said(checkin_id, names.get(author, "Former partner"), title, day,
                 _excerpt(body, whole), "Counselor only (a reply to your feedback)")
            for body, _at, checkin_id, author, day, title in replies] + said

    events = db.session.execute(
        select(FlagEvent.action, FlagEvent.to_status, Flag.id, Flag.category)
        .join(Flag, Flag.id == FlagEvent.flag_id)
        .where(Flag.couple_id == couple.id, FlagEvent.at >= since)
        .order_by(FlagEvent.at, FlagEvent.id)
    ).all()
    flags: dict[int, FlagChange] = {}
    for action, to_status, flag_id, category in events:
        change = flags.setdefault(flag_id, FlagChange(flag_id, SITUATIONS.get(category,
                                                                             category)))
        if action == "raised":
            change.changes.append("raised")
        elif to_status:
            change.changes.append(FLAG_STATUS_LABELS.get(to_status, to_status).lower())
    unreviewed = db.session.scalar(
        select(func.count(CheckIn.id))
        .where(CheckIn.couple_id == couple.id, CheckIn.reviewed_at.is_(None)))
    return {
        "couple": couple, "session": session, "since": since,
        "without_session_days": WITHOUT_SESSION_DAYS, "trends": trends, "homework": homework,
        "said": said[:said_shown], "said_more": len(said[said_shown:]) if said_shown else 0,
        "flags": list(flags.values()), "unreviewed": unreviewed,
    }
