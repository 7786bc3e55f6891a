from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from ..access import admin_required
from ..audit.services import record
from ..extensions import db
from ..modelbase import EditConflictError, check_version, populate
from . import bp
from .forms import MailSettingsForm, RetryForm
from .messages import mail_settings
from .models import OutboxMessage
from .outbox import failed_messages, retry, waiting_count


@bp.route("/outbox")
@admin_required
def outbox():
    """Messages that could not be delivered after their retries (no bodies shown)."""
    page = db.paginate(failed_messages(), per_page=25, error_out=False)
    return render_template("mail/outbox.html", page=page, form=RetryForm(),
                           waiting=waiting_count())


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@admin_required
def retry_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
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
        try:
            check_version(current, form.version.data)
            populate(current, form)
            current.client_subject = (current.client_subject or "").strip()
            db.session.flush()
        except (EditConflictError, StaleDataError):
            db.session.rollback()
            flash("Someone else saved these settings first. Your values are still in the form: "
                  "review them and save again.", "error")
            form.version.data = mail_settings().version
            return render_template("mail/settings.html", form=form), 409
        record("settings_changed", object_type="mail_settings", object_id=current.id)
        flash("Mail settings saved.", "success")
        return redirect(url_for("mail.settings"))
    return render_template("mail/settings.html", form=form)
