"""What the client's home, a couple's page and the counselor's home show about homework.

Each builder runs a fixed number of queries whatever the caseload or history size.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..access import can_manage_couple, visible_couples, written_by
from ..appointments.services import session_days
from ..auth.models import User
from ..clock import local_today, utcnow
from ..content import NEUTRAL_PAUSE_MESSAGE
from ..couples.models import Couple, Partner
from ..exercises.assignments import couple_assignments, current_rows
from ..exercises.models import Assignment
from ..exercises.schedule import (
    open_occurrences,
    open_window,
    partner_ids_for,
    paused_for_couple,
)
from ..extensions import db
from .charts import Series, line_chart, one_per_day, shared_span
from .engagement import (
    COMPLETION_DAYS,
    QUIET_DAYS,
    engagement_for,
    recency,
    stored_engagement,
)
from .models import CaseNote, CheckIn
from .privacy import shared_answers
from .services import expiry_days

TREND_DAYS = 182


def client_home(user: User, couple: Couple) -> dict:
    """Due today, overdue, instructions, recent feedback and what the partner shared.

    While the counselor has paused shared homework, both partners see the same neutral
    message with no reason; work given to this partner alone still shows (with its feedback),
    and nothing else: no joint homework, no shared answers. A partner without individual work
    sees the message only, exactly as if neither had any.
    """
    today = local_today(couple.timezone)
    paused = couple.joint_work_paused
    days = expiry_days()
    start, _end = open_window(today, days)
    assignments = couple_assignments(couple.id)
    partner_ids = [p.user_id for p in couple.partners]
    submitted = set(db.session.execute(
        select(CheckIn.assignment_id, CheckIn.due_date)
        .where(written_by(user), CheckIn.due_date >= start)
    ).all())
    items = open_occurrences(assignments, user.id, partner_ids, submitted, today, days,
                             joint_work_paused=paused)
    exercises = [a for a in current_rows(assignments)
                 if a.status == "active" and user.id in partner_ids_for(a, partner_ids)
                 and not paused_for_couple(a, paused)]
    feedback_query = (
        select(CheckIn).options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
        .where(written_by(user), CheckIn.feedback.is_not(None))
    )
    if paused:
        feedback_query = feedback_query.join(
            Assignment, Assignment.id == CheckIn.assignment_id
        ).where(Assignment.partner_id.is_not(None))
    feedback = db.session.scalars(
        feedback_query.order_by(CheckIn.feedback_at.desc()).limit(3)
    ).all()
    return {"paused_message": NEUTRAL_PAUSE_MESSAGE if paused else None, "items": items,
            "exercises": exercises, "feedback": feedback,
            "shared": [] if paused else shared_answers(user.id, couple.id, limit=3),
            "couple": couple, "today": today}


def couple_review(user: User, couple: Couple) -> dict:
    """Completion, quiet partners, trends, unreviewed check-ins and latest case notes."""
    today = local_today(couple.timezone)
    partners = [(p.user_id, p.user.display_name) for p in couple.partners]
    partner_ids = [pid for pid, _ in partners]
    assignments = couple_assignments(couple.id)
    numbers = engagement_for([couple], assignments=assignments,
                             partners={couple.id: partner_ids})[couple.id]
    chains: dict[int, list[Assignment]] = {}
    by_id = {a.id: a for a in assignments}
    for a in assignments:
        root = a
        while root.previous_id in by_id:
            root = by_id[root.previous_id]
        chains.setdefault(root.id, []).append(a)
    completion = []
    for rows in chains.values():
        latest = rows[-1]
        per_partner = []
        for pid, name in partners:
            counts = [numbers.by_assignment.get((a.id, pid), (0, 0)) for a in rows]
            due = sum(d for _done, d in counts)
            if due:
                per_partner.append((name, sum(done for done, _d in counts), due))
        if per_partner or latest.status != "ended":
            completion.append((latest, per_partner))
    trend_rows = db.session.execute(
        select(CheckIn.partner_id, CheckIn.due_date, CheckIn.closeness, CheckIn.signs_score)
        .where(CheckIn.couple_id == couple.id,
               CheckIn.due_date >= today - timedelta(days=TREND_DAYS))
        .order_by(CheckIn.due_date, CheckIn.id)
    ).all()
    closeness = {pid: [] for pid in partner_ids}
    signs = {pid: [] for pid in partner_ids}
    for pid, day, close, score in trend_rows:
        if pid in closeness and close is not None:
            closeness[pid].append((day, close))
        if pid in signs and score is not None:
            signs[pid].append((day, score))
    # One point per partner per day (the day's last answer); one date axis for both charts;
    # sessions as thin vertical marks.
    close_series = [Series(name, one_per_day(closeness[pid])) for pid, name in partners]
    signs_series = [Series(name, one_per_day(signs[pid])) for pid, name in partners]
    sessions = [d for d in session_days(couple, today - timedelta(days=TREND_DAYS))
                if d <= today]
    span = shared_span([close_series, signs_series], sessions)
    per_day = "One point per partner per day: that day's last answer."
    closeness_chart = line_chart(
        "Closeness over time", "How close each partner felt (1 far apart, 10 very close), "
        f"by check-in day, over the last {TREND_DAYS // 7} weeks. {per_day} Vertical lines "
        "mark sessions.", close_series, 1, 10, span=span, marks=sessions)
    signs_chart = line_chart(
        "Signs of distance over time", "Each partner's signs self-check score (0 none of the "
        f"signs, 20 all of them often), by day. Lower is closer. {per_day} Vertical lines "
        "mark sessions.", signs_series, 0, 20, lower_is_better=True, span=span, marks=sessions)
    waiting = db.session.execute(
        select(CheckIn, func.count().over().label("total"))
        .options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
        .where(CheckIn.couple_id == couple.id, CheckIn.reviewed_at.is_(None))
        .order_by(CheckIn.submitted_at.desc()).limit(10)
    ).all()
    unreviewed = [row[0] for row in waiting]
    unreviewed_count = waiting[0].total if waiting else 0
    notes = db.session.scalars(
        select(CaseNote).where(CaseNote.couple_id == couple.id)
        .order_by(CaseNote.note_date.desc(), CaseNote.id.desc()).limit(3)
    ).all()
    return {
        "couple": couple, "names": dict(partners), "completion": completion,
        "engagement": numbers, "rate_days": COMPLETION_DAYS, "quiet_days": QUIET_DAYS,
        "quiet": [name for pid, name in partners if pid in numbers.quiet_partner_ids],
        "closeness_chart": closeness_chart, "signs_chart": signs_chart,
        "unreviewed": unreviewed, "unreviewed_count": unreviewed_count, "notes": notes,
        "can_manage": can_manage_couple(user, couple),
    }


def counselor_home(user: User) -> list[dict]:
    """One row per couple on the caseload with homework facts, most in need of attention first."""
    couples = db.session.scalars(
        visible_couples(user).where(Couple.status != "closed")
        .order_by(Couple.label)
    ).all()
    if not couples:
        return []
    ids = [c.id for c in couples]
    now = utcnow()
    partner_rows = db.session.execute(
        select(Partner.couple_id, Partner.user_id, User.display_name)
        .join(User, User.id == Partner.user_id).where(Partner.couple_id.in_(ids))
        .order_by(Partner.couple_id, Partner.slot)
    ).all()
    partners: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for couple_id, user_id, name in partner_rows:
        partners[couple_id].append((user_id, name))
    unreviewed = dict(db.session.execute(
        select(CheckIn.couple_id, func.count(CheckIn.id))
        .where(CheckIn.couple_id.in_(ids), CheckIn.reviewed_at.is_(None))
        .group_by(CheckIn.couple_id)
    ).all())
    numbers = stored_engagement(couples)
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.couple_id.in_(ids), Assignment.status == "active")
    ).all()
    days = expiry_days()
    todays = {c.id: local_today(c.timezone) for c in couples}
    earliest = min(todays.values()) - timedelta(days=days)
    done: dict[int, set] = defaultdict(set)  # partner -> (assignment, day) answered
    for assignment_id, partner_id, day in db.session.execute(
        select(CheckIn.assignment_id, CheckIn.partner_id, CheckIn.due_date)
        .where(CheckIn.couple_id.in_(ids), CheckIn.due_date >= earliest)
    ):
        done[partner_id].add((assignment_id, day))
    by_couple: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_couple[a.couple_id].append(a)
    rows = []
    for couple in couples:
        today = todays[couple.id]
        people = partners[couple.id]
        pids = [pid for pid, _ in people]
        # Paused shared homework is not overdue; work given to one partner alone still is.
        running = [a for a in by_couple[couple.id]
                   if not paused_for_couple(a, couple.joint_work_paused)]
        overdue = 0
        for pid in pids:
            items = open_occurrences(running, pid, pids, done[pid], today, days)
            overdue += sum(1 for o in items if o.state == "overdue")
        engagement = numbers[couple.id]
        quiet = [name for pid, name in people if pid in engagement.quiet_partner_ids]
        css, words = recency(engagement.last_checkin, now)
        rows.append({
            "couple": couple, "partners": [name for _pid, name in people],
            "unreviewed": unreviewed.get(couple.id, 0), "overdue": overdue, "quiet": quiet,
            "last": engagement.last_checkin, "recency_class": css,
            "recency_words": words,
        })
    rows.sort(key=lambda r: (-(r["unreviewed"] > 0 or r["overdue"] > 0 or bool(r["quiet"])),
                             -r["unreviewed"], -r["overdue"], r["couple"].label))
    return rows
