"""An open harm flag holds the couple's shared homework.

- Raising (or reopening) a harm flag, from the private screen, a check-in or by hand, pauses
  the couple's shared homework at once: the same switch as the counselor's manual pause, so
  both partners see the same neutral message and nothing that tells them why. Work given to
  one partner alone goes on.
- While a harm flag is open, giving shared work (new, or changed from one partner to both)
  needs a recorded reason why it is safe, as a joint session does.
- Resolving the last open harm flag asks whether shared homework resumes; the answer is the
  counselor's, never automatic.
"""

from __future__ import annotations

from sqlalchemy import select

from ..audit.services import record
from ..exercises.assignments import set_joint_work_paused
from ..extensions import db
from .models import Flag

HELD = "held"  # shared homework is paused while a harm flag is open
RESUMED_BY_HAND = "resumed"  # the counselor resumed it although a harm flag is open
REASON_REQUIRED = (
    "A harm flag is open for this couple, so shared homework is on hold. To give work to both "
    "partners anyway, record why it is safe to do so, or give it to one partner."
)


def open_harm_flag(couple_id: int, *, other_than: int | None = None) -> bool:
    """Whether the couple has a harm flag that is not resolved (besides `other_than`)."""
    query = select(Flag.id).where(Flag.couple_id == couple_id, Flag.category == "harm",
                                  Flag.status != "resolved")
    if other_than is not None:
        query = query.where(Flag.id != other_than)
    return db.session.scalar(query.limit(1)) is not None


def hold_shared_work(flag: Flag, actor) -> None:
    """Called whenever a flag is raised or reopened: a harm flag pauses shared homework."""
    if flag.category != "harm" or flag.status == "resolved":
        return
    couple = flag.couple
    if couple.joint_work_paused:
        return
    set_joint_work_paused(couple, True, actor)
    from .services import add_event  # services calls this module when a flag is raised

    add_event(flag, actor, "shared_work_paused", None, None,
              "Shared homework paused while this harm flag is open.")
    db.session.flush()


def shared_work_state(flag: Flag) -> str | None:
    """What the flag page says about shared homework: None for other flags or when resolved."""
    if flag.category != "harm" or flag.status == "resolved":
        return None
    return HELD if flag.couple.joint_work_paused else RESUMED_BY_HAND


def may_offer_resume(flag: Flag) -> bool:
    """Resolving this flag asks whether to resume: it is a harm flag, shared homework is
    paused, and no other harm flag of the couple is still open."""
    return (flag.category == "harm" and flag.status != "resolved"
            and flag.couple.joint_work_paused
            and not open_harm_flag(flag.couple_id, other_than=flag.id))


def resume_after_resolving(flag: Flag, actor, resume: bool) -> bool:
    """The counselor's answer on resolving: resume shared homework or keep it paused.
    Returns whether it resumed (never while another harm flag is open)."""
    if not resume or flag.status != "resolved" or not flag.couple.joint_work_paused:
        return False
    if flag.category != "harm" or open_harm_flag(flag.couple_id):
        return False
    set_joint_work_paused(flag.couple, False, actor)
    from .services import add_event

    add_event(flag, actor, "shared_work_resumed", None, None,
              "Shared homework resumed on resolving this flag.")
    db.session.flush()
    return True


def check_shared_work_reason(couple_id: int, partner_id: int | None, reason: str | None,
                             was_shared: bool = False) -> str | None:
    """The reason to record for giving shared work while a harm flag is open, or None when
    none is needed. Raises ValueError(REASON_REQUIRED) when one is needed and missing."""
    if partner_id is not None or was_shared or not open_harm_flag(couple_id):
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(REASON_REQUIRED)
    return reason


def record_shared_work_reason(assignment, actor, reason: str) -> None:
    from ..exercises.models import AssignmentEvent

    db.session.add(AssignmentEvent(assignment_id=assignment.id, actor_id=actor.id,
                                   action="shared_despite_harm", detail=reason[:500]))
    record("shared_work_despite_harm", obj=assignment, actor=actor)
    db.session.flush()
