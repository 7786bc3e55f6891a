"""Engagement: homework completion over a window, quiet partners and quiet couples.

This module holds the only definitions of these three numbers. The counselor's home, the
couple's page, the supervisor's team table and drill-down, the caseload export and the
"one partner disengaged" flag rule all read them from `engagement_for`.

Days are the couple's own local calendar days (their time zone), and today never counts:
homework due today is not late until the day is over.

Completion over a window
    The window is the COMPLETION_DAYS full days before today (four whole weeks, so weekly
    and fortnightly homework always has the same number of due days in it). Each occurrence
    due in the window counts once per partner it is for (work for both partners counts for
    each current partner; work for one partner counts for that partner alone). A paused
    assignment row has nothing due; the couple's "pause shared homework" switch does not
    rewrite past days, because nothing records when a pause began. "Done" is the number of
    those occurrences answered by a check-in, whenever it was sent. Completion is done / due,
    or none when nothing was due.

Quiet partner
    A partner of an active couple is quiet when, over the QUIET_DAYS full days before today,
    homework was expected of them and they sent nothing:
    - some assignment for them that had begun on or before the window's first day had at
      least one occurrence due in the window (shared homework held by the couple's pause and
      paused or ended rows do not count), and
    - they sent no check-in at all from the window's first day on (today included: a
      partner who checks in today is not quiet).
    A partner whose homework began less than QUIET_DAYS days ago is never quiet yet.

Quiet couple
    An active couple with at least one quiet partner.

Pages that sum up many couples read these numbers from `EngagementSummary` rows instead of
recomputing them: a session hook recomputes a couple's row before any commit that changed its
check-ins, assignments, partners or the couple itself, and a row whose local day is over is
recomputed when next read (or by `flask --app practice refresh-engagement`, which `--all`
rebuilds from scratch). So each row always equals `engagement_for` run now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain

from sqlalchemy import case, event, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..clock import local_to_utc, local_today, utcnow
from ..couples.models import Couple, Partner
from ..exercises.models import Assignment
from ..exercises.schedule import occurrences, paused_for_couple
from ..extensions import db
from .models import CheckIn, EngagementSummary

COMPLETION_DAYS = 28
QUIET_DAYS = 14


def _span(today: date) -> tuple[date, date]:
    """Both windows together: the days whose occurrences this module looks at."""
    return (min(completion_window(today)[0], quiet_window(today)[0]),
            today - timedelta(days=1))


def completion_window(today: date) -> tuple[date, date]:
    """The days completion counts: the COMPLETION_DAYS full days before `today`."""
    return today - timedelta(days=COMPLETION_DAYS), today - timedelta(days=1)


def quiet_window(today: date) -> tuple[date, date]:
    """The days a partner must have been silent in to be quiet: QUIET_DAYS before `today`."""
    return today - timedelta(days=QUIET_DAYS), today - timedelta(days=1)


@dataclass
class Engagement:
    """One couple's numbers as of its own `today`."""

    couple_id: int
    today: date
    done: int = 0
    due: int = 0
    # (assignment id, partner id) -> (done, due), for the couple page's table
    by_assignment: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    quiet_partner_ids: list[int] = field(default_factory=list)
    last_by_partner: dict[int, datetime] = field(default_factory=dict)
    last_checkin: datetime | None = None

    @property
    def completion(self) -> float | None:
        return self.done / self.due if self.due else None

    @property
    def quiet(self) -> bool:
        return bool(self.quiet_partner_ids)


def _for_partner(assignment, partner_ids: list[int]) -> list[int]:
    if assignment.partner_id is None:
        return list(partner_ids)
    return [assignment.partner_id] if assignment.partner_id in partner_ids else []


def engagement_for(couples: Iterable, *, assignments: list | None = None,
                   partners: dict[int, list[int]] | None = None) -> dict[int, Engagement]:
    """Completion, quiet partners and last check-in for each couple, keyed by couple id.

    `couples` are Couple objects or rows with `id`, `timezone`, `status` and
    `joint_work_paused`. Four queries whatever the number of couples; two when the caller
    already holds every row of these couples' assignments and their partner ids.
    """
    couples = list(couples)
    if not couples:
        return {}
    ids = [c.id for c in couples]
    todays = {c.id: local_today(c.timezone) for c in couples}
    earliest = min(_span(t)[0] for t in todays.values())
    latest = max(todays.values())
    if assignments is None:
        assignments = _assignments(ids, earliest, latest)
    if partners is None:
        partners = _partners(ids)
    answered = set(db.session.execute(
        select(CheckIn.assignment_id, CheckIn.partner_id, CheckIn.due_date)
        .where(CheckIn.couple_id.in_(ids), CheckIn.due_date >= earliest,
               CheckIn.due_date < latest)
    ).all())
    last: dict[int, dict[int, datetime]] = defaultdict(dict)
    for couple_id, partner_id, moment in db.session.execute(
        select(CheckIn.couple_id, CheckIn.partner_id, func.max(CheckIn.submitted_at))
        .where(CheckIn.couple_id.in_(ids)).group_by(CheckIn.couple_id, CheckIn.partner_id)
    ):
        last[couple_id][partner_id] = moment
    by_couple = defaultdict(list)
    for a in assignments:
        by_couple[a.couple_id].append(a)
    return {c.id: _engagement(c, todays[c.id], by_couple[c.id], partners.get(c.id, []),
                              answered, last[c.id])
            for c in couples}


