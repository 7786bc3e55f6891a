"""Flagged situations, the private safety screen and focused sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..appointments.models import Appointment
from ..auth.models import User
from ..clock import utcnow
from ..couples.models import Couple
from ..crypto import EncryptedText
from ..extensions import db
from ..modelbase import Timestamps

SEVERITIES = ("low", "moderate", "high", "urgent")
FLAG_SOURCES = ("counselor", "client", "rule")
FLAG_STATUSES = ("open", "acknowledged", "session_scheduled", "resolved")


class Flag(Timestamps, db.Model):
    """A situation on a couple that needs attention, possibly about one partner.

    Visible only to the couple's counselor, that counselor's supervisors and admins.
    """

    __tablename__ = "flags"
    # Open-flag counts per couple for a whole team or practice.
    __table_args__ = (Index("ix_flags_status_couple_id", "status", "couple_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    rule_key: Mapped[str | None] = mapped_column(String(40))  # which rule raised it
    status: Mapped[str] = mapped_column(String(30), default="open", server_default="open")
    resolution_note: Mapped[str | None] = mapped_column(Text)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))
    screen_id: Mapped[int | None] = mapped_column(
        ForeignKey("safety_screens.id", ondelete="SET NULL")
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    supervision_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    couple: Mapped[Couple] = relationship()
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    screen: Mapped[SafetyScreen | None] = relationship(foreign_keys=[screen_id])


class FlagEvent(db.Model):
    """History of a flag: who changed what, when (status changes, notes, supervision review)."""

    __tablename__ = "flag_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class SafetyScreen(db.Model):
    """One partner's private safety screen. Answers are seen only by the clinical team."""

    __tablename__ = "safety_screens"

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    context: Mapped[str] = mapped_column(String(20))  # first_login / scheduled / checkin
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20))  # deferred / completed
    answers: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(EncryptedText)
    indicates_harm: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    partner: Mapped[User] = relationship(foreign_keys=[partner_id])


# A focused session is an appointment scheduled from a flag (practice/appointments/).
FocusedSession = Appointment


class FormToken(db.Model):
    """A one-time token issued with a form and consumed on its first successful submit."""

    __tablename__ = "form_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
