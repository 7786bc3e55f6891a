"""Homework check-ins, counselor feedback and private case notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
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
    __table_args__ = (
        UniqueConstraint("assignment_id", "partner_id", "due_date"),
        # "Waiting for review" counts, without reading every reviewed check-in.
        Index("ix_checkins_unreviewed", "couple_id", sqlite_where=text("reviewed_at IS NULL"),
              postgresql_where=text("reviewed_at IS NULL")),
        # Engagement: each partner's last check-in, and the days answered in a window.
        Index("ix_checkins_couple_partner_submitted", "couple_id", "partner_id", "submitted_at"),
        Index("ix_checkins_couple_due", "couple_id", "due_date"),
    )

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
    feedback_seen_at: Mapped[datetime | None] = mapped_column(DateTime)  # opened by its author
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


class FeedbackReply(db.Model):
    """A client's reply to their counselor's feedback on one of their check-ins.

    Read by the couple's counselor (and staff in scope) only, never by the other partner.
    Unread replies put the check-in back among those waiting for review.
    """

    __tablename__ = "feedback_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class EngagementSummary(db.Model):
    """A couple's engagement numbers (checkins/engagement.py) as of its local day `as_of`.

    Recomputed in the same transaction as any change to the couple's check-ins, assignments,
    partners or status, and again once its day is over (`valid_until`, UTC). Rebuilt from
    scratch by `flask --app practice refresh-engagement --all`.
    """

    __tablename__ = "engagement_summaries"

    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), primary_key=True
    )
    as_of: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[datetime] = mapped_column(DateTime, index=True)
    done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    due: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quiet_partner_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    quiet_partners: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_checkin_at: Mapped[datetime | None] = mapped_column(DateTime)
