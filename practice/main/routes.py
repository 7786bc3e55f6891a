from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import (
    client_required,
    own_couple,
    roles_required,
    team_counselors,
    visible_couples,
)
from ..couples.models import Couple, Partner
from ..extensions import db
from ..pagination import paginate
from ..panels import render_context
from . import bp

HOME_ENDPOINTS = {
    "client": "main.client_home",
    "counselor": "main.counselor_home",
    "supervisor": "main.supervisor_home",
    "admin": "admin.index",
}


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_ENDPOINTS[current_user.role]))


@bp.route("/healthz")
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}


@bp.route("/me")
@client_required
def client_home():
    couple = own_couple(current_user)
    return render_template(
        "main/client_home.html",
        couple=couple,
        panels=render_context("client_home", current_user, couple),
    )


CASELOAD_PER_PAGE = 25


@bp.route("/caseload")
@roles_required("counselor")
def counselor_home():
    couples = paginate(
        visible_couples(current_user)
        .options(selectinload(Couple.partners).selectinload(Partner.user))
        .order_by(Couple.status, Couple.label, Couple.id), CASELOAD_PER_PAGE, arg="couples_page")
    return render_template(
        "main/counselor_home.html",
        couples=couples,
        panels=render_context("counselor_home", current_user),
    )


@bp.route("/team")
@roles_required("supervisor")
def supervisor_home():
    counts = dict(
        db.session.execute(
            select(Couple.counselor_id, func.count(Couple.id))
            .where(Couple.status == "active")
            .group_by(Couple.counselor_id)
        ).all()
    )
    counselors = team_counselors(current_user)
    panels = render_context("supervisor_home", current_user)
    return render_template(
        "main/supervisor_home.html",
        counselors=counselors,
        counts=counts,
        panels=panels,
        show_basic=not panels,
    )
