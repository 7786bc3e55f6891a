"""Flags: raising them, their status machine and history, focused sessions, safety screens.

Status machine (anything else is refused with a message):

    open ──► acknowledged ──► session_scheduled ──► resolved
      │            │                                   ▲  │
      │            └───────────────────────────────────┤  │
      ├──► session_scheduled                           │  │
      └────────────────────────────────────────────────┘  │
    resolved ──► open (reopen) ◄──────────────────────────┘

Resolving needs a resolution note. Every change writes a FlagEvent (who, when, from, to, note)
and an audit entry (never the note's words). Staff edits carry the version they were made from.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import sessions_known_to, written_by
from ..audit.services import record
from ..clock import utcnow
from ..content import SAFETY_QUESTIONS, SITUATIONS
from ..extensions import db
from ..mail import notices
from ..modelbase import LATEST, check_version, save_versioned
from .holds import hold_shared_work
from .models import (
    FLAG_SOURCES,
    SEVERITIES,
    Flag,
    FlagEvent,
    FocusedSession,
    FormToken,
    SafetyScreen,
)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("acknowledged", "session_scheduled", "resolved"),
    "acknowledged": ("session_scheduled", "resolved"),
    "session_scheduled": ("resolved",),
    "resolved": ("open",),
}

STATUS_LABELS = {
    "open": "Open",
    "acknowledged": "Acknowledged",
    "session_scheduled": "Focused session scheduled",
    "resolved": "Resolved",
}

TRANSITION_LABELS = {
    "acknowledged": "Acknowledge",
    "session_scheduled": "Mark focused session scheduled",
    "resolved": "Resolve",
    "open": "Reopen",
}

SEVERITY_RANK = {"urgent": 0, "high": 1, "moderate": 2, "low": 3}
SESSION_MODES = ("individual", "joint")


class FlagError(ValueError):
    """A change the rules refuse; the message says why and what to do instead.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def raise_flag(
    couple,
    category: str,
    severity: str,
    description: str,
    source: str,
    partner=None,
    rule_key: str | None = None,
    checkin=None,
    screen=None,
    actor=None,
) -> Flag:
    """Open a flag on `couple` (about `partner`, a User or user id, when given)."""
    if category not in SITUATIONS:
        raise FlagError(f"Unknown situation {category!r}.")
    if severity not in SEVERITIES:
        raise FlagError(f"Unknown severity {severity!r}.")
    if source not in FLAG_SOURCES:
        raise FlagError(f"Unknown source {source!r}.")
    partner_id = getattr(partner, "id", partner)
    if partner_id is not None and couple.partner_slot(partner_id) is None:
        raise FlagError("That person is not a partner in this couple.")
    flag = Flag(
        couple_id=couple.id,
        partner_id=partner_id,
        category=category,
        severity=severity,
        description=description.strip(),
        source=source,
        rule_key=rule_key,
        status="open",
        raised_by_id=getattr(actor, "id", None),
        checkin_id=getattr(checkin, "id", None),
        screen_id=getattr(screen, "id", None),
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(flag)
    db.session.flush()
    add_event(flag, actor, "raised", None, "open", None)
    record("flag_raised", obj=flag, actor=actor,
           detail=f"category={category} severity={severity} source={source}")
    hold_shared_work(flag, actor)
    if severity == "urgent":
        notices.urgent_flag(flag)
    return flag


def add_event(flag: Flag, actor, action: str, from_status, to_status, note) -> FlagEvent:
    event = FlagEvent(
        flag_id=flag.id,
        actor_id=getattr(actor, "id", None),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=(note or None),
        at=utcnow(),
    )
    db.session.add(event)
    return event


def allowed_transitions(flag: Flag) -> tuple[str, ...]:
    return TRANSITIONS.get(flag.status, ())


def change_status(flag: Flag, to_status: str, actor, note: str | None = None,
                  version=LATEST) -> FlagEvent:
    """Move a flag along the status machine; refuse anything the machine does not allow.

    `version` is the flag version the staff member's form was loaded from (EditConflictError
    when it is stale; LATEST for service callers that hold the current row).
    """
    check_version(flag, version)
    note = (note or "").strip() or None
    if to_status not in STATUS_LABELS:
        raise FlagError(f"{to_status!r} is not a flag status.", field="to_status")
    if to_status == flag.status:
        raise FlagError(f"This flag is already {STATUS_LABELS[to_status].lower()}.",
                        field="to_status")
    if to_status not in allowed_transitions(flag):
        allowed = ", ".join(STATUS_LABELS[s].lower() for s in allowed_transitions(flag))
        raise FlagError(
            f"A flag that is {STATUS_LABELS[flag.status].lower()} cannot become "
            f"{STATUS_LABELS[to_status].lower()}. From here it can become: {allowed}.",
            field="to_status",
        )
    if to_status == "resolved" and not note:
        raise FlagError("Write a resolution note: what was done and why the flag can close.",
                        field="note")
    from_status = flag.status
    now = utcnow()
    flag.status = to_status
    if to_status in ("acknowledged", "session_scheduled", "resolved") and not flag.acknowledged_at:
        flag.acknowledged_at = now
    if to_status == "resolved":
        flag.resolution_note = note
        flag.resolved_at = now
    if to_status == "open":
        flag.resolved_at = None
    action = "reopened" if from_status == "resolved" else "status_changed"
    event = add_event(flag, actor, action, from_status, to_status, note)
    save_versioned()
    record("flag_status_changed", obj=flag, actor=actor, detail=f"{from_status}->{to_status}")
    if to_status == "open":
        hold_shared_work(flag, actor)
    return event


def flag_history(flag: Flag) -> list[FlagEvent]:
    """A flag's events, oldest first, with who made each one (one query)."""
    return list(db.session.scalars(
        select(FlagEvent)
        .options(joinedload(FlagEvent.actor))
        .where(FlagEvent.flag_id == flag.id)
        .order_by(FlagEvent.at, FlagEvent.id)
    ))


def open_flag_exists(partner_id: int | None, rule_key: str, couple_id: int) -> bool:
    """True when a not-yet-resolved flag of this kind already exists for this person."""
    return db.session.scalar(
        select(Flag.id)
        .where(
            Flag.couple_id == couple_id,
            Flag.partner_id == partner_id if partner_id is not None else Flag.partner_id.is_(None),
            Flag.rule_key == rule_key,
            Flag.status != "resolved",
        )
        .limit(1)
    ) is not None


def sort_flags(flags) -> list[Flag]:
    """Most severe first, then oldest first."""
    return sorted(flags, key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.created_at, f.id))


