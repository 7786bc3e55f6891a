"""Demo flags: a few situations in the demo practice, so counselors and supervisors have
something to work with. Written through the services, with times moved into the past."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from ..clock import local_today, utcnow
from ..couples.models import Couple
from ..extensions import db
from ..flags.models import FlagEvent
from ..flags.services import change_status, complete_screen, raise_flag, schedule_session


def _couple(label: str) -> Couple | None:
    return db.session.scalar(select(Couple).where(Couple.label == label))


def seed_flag_demo(staff: dict) -> None:
    counselor = staff["counselor@example.org"]
    okafor = _couple("Okafor & Lind")
    if okafor is not None:
        erik = okafor.partners[1].user
        flag = raise_flag(okafor, "broken_trust", "high",
                          "Erik spoke about money kept from Ngozi; both want to work on it.",
                          "counselor", partner=erik, actor=counselor)
        change_status(flag, "acknowledged", counselor)

        schedule_session(flag, counselor, day=local_today(okafor.timezone) + timedelta(days=6),
                         start=time(17, 30), duration_minutes=60, mode="joint", partner_id=None,
                         agenda="Agree what rebuilding trust looks like week to week.",
                         joint_safety_reason=None)
    patel = _couple("Patel & Moreau")
    if patel is not None:
        priya = patel.partners[0].user
        screen, flag = complete_screen(
            priya, patel, {"afraid": "yes", "threatened": "no", "controlled": "yes",
                           "hurt": "prefer_not_to_say"},
            None, "first_login")
        past = utcnow() - timedelta(hours=30)  # past the 24-hour window: escalated
        screen.created_at = past
        flag.created_at = past
        db.session.flush()
        for event in db.session.scalars(select(FlagEvent).where(FlagEvent.flag_id == flag.id)):
            event.at = past  # the history starts when the flag was raised
    haddad = _couple("Haddad & Novak")
    if haddad is not None:
        raise_flag(haddad, "external_stressors", "low",
                   "Omar's new shift pattern leaves them little time together.", "counselor",
                   actor=counselor)
    db.session.flush()
