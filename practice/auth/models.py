"""People: accounts, supervision links and invitations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..modelbase import Timestamps

if TYPE_CHECKING:
    from ..couples.models import Couple

ROLES = ("client", "counselor", "supervisor", "admin")
STAFF_ROLES = ("counselor", "supervisor", "admin")


class User(UserMixin, Timestamps, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    supervised: Mapped[list[User]] = relationship(
        secondary="supervisions",
        primaryjoin="User.id == Supervision.supervisor_id",
        secondaryjoin="User.id == Supervision.counselor_id",
        back_populates="supervisors",
        order_by="User.display_name",
    )
    supervisors: Mapped[list[User]] = relationship(
        secondary="supervisions",
        primaryjoin="User.id == Supervision.counselor_id",
        secondaryjoin="User.id == Supervision.supervisor_id",
        back_populates="supervised",
        order_by="User.display_name",
        viewonly=True,
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return bool(self.active)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_client(self) -> bool:
        return self.role == "client"

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Supervision(db.Model):
    """A supervisor oversees a counselor."""

    __tablename__ = "supervisions"

    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    counselor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Invitation(db.Model):
    """A single-use link through which a client partner sets their password."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    couple: Mapped[Couple] = relationship()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and utcnow() < self.expires_at
