from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)

from ..access import client_required
from ..templating import practice_settings
from . import bp
from .forms import WelcomeForm
from .install import manifest
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


@bp.route("/manifest.webmanifest")
def web_manifest():
    response = jsonify(manifest(practice_settings()))
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/sw.js")
def service_worker():
    """Served from the root so that it may answer for the whole site when offline."""
    response = send_from_directory(current_app.static_folder, "js/sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline():
    """The page the service worker shows without a network: the same for everyone."""
    return render_template("client_app/offline.html", settings=practice_settings())
