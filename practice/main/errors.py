"""Error pages in the app's layout; nothing leaks a traceback."""

from flask import Flask, flash, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..auth.resume import keep_expired_form
from ..extensions import db

MESSAGES = {
    400: ("Something in that request was not right",
          "Go back, check the form and try again."),
    403: ("This page is not part of your work here",
          "You are signed in, but this page belongs to another role. Use the menu to go home."),
    404: ("We could not find that page",
          "The link may be old or mistyped. Use the menu to find your way."),
    429: ("Too many attempts",
          "For everyone's safety, please wait a minute before trying again."),
    413: ("That was too much to send at once",
          "A form here can carry up to 1 MB. Go back, shorten what you sent and try again."),
    405: ("That action is not available here",
          "Use the buttons on the page rather than the address bar."),
    500: ("Something went wrong on our side",
          "Nothing you typed was saved by this attempt. Please try again in a moment."),
}


def render_error(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def edit_conflict_page(form, reload, render, message: str):
    """The one answer to an edit made from a stale page (EditConflictError): roll back, load
    the record again, keep everything typed in `form` (now carrying the current version, so the
    next save can succeed), say what happened, and answer 409 with `render(record)`."""
    db.session.rollback()
    record = reload()
    if "version" in form:
        form.version.data = record.version
    flash(message, "error")
    response = make_response(render(record))
    response.status_code = 409
    return response


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        kept = keep_expired_form()
        if kept is not None:
            return kept
        return render_error(
            400,
            "This form had expired",
            "For your safety, forms stop working after you sign out or after a long pause. "
            "Go back, reload the page and submit again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in MESSAGES:
            # abort(code, description="...") gives a page-specific message for people.
            own = error.description if error.description != type(error).description else None
            return render_error(error.code, message=own)
        return error

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
