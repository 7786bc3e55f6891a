from flask import flash, redirect, render_template, request, url_for

from ..access import admin_required, outbox_message
from ..audit.services import record
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError, apply_edit
from ..pagination import paginate
from . import bp
from .forms import MailSettingsForm, RetryForm
from .messages import mail_settings
from .outbox import failed_messages, retry, waiting_count


@bp.route("/outbox")
@admin_required
def outbox():
    """Messages that could not be delivered after their retries (no bodies shown)."""
    page = paginate(failed_messages(), 25)
    return render_template("mail/outbox.html", page=page, form=RetryForm(),
                           waiting=waiting_count())


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@admin_required
def retry_message(message_id: int):
    message = outbox_message(message_id)
    form = RetryForm()
    if form.validate_on_submit() and message.status == "failed":
        retry(message)
        record("outbox_retried", object_type="outbox", object_id=message.id)
        flash("The message will be sent again within a minute.", "success")
    return redirect(url_for("mail.outbox"))


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    current = mail_settings()
    form = MailSettingsForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit():
        subject = (form.client_subject.data or "").strip()
        try:
            apply_edit(current, {**form.data, "client_subject": subject}, form.version.data)
        except EditConflictError:
            return edit_conflict_page(
                form, mail_settings,
                lambda _fresh: render_template("mail/settings.html", form=form),
                "Someone else saved these settings first. Your values are still in the form: "
                "review them and save again.")
        record("settings_changed", object_type="mail_settings", object_id=current.id)
        flash("Mail settings saved.", "success")
        return redirect(url_for("mail.settings"))
    return render_template("mail/settings.html", form=form)
