"""Rules that raise flags by themselves, from the numbers partners give.

Each rule compares a partner with their OWN recent history, never with the other partner.
A rule never opens a second flag of its kind (its ``rule_key``) for the same person while an
earlier one is not yet resolved; once that one is resolved, the rule may raise again.

``closeness_drop`` (moderate, category "communication_breakdown")
    A check-in's closeness rating (1-10) is 3 or more points below the mean of the same
    partner's closeness ratings submitted in the 28 days before it. Needs at least 2 earlier
    ratings in that window, so one bad day at the start does not count.

``signs_rise`` (moderate, category "communication_breakdown")
    A signs-of-distance self-check score (0-20: ten signs, each rarely 0 / sometimes 1 /
    often 2) is 4 or more points above the mean of the same partner's scores submitted in the
    56 days before it (the self-check usually runs every two weeks, so 8 weeks holds about
    four of them). Needs at least 2 earlier scores. Four points is four signs moving from
    "rarely" to "sometimes", or two to "often": a sharp change, not noise.

``disengaged`` (low, category "communication_breakdown", labelled "One partner disengaged")
    A partner with homework due and no check-in for 14 days. "Homework due" means an active
    assignment covering them (one for both partners, unless the counselor paused joint work;
    or one for them alone) whose start date is 14 or more days ago in the couple's time zone
    and that had at least one occurrence due in the last 14 days (an assignment that ended,
    was paused from an earlier date, or was a one-off done long ago is not due).
    "No check-in" uses the newest ``CheckIn.submitted_at`` of that partner (none at all counts).
    Only active couples. Once the counselor resolves such a flag, the 14 days count again from
    the resolution (resolving means they followed it up). Evaluated by
    ``flask --app practice run-flag-rules`` and when a counselor's home loads (for that
    caseload), in a fixed number of queries.

The guide's eight situations name causes, and a rule cannot know the cause: the rules use
"communication_breakdown", the broadest, and say in the description what they saw.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..checkins.models import CheckIn
from ..clock import local_today, utcnow
from ..couples.models import Couple, Partner
from ..exercises.models import Assignment
from ..exercises.schedule import schedule_dates
from ..extensions import db
from .models import Flag
from .services import open_flag_exists, raise_flag

RULE_CATEGORY = "communication_breakdown"
RULE_LABELS = {
    "closeness_drop": "Closeness fell sharply",
    "signs_rise": "Signs of distance rose sharply",
    "disengaged": "One partner disengaged",
}

CLOSENESS_DROP = 3
CLOSENESS_WINDOW = timedelta(days=28)
SIGNS_RISE = 4
SIGNS_WINDOW = timedelta(days=56)
MIN_EARLIER = 2
DISENGAGED_DAYS = 14


def _earlier_values(checkin, column, window: timedelta) -> list[int]:
    return list(
        db.session.scalars(
            select(column).where(
                CheckIn.partner_id == checkin.partner_id,
                CheckIn.couple_id == checkin.couple_id,
                CheckIn.id != checkin.id,
                column.is_not(None),
                CheckIn.submitted_at < checkin.submitted_at,
                CheckIn.submitted_at >= checkin.submitted_at - window,
            )
        )
    )


def check_closeness_drop(checkin) -> Flag | None:
    if checkin.closeness is None:
        return None
    earlier = _earlier_values(checkin, CheckIn.closeness, CLOSENESS_WINDOW)
    if len(earlier) < MIN_EARLIER:
        return None
    mean = sum(earlier) / len(earlier)
    if mean - checkin.closeness < CLOSENESS_DROP:
        return None
    if open_flag_exists(checkin.partner_id, "closeness_drop", checkin.couple_id):
        return None
    return raise_flag(
        checkin.couple, RULE_CATEGORY, "moderate",
        f"{RULE_LABELS['closeness_drop']}: rated {checkin.closeness}/10 against an average of "
        f"{mean:.1f} over the previous 4 weeks ({len(earlier)} ratings).",
        "rule", partner=checkin.partner_id, rule_key="closeness_drop", checkin=checkin,
    )


def check_signs_rise(checkin) -> Flag | None:
    if checkin.signs_score is None:
        return None
    earlier = _earlier_values(checkin, CheckIn.signs_score, SIGNS_WINDOW)
    if len(earlier) < MIN_EARLIER:
        return None
    mean = sum(earlier) / len(earlier)
    if checkin.signs_score - mean < SIGNS_RISE:
        return None
    if open_flag_exists(checkin.partner_id, "signs_rise", checkin.couple_id):
        return None
    return raise_flag(
        checkin.couple, RULE_CATEGORY, "moderate",
        f"{RULE_LABELS['signs_rise']}: scored {checkin.signs_score}/20 against an average of "
        f"{mean:.1f} over the previous 8 weeks ({len(earlier)} self-checks).",
        "rule", partner=checkin.partner_id, rule_key="signs_rise", checkin=checkin,
    )


def evaluate_checkin(checkin) -> list[Flag]:
    """The rules a new check-in may trigger."""
    raised = [check_closeness_drop(checkin), check_signs_rise(checkin)]
    return [flag for flag in raised if flag is not None]


def evaluate_disengagement(counselor_id: int | None = None) -> list[Flag]:
    """Raise 'one partner disengaged' flags for one caseload (or all, when None).

    Four reads whatever the caseload size: covering assignments, partners, latest check-ins,
    and the rule's open flags.
    """
    now = utcnow()
    couple_filter = [Couple.status == "active"]
    if counselor_id is not None:
        couple_filter.append(Couple.counselor_id == counselor_id)
    # Widest possible "started 14+ days ago" across time zones; narrowed per couple below.
    latest_start = (now + timedelta(days=1)).date() - timedelta(days=DISENGAGED_DAYS)
    rows = db.session.execute(
        select(Assignment.couple_id, Assignment.partner_id, Assignment.start_date,
               Assignment.cadence, Assignment.weekdays, Assignment.end_date,
               Assignment.occurrence_limit, Couple.timezone, Couple.joint_work_paused)
        .join(Couple, Couple.id == Assignment.couple_id)
        .where(*couple_filter, Assignment.status == "active",
               Assignment.start_date <= latest_start)
    ).all()
    covered: dict[tuple[int, int | None], bool] = {}
    for row in rows:
        window_start = local_today(row.timezone) - timedelta(days=DISENGAGED_DAYS)
        if row.start_date > window_start:
            continue
        if row.partner_id is None and row.joint_work_paused:
            continue
        if not schedule_dates(row.cadence, row.start_date, row.weekdays, row.end_date,
                              row.occurrence_limit, window_start, local_today(row.timezone)):
            continue  # nothing was due in the quiet window (ended, paused from a date, done)
        covered[(row.couple_id, row.partner_id)] = True
    if not covered:
        return []
    couple_ids = {couple_id for couple_id, _ in covered}
    partners = db.session.execute(
        select(Partner.couple_id, Partner.user_id).where(Partner.couple_id.in_(couple_ids))
    ).all()
    due = {
        (p.couple_id, p.user_id)
        for p in partners
        if (p.couple_id, None) in covered or (p.couple_id, p.user_id) in covered
    }
    if not due:
        return []
    last_seen = dict(
        db.session.execute(
            select(CheckIn.partner_id, func.max(CheckIn.submitted_at))
            .where(CheckIn.couple_id.in_(couple_ids))
            .group_by(CheckIn.partner_id)
        ).all()
    )
    already: set[tuple[int, int | None]] = set()
    last_resolved: dict[tuple[int, int | None], datetime] = {}
    for f in db.session.execute(
        select(Flag.couple_id, Flag.partner_id, Flag.status, Flag.resolved_at).where(
            Flag.couple_id.in_(couple_ids), Flag.rule_key == "disengaged",
        )
    ).all():
        key = (f.couple_id, f.partner_id)
        if f.status != "resolved":
            already.add(key)
        elif f.resolved_at is not None:
            last_resolved[key] = max(f.resolved_at, last_resolved.get(key, f.resolved_at))
    cutoff = now - timedelta(days=DISENGAGED_DAYS)

    def quiet_since(couple_id: int, user_id: int) -> datetime | None:
        """The later of their last check-in and the last time this flag was resolved."""
        moments = [m for m in (last_seen.get(user_id), last_resolved.get((couple_id, user_id)))
                   if m is not None]
        return max(moments) if moments else None

    quiet = sorted(
        (couple_id, user_id)
        for couple_id, user_id in due
        if (couple_id, user_id) not in already
        and (quiet_since(couple_id, user_id) is None
             or quiet_since(couple_id, user_id) <= cutoff)
    )
    if not quiet:
        return []
    couples = {
        c.id: c
        for c in db.session.scalars(select(Couple).where(Couple.id.in_({c for c, _ in quiet})))
    }
    raised = []
    for couple_id, user_id in quiet:
        seen = last_seen.get(user_id)
        since = f"since {seen:%d %b %Y}" if seen else "since their homework began"
        raised.append(raise_flag(
            couples[couple_id], RULE_CATEGORY, "low",
            f"{RULE_LABELS['disengaged']}: homework is due and there has been no check-in "
            f"{since} ({DISENGAGED_DAYS}+ days).",
            "rule", partner=user_id, rule_key="disengaged",
        ))
    return raised