def _assignments(ids: list[int], earliest: date, latest: date) -> list:
    return db.session.execute(
        select(Assignment.id, Assignment.couple_id, Assignment.partner_id, Assignment.cadence,
               Assignment.weekdays, Assignment.start_date, Assignment.end_date,
               Assignment.occurrence_limit, Assignment.status)
        .where(Assignment.couple_id.in_(ids), Assignment.start_date < latest,
               (Assignment.end_date.is_(None)) | (Assignment.end_date >= earliest))
        .order_by(Assignment.id)
    ).all()


def _partners(ids: list[int]) -> dict[int, list[int]]:
    partners: dict[int, list[int]] = defaultdict(list)
    for couple_id, user_id in db.session.execute(
        select(Partner.couple_id, Partner.user_id).where(Partner.couple_id.in_(ids))
        .order_by(Partner.couple_id, Partner.slot)
    ):
        partners[couple_id].append(user_id)
    return partners


def _engagement(couple, today: date, assignments, partner_ids: list[int], answered,
                last_by_partner: dict[int, datetime]) -> Engagement:
    result = Engagement(couple.id, today, last_by_partner=dict(last_by_partner),
                        last_checkin=max(last_by_partner.values(), default=None))
    start, end = completion_window(today)
    quiet_start, quiet_end = quiet_window(today)
    expected: set[int] = set()
    for a in assignments:
        people = _for_partner(a, partner_ids)
        span = occurrences(a, *_span(today))
        days = [day for day in span if start <= day <= end]
        for pid in people:
            done = sum(1 for day in days if (a.id, pid, day) in answered)
            result.by_assignment[(a.id, pid)] = (done, len(days))
            result.done += done
            result.due += len(days)
        if (a.start_date <= quiet_start and not paused_for_couple(a, couple.joint_work_paused)
                and any(quiet_start <= day <= quiet_end for day in span)):
            expected.update(people)
    if couple.status == "active":
        since = local_to_utc(datetime.combine(quiet_start, datetime.min.time()),
                             couple.timezone)
        result.quiet_partner_ids = [
            pid for pid in partner_ids
            if pid in expected and (last_by_partner.get(pid) or datetime.min) < since
        ]
    return result

# ---------------------------------------------------------------- stored numbers

CHUNK = 500  # couple ids per IN (...) list


def _midnight_after(day: date, timezone: str) -> datetime:
    return local_to_utc(datetime.combine(day + timedelta(days=1), datetime.min.time()), timezone)


def refresh_summaries(couple_ids: Iterable[int]) -> None:
    """Recompute and store the numbers of these couples (a fixed number of queries per 500).

    Written as one upsert per chunk, so two requests storing the same couple at once (the
    first views after a new day) cannot collide on its row.
    """
    ids = sorted(set(couple_ids))
    for start in range(0, len(ids), CHUNK):
        couples = db.session.execute(
            select(Couple.id, Couple.timezone, Couple.status, Couple.joint_work_paused)
            .where(Couple.id.in_(ids[start:start + CHUNK]))
        ).all()
        if not couples:
            continue
        numbers = engagement_for(couples)
        values = []
        for couple in couples:
            e = numbers[couple.id]
            values.append({
                "couple_id": couple.id, "as_of": e.today,
                "valid_until": _midnight_after(e.today, couple.timezone),
                "done": e.done, "due": e.due, "quiet_partner_ids": list(e.quiet_partner_ids),
                "quiet_partners": len(e.quiet_partner_ids), "last_checkin_at": e.last_checkin,
            })
        statement = _insert(EngagementSummary).values(values)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["couple_id"],
            set_={name: statement.excluded[name] for name in values[0] if name != "couple_id"},
        ))


def _insert(model):
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    if db.engine.dialect.name == "postgresql":
        return postgresql_insert(model)
    return sqlite_insert(model)


FRESH_FOR = timedelta(hours=26)  # a stored day ending further ahead: the clock went back


def _fresh(valid_until: datetime, now: datetime) -> bool:
    return now < valid_until <= now + FRESH_FOR


