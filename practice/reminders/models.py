from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db

DEFAULT_TIME = time(18, 0)


class ReminderSettings(db.Model):
    """One client's choices about e-mail: reminders (off by default), their local time and
    quiet days, and notices of new feedback (off by default)."""

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    remind_at: Mapped[time] = mapped_column(Time, default=DEFAULT_TIME)
    quiet_days: Mapped[str] = mapped_column(String(20), default="", server_default="")
    feedback_notices: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # When the client answered the first-login question about reminders (either way).
    prompt_answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def quiet_weekdays(self) -> set[int]:
        return {int(d) for d in self.quiet_days.split(",") if d.strip().isdigit()}
