"""Staff notices the worker looks for on a timer: escalated flags and daily digests.

Both are safe to run as often as wanted, on several workers: the outbox keys make an
escalation notice go once per flag and supervisor, and a digest once per counselor and day.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..admin.services import get_settings
from ..auth.models import Supervision, User
from ..clock import to_local, utcnow
from ..couples.models import Couple
from ..extensions import db
from ..flags.escalation import escalated_clause
from ..flags.models import Flag
from . import notices
from .messages import mail_settings

# The supervision summaries take the viewer's scope; an admin's scope is every counselor.
WHOLE_PRACTICE = SimpleNamespace(role="admin", id=None)


def send_escalation_notices(now: datetime | None = None) -> int:
    """Tell each supervisor of the flag's counselor (admins, if nobody supervises them)."""
    now = now or utcnow()
    flags = db.session.scalars(
        select(Flag).join(Couple, Couple.id == Flag.couple_id)
        .options(joinedload(Flag.couple))
        .where(escalated_clause(get_settings(), now), Couple.status != "closed")
    ).all()
    if not flags:
        return 0
    counselor_ids = {flag.couple.counselor_id for flag in flags}
    supervisors: dict[int, list[User]] = {}
    for counselor_id, supervisor in db.session.execute(
        select(Supervision.counselor_id, User)
        .join(User, User.id == Supervision.supervisor_id)
        .where(Supervision.counselor_id.in_(counselor_ids), User.active.is_(True))
    ):
        supervisors.setdefault(counselor_id, []).append(supervisor)
    admins = db.session.scalars(
        select(User).where(User.role == "admin", User.active.is_(True))
    ).all()
    queued = 0
    for flag in flags:
        for person in supervisors.get(flag.couple.counselor_id) or admins:
            queued += notices.escalation(flag, person)
    return queued


def send_digests(now: datetime | None = None) -> int:
    """From the practice's digest hour on, each counselor with something waiting gets one."""
    from ..supervision.services import caseload_summary

    now = now or utcnow()
    settings = mail_settings()
    practice = get_settings()
    local = to_local(now, practice.default_timezone)
    if not settings.digest_enabled or local.hour < settings.digest_hour:
        return 0
    queued = 0
    for row in caseload_summary(WHOLE_PRACTICE, practice, now):
        counts = {"flags": sum(row.open_flags.values()), "checkins": row.unreviewed,
                  "quiet": row.quiet_couples}
        if row.counselor.active and any(counts.values()):
            queued += notices.digest(row.counselor, local.date(), counts)
    return queued
