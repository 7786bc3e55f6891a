"""Each person's own account: their password, and where they are signed in."""

import re

from flask import abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..access import must_use_two_factor
from ..admin.services import get_settings
from ..audit.services import record
from ..auth.forms import ChangePasswordForm, SecondFactorForm
from ..auth.routes import ENROL_FIRST
from ..auth.services import check_password, set_password
from ..auth.sessions import (
    current_handle,
    describe_device,
    end_session,
    end_sessions,
    rotate_session,
    sessions_of,
)
from ..auth.two_factor import (
    confirm_enrolment,
    is_enrolled,
    pending_secret,
    provisioning_uri,
    qr_svg,
    recovery_codes_left,
)
from . import bp

HANDLE = re.compile(r"[0-9a-f]{64}")


@bp.route("/")
@login_required
def index():
    return render_template(
        "account/index.html",
        sessions=sessions_of(current_user),
        current=current_handle(),
        describe_device=describe_device,
        form=FlaskForm(),
        two_factor_on=is_enrolled(current_user),
        recovery_left=recovery_codes_left(current_user),
    )


@bp.route("/two-factor")
@login_required
def two_factor():
    """Set up a second factor: scan the QR code (or type the secret), then confirm a code."""
    if is_enrolled(current_user):
        return redirect(url_for("account.index"))
    return _enrolment_page(SecondFactorForm())


def _enrolment_page(form):
    secret = pending_secret(current_user)
    required = must_use_two_factor(current_user, get_settings().counselors_two_factor)
    return render_template("account/two_factor.html", form=form, secret=secret,
                           qr=qr_svg(provisioning_uri(current_user, secret)), required=required)


@bp.route("/two-factor", methods=["POST"])
@login_required
def confirm_two_factor():
    if is_enrolled(current_user):
        return redirect(url_for("account.index"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        codes = confirm_enrolment(current_user, form.code.data)
        if codes is not None:
            record("two_factor_enrolled", object_type="user", object_id=current_user.id)
            session.pop(ENROL_FIRST, None)
            return render_template("account/recovery_codes.html", codes=codes)
        form.code.errors.append("That code did not match. Enter the code your app shows now "
                                "(it changes every 30 seconds).")
    return _enrolment_page(form)


@bp.route("/sessions/<handle>/end", methods=["POST"])
@login_required
def end_one_session(handle: str):
    if not HANDLE.fullmatch(handle):
        abort(404)
    if FlaskForm().validate_on_submit():
        if not end_session(current_user, handle):
            abort(404)
        record("session_ended", object_type="user", object_id=current_user.id)
        flash("That session is ended: the device there has to sign in again.", "success")
    return redirect(url_for("account.index"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if FlaskForm().validate_on_submit():
        ended = end_sessions(current_user, keep=current_handle())
        record("sessions_ended", object_type="user", object_id=current_user.id,
               detail=f"count={ended}")
        flash("Every other session is ended. This one stays signed in.", "success")
    return redirect(url_for("account.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit():
        if not check_password(current_user, form.current.data):
            form.current.errors.append("That is not your current password.")
        else:
            set_password(current_user, form.password.data)
            ended = end_sessions(current_user, keep=current_handle())
            rotate_session()
            record("password_changed", object_type="user", object_id=current_user.id,
                   detail=f"other sessions ended={ended}")
            flash("Your password is changed. Every other device has to sign in again.",
                  "success")
            return redirect(url_for("account.index"))
    return render_template("account/password.html", form=form)
