"""Links that leave the app (invitations, calendar files, e-mail) start at PUBLIC_BASE_URL."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The full address of a page, from PUBLIC_BASE_URL (required in production) rather than
    from the Host header of whatever request is being answered."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
