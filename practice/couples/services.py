"""Creating couples, adding partners and inviting them."""

from __future__ import annotations

from sqlalchemy import select

from ..auth.models import User
from ..auth.services import create_invitation, create_user
from ..clock import utcnow
from ..extensions import db
from ..mail import notices
from .models import CaseAssignment, Couple, Partner


def create_couple(counselor: User, label: str, timezone: str) -> Couple:
    couple = Couple(label=label.strip(), counselor_id=counselor.id, timezone=timezone)
    db.session.add(couple)
    db.session.flush()
    db.session.add(CaseAssignment(couple_id=couple.id, counselor_id=counselor.id,
                                  assigned_by_id=counselor.id))
    db.session.flush()
    return couple


def add_partner(couple: Couple, email: str, display_name: str, password: str | None = None):
    """Create the client account for a partner and put it in the couple's next free slot."""
    used = {p.slot for p in couple.partners}
    slot = 1 if 1 not in used else 2
    if slot in used:
        raise ValueError("This couple already has two partners.")
    user = create_user(email, display_name, "client", password)
    partner = Partner(couple=couple, user=user, slot=slot)
    db.session.add(partner)
    db.session.flush()
    return user


def invite(couple: Couple, user: User, counselor: User) -> str:
    """A new invitation link (earlier ones stop working), also sent to the partner's address."""
    token = create_invitation(user, couple, counselor)
    notices.invitation(user, token)
    return token


def reassign(couple: Couple, new_counselor: User, actor: User, reason: str | None = None) -> None:
    """Move a case to another counselor; the history keeps who held it and when."""
    now = utcnow()
    current = db.session.scalars(
        select(CaseAssignment).where(
            CaseAssignment.couple_id == couple.id, CaseAssignment.ended_at.is_(None)
        )
    ).all()
    for row in current:
        row.ended_at = now
    old_counselor = couple.counselor
    couple.counselor_id = new_counselor.id
    assignment = CaseAssignment(couple_id=couple.id, counselor_id=new_counselor.id,
                                assigned_by_id=actor.id, started_at=now, reason=reason)
    db.session.add(assignment)
    db.session.flush()
    notices.reassignment(couple, assignment.id, old_counselor, new_counselor, actor, reason)


def case_history(couple: Couple) -> list[CaseAssignment]:
    return db.session.scalars(
        select(CaseAssignment)
        .where(CaseAssignment.couple_id == couple.id)
        .order_by(CaseAssignment.started_at)
    ).all()
