"""Practice settings and staff administration."""

from __future__ import annotations

from sqlalchemy import select

from ..audit.services import record
from ..auth.models import User
from ..auth.sessions import end_sessions
from ..extensions import db
from .models import PracticeSettings


def get_settings() -> PracticeSettings:
    """The practice's settings row, created with defaults on first use."""
    settings = db.session.scalar(select(PracticeSettings).order_by(PracticeSettings.id).limit(1))
    if settings is None:
        settings = PracticeSettings(name="Bridgework Practice", default_timezone="UTC")
        db.session.add(settings)
        db.session.flush()
    return settings


def set_active(actor: User, user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user)
    record("staff_activated" if active else "staff_deactivated", obj=user, actor=actor)
    db.session.flush()
