from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..audit.services import record, record_refusal
from ..extensions import limiter
from . import bp
from .forms import LoginForm, SetPasswordForm
from .resume import resume_after_sign_in, take_waiting_form
from .services import InvitationUsedError, accept_invitation, invitation_for_token
from .throttle import attempt_sign_in

LOGIN_ERROR = "That email and password do not match an active account."
THROTTLED = ("There have been too many unsuccessful attempts to sign in to this account. "
             "For its safety, wait {minutes} minute{s} and try again.")


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign-in; throttled per account and per address by auth/throttle.py, not per address
    alone, so other people's failures from a shared address never refuse a right password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        attempt = attempt_sign_in(form.email.data, form.password.data)
        user = attempt.user
        if attempt.wait is not None:
            record_refusal("sign-in throttled", object_type="user", object_id=attempt.target_id)
            message = THROTTLED.format(minutes=attempt.wait.minutes,
                                       s="" if attempt.wait.minutes == 1 else "s")
            return render_template("auth/login.html", form=form, login_error=message), 429
        if user is None:
            record("login_failed", outcome="refused", object_type="user",
                   object_id=attempt.target_id)
            return render_template("auth/login.html", form=form,
                                   login_error=LOGIN_ERROR + " Check both and try again.")
        waiting = take_waiting_form()
        session.clear()
        login_user(user)
        record("login", actor=user, object_type="user", object_id=user.id)
        return (resume_after_sign_in(waiting, user)
                or redirect(safe_next(request.args.get("next")) or url_for("main.home")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        record("logout", object_type="user", object_id=current_user.id)
        logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/exit")
def quick_exit():
    """Quick exit: end the session and leave for the neutral site.

    The page's script replaces the current history entry with this URL, so Back skips the
    client's page; ending the session makes Back to any earlier page (the sign-in page would
    send a signed-in person home) ask for a password instead. A plain GET link, so it works
    without JavaScript too; being signed out by a link is harmless.
    """
    if current_user.is_authenticated:
        record("logout", object_type="user", object_id=current_user.id, detail="quick exit")
        logout_user()
    session.clear()
    return redirect(current_app.config["QUICK_EXIT_URL"])


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept(token: str):
    invitation = invitation_for_token(token)
    if invitation is None:
        return render_template("auth/invite_invalid.html"), 404
    if current_user.is_authenticated:
        logout_user()
        session.clear()
    form = SetPasswordForm()
    form.account_email = invitation.user.email
    if form.validate_on_submit():
        try:
            user = accept_invitation(invitation, form.password.data)
        except InvitationUsedError:
            return render_template("auth/invite_invalid.html"), 404
        record("invitation_accepted", actor=user, object_type="user", object_id=user.id,
               couple_id=invitation.couple_id)
        login_user(user)
        flash("Welcome to Bridgework. Your password is set.", "success")
        return redirect(url_for("main.home"))
    if request.method == "POST" and not form.errors:
        abort(400)
    return render_template("auth/accept.html", form=form, invitation=invitation)
