"""Couples (cases), their partners and who has held each case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..extensions import db
from ..modelbase import Timestamps

COUPLE_STATUSES = ("active", "paused", "closed")


class Couple(Timestamps, db.Model):
    __tablename__ = "couples"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    counselor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # Homework given to both partners (Assignment.partner_id NULL) paused by the counselor;
    # work for one partner alone continues. Partners see a neutral message, never a reason.
    joint_work_paused: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    screen_interval_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    counselor: Mapped[User] = relationship(foreign_keys=[counselor_id])
    partners: Mapped[list[Partner]] = relationship(
        back_populates="couple", order_by="Partner.slot", cascade="all, delete-orphan"
    )

    @property
    def partner_users(self) -> list[User]:
        return [p.user for p in self.partners]

    def partner_slot(self, user_id: int) -> int | None:
        for p in self.partners:
            if p.user_id == user_id:
                return p.slot
        return None

    def other_partner(self, user_id: int) -> User | None:
        for p in self.partners:
            if p.user_id != user_id:
                return p.user
        return None


class Partner(db.Model):
    """A client account belonging to a couple, as partner 1 or 2."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("couple_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    slot: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    couple: Mapped[Couple] = relationship(back_populates="partners")
    user: Mapped[User] = relationship()


class CaseAssignment(db.Model):
    """Who held a case and when; the open row (ended_at NULL) is the current counselor."""

    __tablename__ = "case_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    counselor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(String(500))

    counselor: Mapped[User] = relationship(foreign_keys=[counselor_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