def stale_couples(couple_filter) -> list[int]:
    """Couples matching the filter whose stored numbers are missing or not from today (a
    day ends at `valid_until`; one more than a day ahead means the clock was set back)."""
    now = utcnow()
    return list(db.session.scalars(
        select(Couple.id)
        .outerjoin(EngagementSummary, EngagementSummary.couple_id == Couple.id)
        .where(couple_filter, or_(EngagementSummary.couple_id.is_(None),
                                  EngagementSummary.valid_until <= now,
                                  EngagementSummary.valid_until > now + FRESH_FOR))
    ))


def stored_engagement(couples: Iterable) -> dict[int, Engagement]:
    """`engagement_for`'s numbers for many couples, read from the stored rows (without the
    per-assignment detail and per-partner last check-ins). Two queries when all are fresh."""
    ids = [c.id for c in couples]
    if not ids:
        return {}
    rows = {r.couple_id: r for r in db.session.scalars(
        select(EngagementSummary).where(EngagementSummary.couple_id.in_(ids)))}
    now = utcnow()
    stale = [i for i in ids if i not in rows or not _fresh(rows[i].valid_until, now)]
    if stale:
        refresh_summaries(stale)
        rows.update({r.couple_id: r for r in db.session.scalars(
            select(EngagementSummary).where(EngagementSummary.couple_id.in_(stale))
            .execution_options(populate_existing=True))})
    return {r.couple_id: Engagement(r.couple_id, r.as_of, r.done, r.due,
                                    quiet_partner_ids=list(r.quiet_partner_ids or []),
                                    last_checkin=r.last_checkin_at) for r in rows.values()}


def engagement_by_counselor(couple_filter) -> dict[int, tuple[int, int, int, int]]:
    """Per counselor, over the couples matching `couple_filter`: (couples, done, due, quiet
    couples), summed by the database from the stored rows. One query when every row is
    current; otherwise the stale ones are stored again and the sums read once more."""
    now = utcnow()
    summary = EngagementSummary
    stale = or_(summary.couple_id.is_(None), summary.valid_until <= now,
                summary.valid_until > now + FRESH_FOR)
    query = (
        select(Couple.counselor_id, func.count(Couple.id),
               func.coalesce(func.sum(summary.done), 0), func.coalesce(func.sum(summary.due), 0),
               func.coalesce(func.sum(case((summary.quiet_partners > 0, 1), else_=0)), 0),
               func.coalesce(func.sum(case((stale, 1), else_=0)), 0))
        .outerjoin(summary, summary.couple_id == Couple.id)
        .where(couple_filter).group_by(Couple.counselor_id)
    )
    rows = db.session.execute(query).all()
    if any(row[5] for row in rows):
        refresh_summaries(stale_couples(couple_filter))
        rows = db.session.execute(query).all()
    return {counselor: (int(n), int(done), int(due), int(quiet))
            for counselor, n, done, due, quiet, _stale in rows}


_TRACKED = (CheckIn, Assignment, Partner)


@event.listens_for(Session, "after_flush")
def _note_changed_couples(session, _flush_context) -> None:
    """Remember which couples' numbers this transaction may have moved."""
    changed = session.info.setdefault("engagement_changed", set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, _TRACKED):
            changed.add(obj.couple_id)
        elif isinstance(obj, Couple):
            changed.add(obj.id)


@event.listens_for(Session, "before_commit")
def _refresh_changed_couples(session) -> None:
    """Before the commit, in the same transaction: store their numbers again."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # commit flushes only after this hook; changes must be seen now
    changed = session.info.pop("engagement_changed", None)
    existing = [i for i in changed or () if i is not None]
    if existing and session is db.session():
        refresh_summaries(session.scalars(select(Couple.id).where(Couple.id.in_(existing))))


@event.listens_for(Session, "after_rollback")
def _forget_changed_couples(session) -> None:
    session.info.pop("engagement_changed", None)


RECENCY = (
    (2, "recency-2d", "in the last 2 days"),
    (7, "recency-7d", "in the last week"),
    (30, "recency-30d", "in the last month"),
)


def recency(last: datetime | None, now: datetime) -> tuple[str, str]:
    """CSS class and words for how recent the last check-in is."""
    if last is None:
        return "recency-old", "no check-ins yet"
    age_days = (now - last).total_seconds() / 86400
    for limit, css, words in RECENCY:
        if age_days <= limit:
            return css, words
    return "recency-old", "over a month ago"


def done_and_due(assignments, partner_ids: list[int], answered, first_day: date,
                 last_day: date) -> dict[tuple[int, int], tuple[int, int]]:
    """Completion counted as above, over any span of days (e.g. since the last session):
    (assignment row id, partner id) -> (answered, due) for the occurrences from `first_day` to
    `last_day`. `answered` holds (assignment id, partner id, due day) of sent check-ins."""
    out = {}
    for a in assignments:
        days = occurrences(a, first_day, last_day)
        for pid in _for_partner(a, partner_ids):
            out[(a.id, pid)] = (sum(1 for day in days if (a.id, pid, day) in answered),
                                len(days))
    return out