# ---------------------------------------------------------------------------
# Focused sessions
# ---------------------------------------------------------------------------


def schedule_session(flag: Flag, actor, *, day: date, start: time, duration_minutes: int,
                     mode: str, partner_id: int | None, agenda: str | None,
                     joint_safety_reason: str | None) -> FocusedSession:
    """Schedule a focused session from a flag; the time is wall-clock in the couple's zone.

    A harm flag gets individual sessions; a joint one only with a recorded reason why it is
    safe. The flag moves to session_scheduled when it was open or acknowledged. A resolved
    flag, a time already past, and a wall-clock time that a daylight-saving change skips or
    repeats in the couple's zone are refused.
    """
    couple = flag.couple
    if flag.status == "resolved":
        raise FlagError("This flag is resolved. Reopen it to schedule a focused session.")
    starts_at = session_start_utc(day, start, couple.timezone)
    reason = (joint_safety_reason or "").strip() or None
    if mode not in SESSION_MODES:
        raise FlagError("Choose an individual or a joint session.")
    if mode == "individual":
        if partner_id is None or couple.partner_slot(partner_id) is None:
            raise FlagError("Choose which partner the individual session is with.")
    else:
        partner_id = None
        if flag.category == "harm" and not reason:
            raise FlagError(
                "A harm flag calls for individual sessions. To hold a joint session, record "
                "why it is safe to do so."
            )
    session = FocusedSession(
        flag_id=flag.id,
        couple_id=couple.id,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        partner_id=partner_id,
        agenda=(agenda or "").strip() or None,
        joint_safety_reason=reason if mode == "joint" else None,
        status="scheduled",
        created_by_id=actor.id,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(session)
    db.session.flush()
    add_event(flag, actor, "session_scheduled", None, None, None)
    if "session_scheduled" in allowed_transitions(flag):
        change_status(flag, "session_scheduled", actor)
    record("focused_session_scheduled", obj=session, actor=actor, detail=f"mode={mode}")
    db.session.flush()
    return session


def session_proposal(flag: Flag) -> dict:
    """What the session form proposes: harm, and anything a partner told us privately (their
    own answer, whose follow-up they were promised), starts with that partner alone."""
    couple = flag.couple
    individual = flag.category == "harm" or flag.source == "client" or len(couple.partners) < 2
    proposal = {"mode": "individual" if individual else "joint"}
    if flag.partner_id:
        proposal["partner_id"] = str(flag.partner_id)
    return proposal


def session_start_utc(day: date, start: time, tz: str) -> datetime:
    """The naive UTC start of a session given as wall-clock time in `tz`, or FlagError.

    A time the clocks skip (spring forward) or pass twice (fall back) is refused rather than
    guessed, and so is a time already past.
    """
    zone = ZoneInfo(tz)
    wall = datetime.combine(day, start)
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    when = f"{start:%H:%M} on {day:%d %b %Y}"
    if first.utcoffset() != second.utcoffset():
        if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
            raise FlagError(f"{when} does not exist in {tz}: the clocks go forward that night. "
                            "Choose another time.", field="start")
        raise FlagError(f"{when} happens twice in {tz}: the clocks go back that night. "
                        "Choose a time outside that hour.", field="start")
    starts_at = first.astimezone(UTC).replace(tzinfo=None)
    if starts_at < utcnow():
        raise FlagError(f"{when} has already passed. Choose a date and time from now on.",
                        field="day")
    return starts_at


def record_outcome(session: FocusedSession, actor, outcome: str, *, resolve: bool,
                   resolution_note: str | None, version=LATEST) -> None:
    """Record what happened in a session, then resolve the flag or keep it open."""
    check_version(session, version)
    outcome = (outcome or "").strip()
    if not outcome:
        raise FlagError("Write the session's outcome.", field="outcome")
    flag = session.flag
    if resolve and "resolved" not in allowed_transitions(flag):
        raise FlagError("This flag is already resolved.", field="next_step")
    if resolve and not (resolution_note or "").strip():
        raise FlagError("Write a resolution note to resolve the flag, or choose to keep it open.",
                        field="resolution_note")
    session.outcome = outcome
    session.status = "attended"
    save_versioned()
    add_event(flag, actor, "session_outcome", None, None, None)
    record("focused_session_outcome", obj=session, actor=actor,
           detail="resolve" if resolve else "keep")
    if resolve:
        change_status(flag, "resolved", actor, resolution_note)
    db.session.flush()


def client_sessions(user, couple) -> list[FocusedSession]:
    """Sessions a client may know about: their own individual ones and joint ones, upcoming."""
    since = utcnow() - timedelta(hours=12)
    return list(
        db.session.scalars(
            select(FocusedSession)
            .where(
                FocusedSession.couple_id == couple.id,
                FocusedSession.status == "scheduled",
                FocusedSession.starts_at >= since,
                sessions_known_to(user),
            )
            .order_by(FocusedSession.starts_at)
        )
    )


# ---------------------------------------------------------------------------
# The private safety screen
# ---------------------------------------------------------------------------

HARM_DESCRIPTION = (
    "Raised from this partner's private safety screen: one or more answers indicate harm "
    "at home. Contact them individually, in a way that is safe for them."
)


def screen_due(user, couple, now: datetime | None = None) -> bool:
    """Whether the client's home should invite this partner to the private screen.

    Due when they have never been screened, or their last completed screen is older than the
    couple's interval. A screen put off ("not private right now") is offered again a day later.
    Depends only on this partner's own screens, never on the other partner's.
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(SafetyScreen.status, SafetyScreen.created_at)
        .where(written_by(user, SafetyScreen), SafetyScreen.couple_id == couple.id)
        .order_by(SafetyScreen.created_at.desc())
        .limit(50)
    ).all()
    if not rows:
        return True
    last_completed = next((r.created_at for r in rows if r.status == "completed"), None)
    last_deferred = next((r.created_at for r in rows if r.status == "deferred"), None)
    if last_deferred is not None and last_deferred > now - timedelta(days=1):
        return False
    interval = timedelta(days=couple.screen_interval_days or 14)
    return last_completed is None or last_completed <= now - interval


def screen_context(user, couple) -> str:
    has_any = db.session.scalar(
        select(SafetyScreen.id).where(written_by(user, SafetyScreen),
                                      SafetyScreen.couple_id == couple.id).limit(1)
    )
    return "scheduled" if has_any else "first_login"


def defer_screen(user, couple, context: str, checkin=None) -> SafetyScreen:
    """Not private right now: keep only the fact that it was put off (no answers)."""
    screen = SafetyScreen(couple_id=couple.id, partner_id=user.id, context=context,
                          checkin_id=getattr(checkin, "id", None), status="deferred",
                          answers=None, note=None, indicates_harm=False, created_at=utcnow())
    db.session.add(screen)
    db.session.flush()
    return screen


def complete_screen(user, couple, answers: dict[str, str], note: str | None, context: str,
                    checkin=None) -> tuple[SafetyScreen, Flag | None]:
    """Store a partner's answers; any 'yes' raises an urgent harm flag about them."""
    keys = [key for key, _ in SAFETY_QUESTIONS]
    clean = {key: answers.get(key) for key in keys}
    if any(value not in ("yes", "no", "prefer_not_to_say") for value in clean.values()):
        raise FlagError("Every question needs an answer.")
    harm = any(value == "yes" for value in clean.values())
    screen = SafetyScreen(couple_id=couple.id, partner_id=user.id, context=context,
                          checkin_id=getattr(checkin, "id", None), status="completed",
                          answers=clean, note=(note or "").strip() or None,
                          indicates_harm=harm, created_at=utcnow())
    db.session.add(screen)
    db.session.flush()
    flag = None
    if harm:
        flag = raise_flag(couple, "harm", "urgent", HARM_DESCRIPTION, "client", partner=user,
                          screen=screen, checkin=checkin, actor=user)
    db.session.flush()
    return screen, flag


SCREEN_TOKEN_PURPOSE = "safety_screen"  # noqa: S105 - a label, not a secret


def issue_screen_token(user) -> str:
    """A one-time token for the questions form: a resubmitted form stores one screen."""
    token = secrets.token_urlsafe(32)
    db.session.add(FormToken(token=token, user_id=user.id, purpose=SCREEN_TOKEN_PURPOSE,
                             created_at=utcnow()))
    db.session.flush()
    return token


def claim_screen_token(user, token: str | None) -> bool | None:
    """True: first use (now used). False: already used. None: not a token of this user."""
    row = db.session.get(FormToken, token) if token else None
    if row is None or row.user_id != user.id or row.purpose != SCREEN_TOKEN_PURPOSE:
        return None
    if row.used_at is not None:
        return False
    row.used_at = utcnow()
    db.session.flush()
    return True


def set_screen_interval(couple, days: int, actor, version=LATEST) -> None:
    check_version(couple, version)
    couple.screen_interval_days = days
    save_versioned()
    record("screen_interval_changed", obj=couple, actor=actor, detail=f"days={days}")
