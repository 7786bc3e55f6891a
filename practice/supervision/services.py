"""Supervision: the team's caseload numbers, the flag queue, notes, reassignment, the audit log.

Every list here is scoped to the supervisor's team (admins: every counselor), and every
dashboard runs a fixed number of queries whatever the team and caseload sizes.

Definitions used by the team table (and its CSV):
- active couples: couples with status "active" held by the counselor now;
- check-ins to review: every check-in with reviewed_at NULL on couples the counselor holds now;
- homework done: completion over its window, active couples only (checkins/engagement.py);
- open flags: flags not yet resolved (open, acknowledged, session scheduled), by severity;
- oldest unacknowledged: the oldest urgent or high flag still in status "open";
- escalated: flags/escalation.py's rule, computed from the clock;
- quiet: quiet couples (checkins/engagement.py).
Supervision notes on a couple belong to the case: whoever holds it now reads them, the earlier
counselor no longer does. Notes on a counselor stay with that counselor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..access import (
    audit_scope,
    can_reassign,
    couples_in_scope,
    overseen_people,
    team_counselors,
    team_ids,
)
from ..audit.models import AuditEntry
from ..audit.services import record
from ..auth.models import User
from ..checkins.engagement import engagement_for
from ..checkins.models import CheckIn
from ..clock import utcnow
from ..couples.models import Couple
from ..couples.services import reassign
from ..extensions import db
from ..flags.escalation import escalated_clause
from ..flags.models import SEVERITIES, Flag, FlagEvent
from ..modelbase import save_versioned
from .models import SupervisionNote

SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}  # low 0 .. urgent 3
OPEN_STATUSES = ("open", "acknowledged", "session_scheduled")


# ---------------------------------------------------------------- caseload summary


@dataclass
class CounselorRow:
    counselor: User
    active_couples: int = 0
    unreviewed: int = 0
    submitted: int = 0
    due: int = 0
    open_flags: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    oldest_unacknowledged_at: datetime | None = None
    escalated: int = 0
    quiet_couples: int = 0

    @property
    def completion(self) -> float | None:
        return self.submitted / self.due if self.due else None

    def oldest_age(self, now: datetime) -> timedelta | None:
        if self.oldest_unacknowledged_at is None:
            return None
        return now - self.oldest_unacknowledged_at


SORT_KEYS = {
    "counselor": lambda r, now: r.counselor.display_name.lower(),
    "active": lambda r, now: r.active_couples,
    "unreviewed": lambda r, now: r.unreviewed,
    "completion": lambda r, now: r.completion,
    "urgent": lambda r, now: r.open_flags["urgent"],
    "high": lambda r, now: r.open_flags["high"],
    "moderate": lambda r, now: r.open_flags["moderate"],
    "low": lambda r, now: r.open_flags["low"],
    "oldest": lambda r, now: r.oldest_age(now),
    "escalated": lambda r, now: r.escalated,
    "quiet": lambda r, now: r.quiet_couples,
}


def _flag_aggregates(counselor_filter, settings, now: datetime):
    """Per (counselor, severity): open count, oldest unacknowledged, escalated. One query."""
    return db.session.execute(
        select(
            Couple.counselor_id,
            Flag.severity,
            func.count(Flag.id),
            func.min(case((Flag.status == "open", Flag.created_at))),
            func.sum(case((escalated_clause(settings, now), 1), else_=0)),
        )
        .join(Couple, Couple.id == Flag.couple_id)
        .where(counselor_filter, Flag.status.in_(OPEN_STATUSES))
        .group_by(Couple.counselor_id, Flag.severity)
    ).all()


def caseload_summary(user: User | None, settings, now: datetime | None = None, *,
                     counselors: list[User] | None = None) -> list[CounselorRow]:
    """One row per counselor in the user's team (or of `counselors`, for the worker's
    digests). A fixed number of queries (about nine)."""
    now = now or utcnow()
    if counselors is None:
        counselors = team_counselors(user)
    rows = {c.id: CounselorRow(c) for c in counselors}
    if not rows:
        return []
    in_team = Couple.counselor_id.in_(list(rows))
    couples = db.session.execute(
        select(Couple.id, Couple.counselor_id, Couple.timezone, Couple.status,
               Couple.joint_work_paused).where(in_team, Couple.status == "active")
    ).all()
    for row in db.session.execute(
        select(Couple.counselor_id, func.count(CheckIn.id))
        .join(Couple, Couple.id == CheckIn.couple_id)
        .where(in_team, CheckIn.reviewed_at.is_(None))
        .group_by(Couple.counselor_id)
    ):
        rows[row[0]].unreviewed = row[1]
    for counselor_id, severity, count, oldest, escalated in _flag_aggregates(
        in_team, settings, now
    ):
        target = rows[counselor_id]
        if severity in target.open_flags:
            target.open_flags[severity] += count
        target.escalated += int(escalated or 0)
        if oldest is not None and severity in ("urgent", "high") and (
            target.oldest_unacknowledged_at is None or oldest < target.oldest_unacknowledged_at
        ):
            target.oldest_unacknowledged_at = oldest
    numbers = engagement_for(couples)
    for couple in couples:
        target = rows[couple.counselor_id]
        engagement = numbers[couple.id]
        target.active_couples += 1
        target.submitted += engagement.done
        target.due += engagement.due
        target.quiet_couples += engagement.quiet
    return list(rows.values())


def sort_rows(rows: list[CounselorRow], sort: str, direction: str, now: datetime) -> list:
    """Sort by a column; rows without a value (no homework due, no old flag) go last."""
    key = SORT_KEYS.get(sort, SORT_KEYS["counselor"])
    with_value = [r for r in rows if key(r, now) is not None]
    without = [r for r in rows if key(r, now) is None]
    by_name = sorted(with_value, key=lambda r: r.counselor.display_name.lower())
    ordered = sorted(by_name, key=lambda r: key(r, now), reverse=direction == "desc")
    return ordered + sorted(without, key=lambda r: r.counselor.display_name.lower())


# ---------------------------------------------------------------- one counselor's caseload


@dataclass
class CoupleRow:
    couple: Couple
    unreviewed: int = 0
    open_flags: int = 0
    escalated: int = 0
    last_checkin: datetime | None = None
    submitted: int = 0
    due: int = 0
    quiet_partners: int = 0

    @property
    def completion(self) -> float | None:
        return self.submitted / self.due if self.due else None


def caseload(counselor: User, settings, now: datetime | None = None) -> list[CoupleRow]:
    """Every couple the counselor holds now, with its numbers. A fixed number of queries."""
    now = now or utcnow()
    couples = db.session.scalars(
        select(Couple)
        .where(Couple.counselor_id == counselor.id)
        .order_by(Couple.status, Couple.label, Couple.id)
    ).all()
    rows = {c.id: CoupleRow(c) for c in couples}
    if not rows:
        return []
    ids = list(rows)
    for couple_id, count in db.session.execute(
        select(CheckIn.couple_id, func.count(CheckIn.id))
        .where(CheckIn.couple_id.in_(ids), CheckIn.reviewed_at.is_(None))
        .group_by(CheckIn.couple_id)
    ):
        rows[couple_id].unreviewed = count
    for couple_id, count, escalated in db.session.execute(
        select(
            Flag.couple_id,
            func.count(Flag.id),
            func.sum(case((escalated_clause(settings, now), 1), else_=0)),
        )
        .where(Flag.couple_id.in_(ids), Flag.status.in_(OPEN_STATUSES))
        .group_by(Flag.couple_id)
    ):
        rows[couple_id].open_flags = count
        rows[couple_id].escalated = int(escalated or 0)
    for couple_id, engagement in engagement_for(couples).items():
        row = rows[couple_id]
        row.submitted, row.due = engagement.done, engagement.due
        row.last_checkin = engagement.last_checkin
        row.quiet_partners = len(engagement.quiet_partner_ids)
    return list(rows.values())


# ---------------------------------------------------------------- flag queue

AGE_CHOICES = {"1": 1, "3": 3, "7": 7, "30": 30}


@dataclass
class FlagFilters:
    category: str = ""
    severity: str = ""
    status: str = "unresolved"
    age: str = ""
    counselor: int | None = None

    def as_args(self) -> dict:
        args = {"category": self.category, "severity": self.severity, "status": self.status,
                "age": self.age, "counselor": self.counselor or ""}
        return {k: v for k, v in args.items() if v not in ("", None)}


def flag_queue_select(user: User, filters: FlagFilters, settings, now: datetime) -> Select:
    """The team's flags matching the filters: escalated first, then most severe, then oldest.

    Rows are (Flag, couple label, counselor name, escalated 0/1).
    """
    counselor = aliased(User)
    escalated = case((escalated_clause(settings, now), 1), else_=0)
    severity_rank = case(
        *[(Flag.severity == name, rank) for name, rank in SEVERITY_RANK.items()], else_=-1
    )
    query = (
        select(Flag, Couple.label, counselor.display_name, escalated.label("escalated"))
        .join(Couple, Couple.id == Flag.couple_id)
        .join(counselor, counselor.id == Couple.counselor_id)
        .where(Couple.counselor_id.in_(team_ids(user)))
    )
    if filters.category:
        query = query.where(Flag.category == filters.category)
    if filters.severity:
        query = query.where(Flag.severity == filters.severity)
    if filters.status == "unresolved":
        query = query.where(Flag.status.in_(OPEN_STATUSES))
    elif filters.status and filters.status != "any":
        query = query.where(Flag.status == filters.status)
    if filters.age in AGE_CHOICES:
        query = query.where(Flag.created_at <= now - timedelta(days=AGE_CHOICES[filters.age]))
    if filters.counselor:
        query = query.where(Couple.counselor_id == filters.counselor)
    return query.order_by(escalated.desc(), severity_rank.desc(), Flag.created_at, Flag.id)


def record_supervision_review(flag: Flag, actor: User, note: str) -> FlagEvent:
    """Mark a flag as reviewed in supervision, with the supervisor's note in its history."""
    now = utcnow()
    flag.supervision_reviewed_at = now
    event = FlagEvent(
        flag_id=flag.id,
        actor_id=actor.id,
        action="supervision_review",
        from_status=flag.status,
        to_status=flag.status,
        note=note.strip(),
        at=now,
    )
    db.session.add(event)
    record("flag_supervision_review", obj=flag, actor=actor)
    save_versioned()
    return event


