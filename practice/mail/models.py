"""The outbox (one row per message to send) and the practice's mail settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..clock import utcnow
from ..extensions import db
from ..modelbase import Timestamps

MESSAGE_KINDS = {
    "invitation": "Invitation",
    "password_reset": "Password reset",
    "reminder": "Homework reminder",
    "feedback": "New feedback notice",
    "urgent_flag": "Urgent flag alert",
    "digest": "Daily digest",
    "escalation": "Escalated flag notice",
    "reassignment": "Reassignment notice",
}
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """A message waiting to be sent, being sent, sent, or failed after its retries.

    `key` is unique: the same event never queues the same message twice. The bodies are
    cleared once the message is sent, so the table keeps no copy of links or texts.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recipient_role: Mapped[str] = mapped_column(String(20))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str | None] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending",
                                        index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    recipient: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return MESSAGE_KINDS.get(self.kind, self.kind)


class MailSettings(Timestamps, db.Model):
    """What the practice chooses about its mail: one row."""

    __tablename__ = "mail_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The subject of every reminder and notice to a client; empty: "<practice>: a reminder".
    client_subject: Mapped[str] = mapped_column(String(120), default="", server_default="")
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Local hour (practice time zone) at which counselors get their daily digest.
    digest_hour: Mapped[int] = mapped_column(Integer, default=16, server_default="16")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
