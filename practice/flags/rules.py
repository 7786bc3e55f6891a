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
    A quiet partner, as checkins/engagement.py defines it (homework was due for them over the
    last QUIET_DAYS days and they sent nothing). Once the counselor resolves such a flag, it is
    not raised again for that partner until QUIET_DAYS more days have passed since the
    resolution (resolving means they followed it up). Evaluated in the background, never on
    a page load: ``run_time_based_rules`` is what ``flask --app practice run-flag-rules`` (run
    daily) and a background worker call, in a fixed number of queries.

The guide's eight situations name causes, and a rule cannot know the cause: the rules use
"communication_breakdown", the broadest, and say in the description what they saw.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..checkins.engagement import QUIET_DAYS, engagement_for
from ..checkins.models import CheckIn
from ..clock import utcnow
from ..couples.models import Couple
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

    A fixed number of reads whatever the caseload size: the couples, their engagement
    numbers and the rule's earlier flags.
    """
    now = utcnow()
    query = select(Couple).where(Couple.status == "active")
    if counselor_id is not None:
        query = query.where(Couple.counselor_id == counselor_id)
    couples = {c.id: c for c in db.session.scalars(query.order_by(Couple.id))}
    numbers = engagement_for(couples.values())
    quiet = sorted((couple_id, partner_id) for couple_id, e in numbers.items()
                   for partner_id in e.quiet_partner_ids)
    if not quiet:
        return []
    already: set[tuple[int, int | None]] = set()
    resolved_lately: set[tuple[int, int | None]] = set()
    cutoff = now - timedelta(days=QUIET_DAYS)
    for f in db.session.execute(
        select(Flag.couple_id, Flag.partner_id, Flag.status, Flag.resolved_at).where(
            Flag.couple_id.in_({couple_id for couple_id, _ in quiet}),
            Flag.rule_key == "disengaged",
        )
    ).all():
        key = (f.couple_id, f.partner_id)
        if f.status != "resolved":
            already.add(key)
        elif f.resolved_at is not None and f.resolved_at > cutoff:
            resolved_lately.add(key)
    raised = []
    for key in quiet:
        if key in already or key in resolved_lately:
            continue
        couple_id, user_id = key
        seen = numbers[couple_id].last_by_partner.get(user_id)
        since = f"since {seen:%d %b %Y}" if seen else "since their homework began"
        raised.append(raise_flag(
            couples[couple_id], RULE_CATEGORY, "low",
            f"{RULE_LABELS['disengaged']}: homework is due and there has been no check-in "
            f"{since} ({QUIET_DAYS}+ days).",
            "rule", partner=user_id, rule_key="disengaged",
        ))
    return raised


def run_time_based_rules() -> list[Flag]:
    """Every rule that depends on time passing rather than on a new check-in, for every
    caseload: the entry point for the daily CLI command and the background worker. Flushes;
    the caller commits."""
    return evaluate_disengagement()
