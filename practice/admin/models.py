"""The practice's own settings: one row."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..modelbase import Timestamps


def _counselor_two_factor_default() -> bool:
    return bool(current_app.config["TWO_FACTOR_DEFAULT"])


class PracticeSettings(Timestamps, db.Model):
    __tablename__ = "practice_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="Bridgework Practice")
    default_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    checkin_expiry_days: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    urgent_ack_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    high_ack_hours: Mapped[int] = mapped_column(Integer, default=72, server_default="72")
    emergency_number: Mapped[str] = mapped_column(String(40), default="911", server_default="911")
    hotline_name: Mapped[str] = mapped_column(
        String(200),
        default="National Domestic Violence Hotline",
        server_default="National Domestic Violence Hotline",
    )
    hotline_phone: Mapped[str] = mapped_column(
        String(60), default="1-800-799-7233", server_default="1-800-799-7233"
    )
    contact_text: Mapped[str] = mapped_column(
        String(500),
        default="Call the practice front desk during office hours.",
        server_default="Call the practice front desk during office hours.",
    )
    # Shown tap-to-call to clients (contact card, safety page); empty: not shown.
    practice_phone: Mapped[str] = mapped_column(String(60), default="", server_default="")
    crisis_line_text: Mapped[str] = mapped_column(String(200), default="", server_default="")
    crisis_line_phone: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # The installed app's name and icon on a client's phone: neutral by default.
    app_name: Mapped[str] = mapped_column(String(30), default="Notes", server_default="Notes")
    app_icon: Mapped[str] = mapped_column(String(20), default="leaf", server_default="leaf")
    # The template of new session notes: free text, DAP or SOAP (appointments/notes.py).
    note_template: Mapped[str] = mapped_column(String(10), default="free", server_default="free")
    # Counselors must sign in with a second factor (admins and supervisors always must where
    # TWO_FACTOR_REQUIRED is on, as in production). Default from TWO_FACTOR_DEFAULT.
    counselors_two_factor: Mapped[bool] = mapped_column(
        Boolean, default=_counselor_two_factor_default, server_default="1")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
