"""The exercise library and exercises assigned to couples."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..couples.models import Couple
from ..extensions import db
from ..modelbase import Timestamps

CADENCES = ("once", "daily", "weekdays", "weekly", "biweekly")
EXERCISE_KINDS = ("exercise", "signs")
ASSIGNMENT_STATUSES = ("active", "paused", "ended")


class Exercise(Timestamps, db.Model):
    """A built-in step of the guide, or a counselor's own exercise."""

    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(String(80), unique=True)  # built-ins only
    kind: Mapped[str] = mapped_column(String(20), default="exercise", server_default="exercise")
    title: Mapped[str] = mapped_column(String(160))
    purpose: Mapped[str] = mapped_column(String(500))
    instructions: Mapped[str] = mapped_column(Text)
    suggested_cadence: Mapped[str] = mapped_column(String(20), default="weekly")
    situations: Mapped[list[str]] = mapped_column(JSON, default=list)
    reveal_together: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("exercises.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])


class Assignment(Timestamps, db.Model):
    """An exercise given to a couple (both partners) or to one partner, on a cadence.

    An edit that changes the schedule ends this row the day before the change takes effect and
    continues in a new row (`previous_id`), so occurrences already due keep their rule.
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: both partners
    cadence: Mapped[str] = mapped_column(String(20))
    weekdays: Mapped[str | None] = mapped_column(String(20))  # "0,2,4" with Monday = 0
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    occurrence_limit: Mapped[int | None] = mapped_column(Integer)
    instructions: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    couple: Mapped[Couple] = relationship()
    exercise: Mapped[Exercise] = relationship()
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])


class AssignmentEvent(db.Model):
    """History of an assignment: who created, paused, resumed, edited or ended it."""

    __tablename__ = "assignment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
