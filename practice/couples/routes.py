from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import (
    can_manage_couple,
    counselor_required,
    couple_for_counselor,
    couple_for_staff,
    partner_of,
    staff_required,
)
from ..admin.services import get_settings
from ..audit.services import record
from ..forms import ButtonForm
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError, apply_edit
from ..pagination import paginate
from ..panels import render_context
from . import bp
from .forms import CoupleEditForm, CoupleForm, PartnerForm
from .services import add_partner, case_history, create_couple, invite

HISTORY_PER_PAGE = 20


def _invitation_page(couple, links):
    """The one time a link is shown: only its hash is stored."""
    return render_template("couples/invitations.html", couple=couple, links=links)


@bp.route("/new", methods=["GET", "POST"])
@counselor_required
def new():
    form = CoupleForm()
    if request.method == "GET":
        form.timezone.data = get_settings().default_timezone
    if form.validate_on_submit():
        couple = create_couple(current_user, form.label.data, form.timezone.data)
        links = []
        for name, email in (
            (form.partner1_name.data, form.partner1_email.data),
            (form.partner2_name.data, form.partner2_email.data),
        ):
            if email:
                user = add_partner(couple, email, name)
                links.append((user, invite(couple, user, current_user)))
        record("couple_created", obj=couple)
        flash(f"{couple.label} is on your caseload.", "success")
        return _invitation_page(couple, links)
    return render_template("couples/new.html", form=form)


@bp.route("/<int:couple_id>")
@staff_required
def detail(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    record("couple_viewed", obj=couple)
    return render_template(
        "couples/detail.html",
        couple=couple,
        top_panels=render_context("couple_top", current_user, couple),
        panels=render_context("couple", current_user, couple),
        history=paginate(case_history(couple), HISTORY_PER_PAGE, arg="history_page"),
        button=ButtonForm(),
        can_manage=can_manage_couple(current_user, couple),
    )


@bp.route("/<int:couple_id>/edit", methods=["GET", "POST"])
@counselor_required
def edit(couple_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    form = CoupleEditForm(obj=couple if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            apply_edit(couple, form.data, form.version.data)
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: couple_for_counselor(current_user, couple_id),
                lambda fresh: render_template("couples/edit.html", form=form, couple=fresh),
                "Someone else changed this couple while you were editing. Your changes are "
                "still in the form: check them and save again.")
        record("couple_changed", obj=couple, detail=f"status={couple.status}")
        flash("Saved.", "success")
        return redirect(url_for("couples.detail", couple_id=couple.id))
    return render_template("couples/edit.html", form=form, couple=couple)


@bp.route("/<int:couple_id>/partners/new", methods=["GET", "POST"])
@counselor_required
def add_partner_view(couple_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    if len(couple.partners) >= 2:
        flash("This couple already has two partners.", "info")
        return redirect(url_for("couples.detail", couple_id=couple.id))
    form = PartnerForm()
    if form.validate_on_submit():
        user = add_partner(couple, form.email.data, form.display_name.data)
        token = invite(couple, user, current_user)
        record("partner_added", obj=couple)
        return _invitation_page(couple, [(user, token)])
    return render_template("couples/add_partner.html", form=form, couple=couple)


@bp.route("/<int:couple_id>/partners/<int:user_id>/invite", methods=["POST"])
@counselor_required
def reinvite(couple_id: int, user_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    partner = partner_of(couple, user_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        return redirect(url_for("couples.detail", couple_id=couple.id))
    if partner.has_password:
        # A link would let whoever holds it replace the password of an account in use.
        flash(f"{partner.display_name} has already set a password, so no new invitation link "
              "was made.", "info")
        return redirect(url_for("couples.detail", couple_id=couple.id))
    token = invite(couple, partner, current_user)
    record("invitation_created", object_type="user", object_id=partner.id, couple_id=couple.id)
    return _invitation_page(couple, [(partner, token)])
