"""A review flow that keeps its place: the list's filter travels with every action, and the
next unreviewed check-in of the couple is one click away."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from ..couples.models import Couple
from ..exercises.models import Assignment
from ..extensions import db
from .models import CheckIn
from .services import couple_checkins_select, mark_reviewed

LIST_ORDER = (CheckIn.due_date.desc(), CheckIn.id.desc())
FILTER_KEYS = ("assignment", "partner", "unreviewed", "page")


@dataclass(frozen=True)
class ReviewFilter:
    """What the check-in list shows: one exercise, one partner, only those waiting, a page."""

    assignment: Assignment | None = None
    partner: int | None = None
    unreviewed: bool = False
    page: int | None = None

    @classmethod
    def read(cls, values: Mapping, assignments: list[Assignment],
             partner_ids) -> ReviewFilter:
        """From query arguments or a form's hidden fields; unknown values are dropped."""

        def number(key):
            try:
                return int(values.get(key) or "")
            except ValueError:
                return None

        chosen = number("assignment")
        partner = number("partner")
        page = number("page")
        return cls(
            assignment=next((a for a in assignments if a.id == chosen), None),
            partner=partner if partner in partner_ids else None,
            unreviewed=bool(values.get("unreviewed")),
            page=page if page and page > 1 else None,
        )

    def args(self, *, page: bool = True) -> dict:
        """The filter as URL arguments (empty ones left out)."""
        out = {"assignment": self.assignment.id if self.assignment else None,
               "partner": self.partner, "unreviewed": 1 if self.unreviewed else None,
               "page": self.page if page else None}
        return {key: value for key, value in out.items() if value is not None}

    def query(self, couple: Couple, assignments: list[Assignment], *,
              unreviewed_only: bool | None = None):
        return couple_checkins_select(
            couple, assignments, chosen=self.assignment, partner_id=self.partner,
            unreviewed_only=self.unreviewed if unreviewed_only is None else unreviewed_only)


def next_unreviewed(couple: Couple, assignments: list[Assignment],
                    where: ReviewFilter) -> CheckIn | None:
    """The first check-in still waiting for review, in the list's order, within the filter."""
    return db.session.scalars(
        where.query(couple, assignments, unreviewed_only=True).order_by(*LIST_ORDER).limit(1)
    ).first()


def waiting_count(couple: Couple, assignments: list[Assignment], where: ReviewFilter) -> int:
    from sqlalchemy import func

    query = where.query(couple, assignments, unreviewed_only=True).subquery()
    return db.session.scalar(select(func.count()).select_from(query))


def unreviewed_among(couple: Couple, ids: list[int]) -> list[CheckIn]:
    """The check-ins of `couple` with these ids that still wait for review (others ignored)."""
    if not ids:
        return []
    return list(db.session.scalars(
        select(CheckIn).where(CheckIn.couple_id == couple.id, CheckIn.id.in_(ids),
                              CheckIn.reviewed_at.is_(None)).order_by(*LIST_ORDER)
    ))


def mark_all_reviewed(checkins: list[CheckIn], user) -> int:
    for checkin in checkins:
        mark_reviewed(checkin, user)
    return len(checkins)
