from flask import abort, redirect, render_template, url_for

from ..access import client_required
from . import bp
from .forms import WelcomeForm
from .welcome import SCREENS, finish_welcome, welcome_pending


@bp.route("/me/welcome/<int:step>")
@client_required
def welcome(step: int):
    """One of the first-use screens; after the welcome is done or skipped, home instead."""
    if not welcome_pending():
        return redirect(url_for("main.client_home"))
    if not 1 <= step <= len(SCREENS):
        abort(404)
    return render_template("client_app/welcome.html", screen=SCREENS[step - 1], step=step,
                           steps=len(SCREENS), form=WelcomeForm())


@bp.route("/me/welcome/done", methods=["POST"])
@client_required
def welcome_done():
    """Finished or skipped: the welcome is not shown again."""
    if not WelcomeForm().validate_on_submit():
        abort(400)
    finish_welcome()
    return redirect(url_for("main.client_home"))
