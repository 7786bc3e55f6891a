"""Appointments (every session with a couple, focused ones carry their flag), calendar feeds and
session notes (one per appointment: a draft, then signed and locked, then dated addenda)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..couples.models import Couple
from ..crypto import EncryptedText
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
    agenda: Mapped[str | None] = mapped_column(EncryptedText)
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


# template -> its sections, in order: (column, heading, what goes there)
TEMPLATES: dict[str, list[tuple[str, str, str]]] = {
    "free": [("body", "Note", "What happened in the session and what comes next.")],
    "dap": [
        ("dap_data", "Data", "What was observed and said in the session."),
        ("assessment", "Assessment", "Your reading of where the couple stands."),
        ("plan", "Plan", "Homework, focus and timing of the next session."),
    ],
    "soap": [
        ("subjective", "Subjective", "What each partner reported, in their terms."),
        ("objective", "Objective", "What you observed; check-in trends and scores."),
        ("assessment", "Assessment", "Your reading of where the couple stands."),
        ("plan", "Plan", "Homework, focus and timing of the next session."),
    ],
}


class SessionNote(Timestamps, db.Model):
    __tablename__ = "session_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    template: Mapped[str] = mapped_column(String(10))
    # Free-text sections: counselor words about the couple, encrypted at rest.
    body: Mapped[str | None] = mapped_column(EncryptedText)
    dap_data: Mapped[str | None] = mapped_column(EncryptedText)
    subjective: Mapped[str | None] = mapped_column(EncryptedText)
    objective: Mapped[str | None] = mapped_column(EncryptedText)
    assessment: Mapped[str | None] = mapped_column(EncryptedText)
    plan: Mapped[str | None] = mapped_column(EncryptedText)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    addenda: Mapped[list[NoteAddendum]] = relationship(
        order_by="NoteAddendum.signed_at", cascade="all, delete-orphan")

    @property
    def sections(self) -> list[tuple[str, str, str, str | None]]:
        """(column, heading, hint, text) of this note's template."""
        return [(col, head, hint, getattr(self, col)) for col, head, hint in
                TEMPLATES[self.template]]

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class NoteAddendum(db.Model):
    """A dated, signed addition to a signed note. Never edited."""

    __tablename__ = "session_note_addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("session_notes.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(EncryptedText)
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