# ---------------------------------------------------------------- supervision notes


def add_note(author: User, counselor: User, body: str, couple: Couple | None = None):
    """A supervision note on a counselor's work, or on one of their couples."""
    note = SupervisionNote(
        counselor_id=counselor.id,
        couple_id=couple.id if couple is not None else None,
        author_id=author.id,
        body=body.strip(),
    )
    db.session.add(note)
    db.session.flush()
    record(
        "supervision_note_added",
        object_type="supervision_note",
        object_id=note.id,
        couple_id=note.couple_id,
        actor=author,
        detail=f"on counselor {counselor.id}" if couple is None else None,
    )
    return note


def couple_notes(couple: Couple) -> list[SupervisionNote]:
    """Notes on a couple: for whoever holds the case now, their supervisors and admins."""
    return db.session.scalars(
        select(SupervisionNote)
        .options(joinedload(SupervisionNote.author))
        .where(SupervisionNote.couple_id == couple.id)
        .order_by(SupervisionNote.created_at.desc(), SupervisionNote.id.desc())
    ).all()


def counselor_notes(counselor: User, limit: int = 50) -> list[SupervisionNote]:
    """Notes on a counselor's work in general (not on one couple)."""
    return db.session.scalars(
        select(SupervisionNote)
        .options(joinedload(SupervisionNote.author))
        .where(SupervisionNote.counselor_id == counselor.id, SupervisionNote.couple_id.is_(None))
        .order_by(SupervisionNote.created_at.desc(), SupervisionNote.id.desc())
        .limit(limit)
    ).all()


