"""When a flag is escalated: urgent or high, not yet acknowledged, older than its window.

The windows are practice settings (urgent_ack_hours, high_ack_hours). Escalation is computed
from the clock, never stored, so it appears and clears by itself. A flag that was acknowledged
once and later reopened by its counselor is not waiting for acknowledgement: it does not
escalate again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_

from ..clock import utcnow
from .models import Flag


def escalation_cutoffs(settings, now: datetime | None = None) -> dict[str, datetime]:
    now = now or utcnow()
    return {
        "urgent": now - timedelta(hours=settings.urgent_ack_hours),
        "high": now - timedelta(hours=settings.high_ack_hours),
    }


def escalated_clause(settings, now: datetime | None = None):
    """A SQL condition on Flag: true for flags escalated right now."""
    cutoffs = escalation_cutoffs(settings, now)
    return and_(
        Flag.status == "open",
        Flag.acknowledged_at.is_(None),
        or_(
            and_(Flag.severity == "urgent", Flag.created_at <= cutoffs["urgent"]),
            and_(Flag.severity == "high", Flag.created_at <= cutoffs["high"]),
        ),
    )


def is_escalated(flag: Flag, settings, now: datetime | None = None) -> bool:
    if flag.status != "open" or flag.acknowledged_at is not None:
        return False
    if flag.severity not in ("urgent", "high"):
        return False
    return flag.created_at <= escalation_cutoffs(settings, now)[flag.severity]
