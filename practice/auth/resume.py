"""A form sent after the session timed out is kept: the person signs in again and saves it.

When a POST arrives on a session that expired on the server (not one that was signed out), the
form's fields wait in the new, anonymous session (which lives on the server, not in the
cookie) and the person is asked to sign in. Once the same person has signed in, a page shows
what they typed with a button that sends it where it was going, under the new session's CSRF
token. Signing in as somebody else, signing out or quick exit drops it unseen.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from . import bp

KEY = "_resume"
SKIPPED_FIELDS = {"csrf_token"}
PASSWORD_AREAS = {"auth", "account"}


def keep_expired_form():
    """After a POST on a timed-out session: keep its fields and ask for a sign-in, else None."""
    expired_user_id = getattr(session, "expired_user_id", None)
    if request.method != "POST" or expired_user_id is None:
        return None
    if (request.endpoint or "auth").split(".")[0] in PASSWORD_AREAS:
        return None  # sign-in and password forms are typed again, never kept
    # SameSite=Lax cookies already keep other sites' forms out; this refuses them outright.
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in SKIPPED_FIELDS]
    session[KEY] = {"user": expired_user_id, "to": request.path, "fields": fields}
    flash("You were signed out after a long pause. Sign in again: what you wrote is kept.",
          "info")
    return redirect(url_for("auth.login"))


def take_waiting_form() -> dict | None:
    """The kept form, removed from the session (called before the session is cleared)."""
    return session.pop(KEY, None)


def resume_after_sign_in(waiting: dict | None, user):
    """Where to go after signing in: the kept form if it is this person's, else None."""
    if not waiting or waiting.get("user") != user.id:
        return None
    session[KEY] = waiting
    return redirect(url_for("auth.resume"))


@bp.route("/resume")
@login_required
def resume():
    waiting = session.pop(KEY, None)
    if not waiting or waiting.get("user") != current_user.id:
        return redirect(url_for("main.home"))
    written = [value for _name, value in waiting["fields"] if " " in value.strip()]
    return render_template("auth/resume.html", action=waiting["to"],
                           fields=waiting["fields"], written=written)
