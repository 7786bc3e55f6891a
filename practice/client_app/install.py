"""What makes the app installable on a client's phone: a manifest with the practice's neutral
name and icon, a service worker that keeps static files only, and an offline page."""

from __future__ import annotations

from flask import url_for

THEME_COLOR = "#2f5d62"
BACKGROUND_COLOR = "#f6f4f0"


def manifest(settings) -> dict:
    """The web app manifest: nothing in it names the practice's work."""
    icon = settings.app_icon or "leaf"
    return {
        "name": settings.app_name,
        "short_name": settings.app_name,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": url_for("static", filename=f"icons/{icon}-192.png"), "sizes": "192x192",
             "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename=f"icons/{icon}-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "any"},
            {"src": url_for("static", filename=f"icons/{icon}.svg"), "sizes": "any",
             "type": "image/svg+xml", "purpose": "any"},
        ],
    }
