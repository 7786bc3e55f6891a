from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import client_required, own_couple
from ..audit.services import record
from ..panels import panel
from . import bp
from .forms import PromptForm, ReminderForm, StopForm
from .services import (
    dismiss_prompt,
    prompt_pending,
    save_settings,
    settings_for,
    stop_reminders,
    user_for_stop_token,
)


@bp.route("/me/reminders", methods=["GET", "POST"])
@client_required
def settings():
    couple = own_couple(current_user)
    current = settings_for(current_user)
    form = ReminderForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":
        form.quiet_days.data = sorted(current.quiet_weekdays)
    if form.validate_on_submit():
        save_settings(current_user, form.data)
        record("reminders_changed", object_type="user", object_id=current_user.id,
               detail=f"enabled={form.enabled.data}")
        flash("Saved.", "success")
        return redirect(url_for("reminders.settings"))
    return render_template("reminders/settings.html", form=form, couple=couple)


@bp.route("/me/reminders/not-now", methods=["POST"])
@client_required
def not_now():
    if PromptForm().validate_on_submit():
        dismiss_prompt(current_user)
    return redirect(url_for("main.client_home"))


@bp.route("/reminders/stop/<token>", methods=["GET", "POST"])
def stop(token: str):
    """Turn reminders off from the link in a message, without signing in."""
    user = user_for_stop_token(token)
    if user is None:
        return render_template("reminders/stop_invalid.html"), 404
    form = StopForm()
    if form.validate_on_submit():
        stop_reminders(user)
        record("reminders_stopped", actor=user, object_type="user", object_id=user.id)
        return render_template("reminders/stopped.html")
    return render_template("reminders/stop.html", form=form)


@panel("client_home", "reminders/_prompt.html", order=5)
def reminder_prompt(user, couple):
    """Asked once after the first sign-in: reminders stay off until the client chooses."""
    return {} if prompt_pending(user) else None