def notes_for_counselor_select(counselor: User) -> Select:
    """What a counselor reads from supervision: notes on them, and on the couples they hold now.

    Rows are (SupervisionNote, couple label or None).
    """
    return (
        select(SupervisionNote, Couple.label)
        .options(joinedload(SupervisionNote.author))
        .outerjoin(Couple, Couple.id == SupervisionNote.couple_id)
        .where(
            or_(
                and_(
                    SupervisionNote.couple_id.is_(None),
                    SupervisionNote.counselor_id == counselor.id,
                ),
                Couple.counselor_id == counselor.id,
            )
        )
        .order_by(SupervisionNote.created_at.desc(), SupervisionNote.id.desc())
    )


# ---------------------------------------------------------------- reassignment


class ReassignmentRefusedError(Exception):
    """The actor may not move this couple to that counselor."""


def reassignment_targets(user: User, couple: Couple) -> list[User]:
    """Active counselors the user may hand this couple to (not its current counselor)."""
    return [
        c for c in team_counselors(user) if c.active and c.id != couple.counselor_id
    ]


def reassign_couple(actor: User, couple: Couple, new_counselor: User, reason: str | None):
    """Move a case between two counselors the actor oversees; audited, history kept."""
    old_id = couple.counselor_id
    if not can_reassign(actor, couple, new_counselor):
        raise ReassignmentRefusedError("You can only move a couple between counselors you oversee.")
    reassign(couple, new_counselor, actor, (reason or "").strip() or None)
    record("couple_reassigned", obj=couple, actor=actor,
           detail=f"counselor {old_id} -> {new_counselor.id}")


# ---------------------------------------------------------------- audit log


@dataclass
class AuditFilters:
    person: int | None = None
    couple: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self) -> dict:
        args = {"person": self.person, "couple": self.couple,
                "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None}
        return {k: v for k, v in args.items() if v is not None}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def audit_select(user: User, filters: AuditFilters) -> Select:
    """Rows are (AuditEntry, actor name or None, couple label or None, name of the person the
    entry is about or None); newest first."""
    actor = aliased(User)
    subject = aliased(User)
    query = (
        select(AuditEntry, actor.display_name, Couple.label, subject.display_name)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .outerjoin(Couple, Couple.id == AuditEntry.couple_id)
        .outerjoin(subject, and_(AuditEntry.object_type == "user",
                                 subject.id == AuditEntry.object_id))
        .where(audit_scope(user))
    )
    if filters.person:
        query = query.where(
            or_(
                AuditEntry.actor_id == filters.person,
                and_(AuditEntry.object_type == "user", AuditEntry.object_id == filters.person),
            )
        )
    if filters.couple:
        query = query.where(AuditEntry.couple_id == filters.couple)
    if filters.date_from:
        query = query.where(AuditEntry.at >= _midnight(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.at < _midnight(filters.date_to + timedelta(days=1)))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def audit_people(user: User) -> list[User]:
    """People the audit filter offers: the supervisor and their team, or all staff (admin)."""
    return db.session.scalars(overseen_people(user).order_by(User.display_name, User.id)).all()


def audit_couples(user: User) -> list[tuple[int, str]]:
    query = select(Couple.id, Couple.label).where(couples_in_scope(user))
    return db.session.execute(query.order_by(Couple.label, Couple.id)).all()
