"""The seam between homework check-ins and flags.

The check-in service calls `after_checkin_submitted` once a check-in is saved; the flags
feature raises what the check-in calls for (a 'something broke my trust' answer, a sharp fall
in closeness or signs) and may return a URL to send the client to next (the private safety
screen when they asked for it).
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from ..extensions import db
from .models import Flag
from .rules import evaluate_checkin
from .services import add_event, open_flag_exists, raise_flag

BROKEN_TRUST_DESCRIPTION = (
    "The partner marked a check-in 'something broke my trust'. Plan a focused session."
)


def after_checkin_submitted(checkin, wants_safety_screen: bool = False) -> str | None:
    """Raise the flags a new check-in calls for; return where the client goes next, or None.

    A 'something broke my trust' answer raises a high broken-trust flag about that partner,
    unless one raised the same way is still open (then the answer is added to its history,
    so the counselor sees it was said again without a second flag in the queue).
    """
    if checkin.id is None or checkin.submitted_at is None:
        db.session.flush()  # ids and default times are needed below
    if checkin.broke_trust:
        _broke_trust(checkin)
    evaluate_checkin(checkin)
    return _next(checkin, wants_safety_screen)


def after_checkin_edited(checkin, *, was_broke_trust: bool, numbers_changed: bool,
                         wants_safety_screen: bool = False) -> str | None:
    """The same for a check-in its author changed: a 'something broke my trust' ticked only
    now counts as on a new check-in, and the rules look again at changed numbers."""
    if checkin.broke_trust and not was_broke_trust:
        _broke_trust(checkin)
    if numbers_changed:
        evaluate_checkin(checkin)
    return _next(checkin, wants_safety_screen)


def _next(checkin, wants_safety_screen: bool) -> str | None:
    if wants_safety_screen:
        return url_for("flags.screen", context="checkin", checkin_id=checkin.id)
    return None


def _broke_trust(checkin) -> None:
    if open_flag_exists(checkin.partner_id, "broke_trust_answer", checkin.couple_id):
        _note_repeat(checkin)
    else:
        raise_flag(checkin.couple, "broken_trust", "high", BROKEN_TRUST_DESCRIPTION,
                   "client", partner=checkin.partner_id, rule_key="broke_trust_answer",
                   checkin=checkin, actor=checkin.partner)


def _note_repeat(checkin) -> None:
    flag = db.session.scalar(
        select(Flag).where(Flag.couple_id == checkin.couple_id,
                           Flag.partner_id == checkin.partner_id,
                           Flag.rule_key == "broke_trust_answer", Flag.status != "resolved")
        .limit(1)
    )
    add_event(flag, checkin.partner, "reported_again", None, None,
           f"Marked again on a check-in (check-in #{checkin.id}).")
    db.session.flush()
