"""Discretion outside the pages: what a client's visit leaves in the browser.

A partner may share the phone. Every page a signed-in client sees carries the same neutral
tab title (the practice's name and one plain word), so the history list and the tab switcher
say nothing of where they were; and a signed-out visit to a client page asks for a password
without a `next` parameter naming that page.
"""

from __future__ import annotations

from flask import Flask, current_app, flash, redirect, request, url_for
from flask_login import current_user

CLIENT_TITLE_WORD = "Account"


def is_client() -> bool:
    from .access import is_client as is_client_account

    return bool(current_user.is_authenticated and is_client_account(current_user))


def page_title(own: str | None) -> str:
    """The tab title: for a client always the practice's name and a neutral word; for everyone
    else the page's own title followed by the practice's name."""
    from .templating import practice_settings

    name = practice_settings().name
    if is_client():
        return f"{name} · {CLIENT_TITLE_WORD}"
    own = (own or "").strip()
    return f"{own} · {name}" if own else name


def is_client_page(endpoint: str | None) -> bool:
    """Whether the endpoint is a page only clients may open (see access.roles_required)."""
    view = current_app.view_functions.get(endpoint or "")
    return "client" in getattr(view, "allowed_roles", ())


def unauthorized():
    """Signed out: ask for a password, naming the page asked for only if it is not a client's."""
    flash(current_app.login_manager.login_message,
          current_app.login_manager.login_message_category)
    if is_client_page(request.endpoint):
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def register(app: Flask) -> None:
    app.login_manager.unauthorized_handler(unauthorized)
    app.jinja_env.globals["page_title"] = page_title
