"""Handing a counselor's couples over, and what each counselor is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..access import handovers_of, team_counselors, visible_couples
from ..admin.services import set_active
from ..auth.models import User
from ..clock import utcnow
from ..couples.models import CaseAssignment, Couple
from ..extensions import db
from ..supervision.services import reassign_couple

NOTICE_DAYS = 14  # how long a move shows on both counselors' homes


class HandoverError(ValueError):
    """A handover plan that cannot go ahead; the message says what to fix."""


def open_couples(counselor: User) -> list[Couple]:
    """The couples a counselor holds that are not closed, by label."""
    return list(db.session.scalars(
        visible_couples(counselor).where(Couple.status != "closed").order_by(Couple.label)
    ))


def handover_targets(actor: User, counselor: User) -> list[User]:
    """Active counselors the actor oversees, other than the one leaving."""
    return [c for c in team_counselors(actor) if c.active and c.id != counselor.id]


def plan(couples: list[Couple], targets: list[User], choices: dict[int, int | None],
         all_to: int | None) -> list[tuple[Couple, User]]:
    """(couple, new counselor) for every couple: its own choice, else the "all to" one."""
    by_id = {t.id: t for t in targets}
    moves, missing = [], []
    for couple in couples:
        chosen = by_id.get(choices.get(couple.id) or all_to or 0)
        if chosen is None:
            missing.append(couple.label)
        else:
            moves.append((couple, chosen))
    if missing:
        raise HandoverError("Choose who takes over " + ", ".join(missing)
                            + " (or one counselor for all).")
    return moves


def hand_over(actor: User, counselor: User, moves: list[tuple[Couple, User]],
              reason: str) -> None:
    """Move every couple, then deactivate the counselor."""
    reason = (reason or "").strip()
    if not reason:
        raise HandoverError("Say why the couples move: both counselors read it.")
    for couple, new in moves:
        reassign_couple(actor, couple, new, reason)
    set_active(actor, counselor, False)


@dataclass
class Handover:
    couple_id: int
    label: str
    at: datetime
    other: str  # the other counselor's name
    reason: str | None
    moved_in: bool


def recent_handovers(user: User, days: int = NOTICE_DAYS) -> list[Handover]:
    """Moves to and from `user` in the last `days` days (two queries)."""
    since = utcnow() - timedelta(days=days)
    rows = db.session.execute(handovers_of(user, since)).all()
    if not rows:
        return []
    ids = {row.couple_id for row, _label, _mine in rows}
    other = aliased(CaseAssignment)
    related = db.session.execute(
        select(other, User.display_name).join(User, User.id == other.counselor_id)
        .where(other.couple_id.in_(ids))
    ).all()
    out = []
    for row, label, mine_now in rows:
        if row.ended_at is not None and row.ended_at >= since and not mine_now:
            after = next((r for r, name in related if r.couple_id == row.couple_id
                          and r.started_at == row.ended_at), None)
            name = next((n for r, n in related if r is after), "another counselor")
            out.append(Handover(row.couple_id, label, row.ended_at, name,
                                after.reason if after else None, moved_in=False))
        elif row.started_at >= since and row.ended_at is None:
            before = next((n for r, n in related if r.couple_id == row.couple_id
                           and r.ended_at == row.started_at), "another counselor")
            out.append(Handover(row.couple_id, label, row.started_at, before, row.reason,
                                moved_in=True))
    return sorted(out, key=lambda h: h.at, reverse=True)
