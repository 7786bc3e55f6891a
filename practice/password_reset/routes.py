from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..auth.forms import SetPasswordForm
from ..extensions import limiter
from . import bp
from .forms import ForgotForm
from .services import RESET_MINUTES, complete_reset, request_reset, reset_for_token


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        request_reset(form.email.data)
        # The same page whether or not the address has an account.
        return render_template("password_reset/sent.html", minutes=RESET_MINUTES)
    return render_template("password_reset/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def reset(token: str):
    found = reset_for_token(token)
    if found is None:
        return render_template("password_reset/invalid.html", minutes=RESET_MINUTES), 404
    if current_user.is_authenticated:
        logout_user()
        session.clear()
    form = SetPasswordForm()
    form.account_email = found.user.email  # the password policy refuses one built from it
    form.submit.label.text = "Save my new password"
    if form.validate_on_submit():
        if not complete_reset(found, form.password.data):
            return render_template("password_reset/invalid.html", minutes=RESET_MINUTES), 404
        flash("Your password is changed. Sign in with it now.", "success")
        return redirect(url_for("auth.login"))
    if request.method == "POST" and not form.errors:
        abort(400)
    return render_template("password_reset/reset.html", form=form, email=found.user.email)
