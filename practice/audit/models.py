"""The audit log: append-only for the application."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..clock import utcnow
from ..extensions import db


class AuditEntry(db.Model):
    """One audited event. Never holds a client's words: only ids, names of actions, outcomes.

    Append-only three times over: the ORM events below, and database triggers
    (practice/audit/triggers.py, added by a migration) for anything that bypasses the ORM."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # No ON DELETE: an entry keeps who acted (id and email) for as long as it exists.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_email: Mapped[str | None] = mapped_column(String(254))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    couple_id: Mapped[int | None] = mapped_column(Integer, index=True)
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    ip: Mapped[str | None] = mapped_column(String(45))
    path: Mapped[str | None] = mapped_column(String(300))
    # Staff-side facts only (a status change, a filter used); never text a client wrote.
    detail: Mapped[str | None] = mapped_column(String(300))


class AuditLogIsAppendOnlyError(RuntimeError):
    """The application never changes or removes an audit entry."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AuditLogIsAppendOnlyError("Audit entries cannot be changed or deleted.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state):
    """Bulk `update(AuditEntry)` / `delete(AuditEntry)` through the ORM are refused too."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEntry for mapper in state.all_mappers
    ):
        raise AuditLogIsAppendOnlyError("Audit entries cannot be changed or deleted.")
