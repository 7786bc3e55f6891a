"""Supervision notes: shared between a counselor and their supervisors, never clients."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..crypto import EncryptedText
from ..extensions import db
from ..modelbase import Timestamps


class SupervisionNote(Timestamps, db.Model):
    """A note on a couple (couple_id set) or on a counselor's work in general."""

    __tablename__ = "supervision_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    counselor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    couple_id: Mapped[int | None] = mapped_column(
        ForeignKey("couples.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(EncryptedText)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
