"""Homework check-ins, counselor feedback and private case notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..couples.models import Couple
from ..crypto import EncryptedText
from ..exercises.models import Assignment
from ..extensions import db
from ..modelbase import Timestamps

OUTCOMES = ("done", "partly", "not_this_time")


class CheckIn(Timestamps, db.Model):
    """One partner's answer to one occurrence (due day) of an assignment."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("assignment_id", "partner_id", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    # One-time token from the form: a resubmitted form cannot create a second check-in.
    submit_token: Mapped[str] = mapped_column(String(64), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))
    closeness: Mapped[int | None] = mapped_column(Integer)
    reflection: Mapped[str | None] = mapped_column(EncryptedText)  # for the counselor
    share_with_partner: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    private_note: Mapped[str | None] = mapped_column(EncryptedText)  # counselor only, always
    broke_trust: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    signs_answers: Mapped[dict | None] = mapped_column(JSON)  # signs self-check: key -> 0..2
    signs_score: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    feedback: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime)
    feedback_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    assignment: Mapped[Assignment] = relationship()
    couple: Mapped[Couple] = relationship()
    partner: Mapped[User] = relationship(foreign_keys=[partner_id])


class CaseNote(Timestamps, db.Model):
    """A counselor's private, dated note on a couple. Never shown to clients."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note_date: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(EncryptedText)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    author: Mapped[User | None] = relationship()
