"""Rendering messages: a plain-text part and a simple HTML part from templates/mail/.

Links point at PUBLIC_BASE_URL, never at the host a request came in on, and are built the
same way in a request and in the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from sqlalchemy import select

from ..admin.services import get_settings
from ..extensions import db
from .models import MailSettings


def mail_settings() -> MailSettings:
    """The practice's mail settings row, created with defaults on first use."""
    settings = db.session.scalar(select(MailSettings).order_by(MailSettings.id).limit(1))
    if settings is None:
        settings = MailSettings()
        db.session.add(settings)
        db.session.flush()
    return settings


def client_subject() -> str:
    """The neutral subject of reminders and notices to clients (the practice may set it)."""
    return mail_settings().client_subject.strip() or f"{get_settings().name}: a reminder"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render_message(template: str, subject: str, **context) -> Rendered:
    """Render templates/mail/<template>.txt and .html with the practice's name at hand."""
    context.setdefault("practice_name", get_settings().name)
    context["subject"] = subject
    return Rendered(
        subject=subject,
        text=render_template(f"mail/{template}.txt", **context),
        html=render_template(f"mail/{template}.html", **context),
    )
