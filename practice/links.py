"""Links that leave the app (invitations, calendar files, e-mail) start at PUBLIC_BASE_URL.

They are built the same way in a request and in the worker, and never from the Host header of
whatever request is being answered.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """The full address of a page on the app's public address (PUBLIC_BASE_URL: required in
    production, a local default in development and tests)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise RuntimeError("PUBLIC_BASE_URL is not set: links sent outside the app need the "
                           "app's address.")
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path.rstrip("/") or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
