"""Staff notices the worker looks for on a timer: escalated flags and daily digests.

Both are safe to run as often as wanted, on several workers: the outbox keys make an
escalation notice go once per flag and supervisor, and a digest once per counselor and day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import counselor_accounts, escalation_recipients
from ..admin.services import get_settings
from ..auth.models import User
from ..clock import to_local, utcnow
from ..couples.models import Couple
from ..extensions import db
from ..flags.escalation import escalated_clause
from ..flags.models import Flag
from . import notices
from .messages import mail_settings


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
    recipients = escalation_recipients(flag.couple.counselor_id for flag in flags)
    queued = 0
    for flag in flags:
        for person in recipients[flag.couple.counselor_id]:
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
    counselors = db.session.scalars(counselor_accounts().where(User.active.is_(True))).all()
    for row in caseload_summary(None, practice, now, counselors=counselors):
        counts = {"flags": sum(row.open_flags.values()), "checkins": row.unreviewed,
                  "quiet": row.quiet_couples}
        if row.counselor.active and any(counts.values()):
            queued += notices.digest(row.counselor, local.date(), counts)
    return queued
