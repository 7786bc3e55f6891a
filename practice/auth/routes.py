from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..access import is_client, must_use_two_factor
from ..admin.services import get_settings
from ..audit.services import record, record_refusal
from ..client_app.welcome import start_welcome
from ..clock import utcnow
from ..extensions import limiter
from . import bp
from .forms import LoginForm, SecondFactorForm, SetPasswordForm
from .models import User
from .resume import resume_after_sign_in, take_waiting_form
from .services import InvitationUsedError, accept_invitation, invitation_for_token
from .throttle import attempt_sign_in, note_failure, note_success, wait_before_attempt
from .two_factor import is_enrolled, signing_in_user, verify_second_factor

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
        target = None if is_client(user) else safe_next(request.args.get("next"))
        if is_enrolled(user):
            # Half signed in: nothing but the code page knows who this is until a code is right.
            session[PENDING] = {"user": user.id, "at": utcnow().isoformat(), "next": target,
                                "waiting": waiting}
            return redirect(url_for("auth.second_factor"))
        return _finish_sign_in(user, waiting, target)
    return render_template("auth/login.html", form=form)


PENDING = "second_factor_pending"
ENROL_FIRST = "second_factor_enrol_first"
PENDING_MINUTES = 5
CODE_ERROR = "That code did not work. Enter the current code from your app, or a recovery code."


def _finish_sign_in(user: User, waiting, target: str | None):
    login_user(user)
    record("login", actor=user, object_type="user", object_id=user.id)
    if not is_enrolled(user) and must_use_two_factor(user, get_settings().counselors_two_factor):
        session[ENROL_FIRST] = True
        return redirect(url_for("account.two_factor"))
    # A client always lands on their home: no address of a client page is carried along
    # (a form kept over a timeout waits in the server-side session, not in the address).
    return resume_after_sign_in(waiting, user) or redirect(target or url_for("main.home"))


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    try:
        started = datetime.fromisoformat(pending["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if utcnow() - started > timedelta(minutes=PENDING_MINUTES):
        return None
    return signing_in_user(pending.get("user"))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """The second step of sign-in: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash("Sign in again: the code has to follow the password within a few minutes.", "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        wait = wait_before_attempt(user.email)
        if wait is not None:
            record_refusal("second factor throttled", object_type="user", object_id=user.id)
            message = THROTTLED.format(minutes=wait.minutes, s="" if wait.minutes == 1 else "s")
            return render_template("auth/second_factor.html", form=form,
                                   login_error=message), 429
        used = verify_second_factor(user, form.code.data)
        if used is None:
            note_failure(user.email)
            record("second_factor_failed", outcome="refused", object_type="user",
                   object_id=user.id)
            return render_template("auth/second_factor.html", form=form, login_error=CODE_ERROR)
        note_success(user.email)
        pending = session.pop(PENDING)
        session.clear()
        if used == "recovery":
            record("recovery_code_used", actor=user, object_type="user", object_id=user.id)
            flash("You signed in with a recovery code; each works once. Your account page "
                  "says how many are left.", "info")
        return _finish_sign_in(user, pending.get("waiting"), pending.get("next"))
    return render_template("auth/second_factor.html", form=form)


# Pages a signed-in person who must still set up a second factor may reach.
ENROLMENT_OPEN = {"account.two_factor", "account.confirm_two_factor", "auth.logout",
                  "auth.quick_exit", "static"}


@bp.before_app_request
def require_enrolment():
    """Staff for whom a second factor is required, signed in without one, set one up before
    anything else. Decided once at sign-in (ENROL_FIRST in the session), so pages run no
    extra query; an admin's reset ends the person's sessions, so it is decided again."""
    if not session.get(ENROL_FIRST) or request.endpoint in ENROLMENT_OPEN:
        return None
    if not current_user.is_authenticated:
        return None
    if request.method != "GET":
        abort(403)
    return redirect(url_for("account.two_factor"))


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
        if is_client(user):  # a short first-use welcome, shown this once
            start_welcome()
            return redirect(url_for("client_app.welcome", step=1))
        return redirect(url_for("main.home"))
    if request.method == "POST" and not form.errors:
        abort(400)
    return render_template("auth/accept.html", form=form, invitation=invitation)
