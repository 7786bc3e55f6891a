"""Appointments (every session with a couple, focused ones carry their flag) and calendar feeds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..couples.models import Couple
from ..extensions import db
from ..modelbase import Timestamps

MODES = ("joint", "individual")
# scheduled until the counselor records what happened
APPOINTMENT_STATUSES = ("scheduled", "attended", "cancelled", "no_show")
STATUS_LABELS = {
    "scheduled": "Scheduled",
    "attended": "Attended",
    "cancelled": "Cancelled",
    "no_show": "Did not come",
}


class Appointment(Timestamps, db.Model):
    """A session with the couple, or with one partner. A focused session is an appointment
    scheduled from a flag (`flag_id` set)."""

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    flag_id: Mapped[int | None] = mapped_column(
        ForeignKey("flags.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC
    duration_minutes: Mapped[int] = mapped_column(Integer, default=50)
    mode: Mapped[str] = mapped_column(String(20))  # individual / joint
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # individual: with whom
    agenda: Mapped[str | None] = mapped_column(Text)
    joint_safety_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="scheduled", server_default="scheduled")
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    couple: Mapped[Couple] = relationship()
    flag = relationship("Flag")
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])

    @property
    def is_focused(self) -> bool:
        return self.flag_id is not None


class CalendarFeed(db.Model):
    """A counselor's secret calendar address. Only a hash of the token is kept; revoking it
    sets `revoked_at`, and a new address replaces the old one."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    counselor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_fetched_at: Mapped[datetime | None] = mapped_column(DateTime)

    counselor: Mapped[User] = relationship()
