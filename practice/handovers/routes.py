from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import admin_required, holds_caseload, staff_member
from ..forms import ButtonForm
from ..panels import panel
from . import bp
from .services import (
    NOTICE_DAYS,
    HandoverError,
    hand_over,
    handover_targets,
    open_couples,
    plan,
    recent_handovers,
)


def _number(value):
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@bp.route("/admin/staff/<int:user_id>/handover", methods=["GET", "POST"])
@admin_required
def handover(user_id: int):
    """Deactivating a counselor who holds couples: choose who takes over each (or all), give a
    reason, confirm a page naming both counselors of every move, then the account closes."""
    counselor = staff_member(user_id)
    couples = open_couples(counselor) if holds_caseload(counselor) else []
    if not couples or not counselor.active:
        return redirect(url_for("admin.index"))
    targets = handover_targets(current_user, counselor)
    values = request.form if request.method == "POST" else {}
    choices = {c.id: _number(values.get(f"to_{c.id}")) for c in couples}
    all_to = _number(values.get("all_to"))
    reason = values.get("reason", "")
    error = moves = None
    if request.method == "POST" and ButtonForm().validate_on_submit() \
            and not request.form.get("change"):
        try:
            moves = plan(couples, targets, choices, all_to)
            if not reason.strip():
                raise HandoverError("Say why the couples move: both counselors read it.")
            if request.form.get("confirmed") == "1":
                hand_over(current_user, counselor, moves, reason)
                flash(f"{len(moves)} {'couple' if len(moves) == 1 else 'couples'} moved; "
                      f"{counselor.display_name} is deactivated.", "success")
                return redirect(url_for("admin.index"))
            return render_template("handovers/confirm.html", counselor=counselor, moves=moves,
                                   reason=reason, choices=choices, all_to=all_to)
        except HandoverError as refused:
            error = str(refused)
    return render_template("handovers/form.html", counselor=counselor, couples=couples,
                           targets=targets, choices=choices, all_to=all_to, reason=reason,
                           error=error), 422 if error else 200


@panel("counselor_home", "handovers/_counselor_panel.html", order=3)
def handovers_panel(user):
    """Couples moved to or from this counselor in the last two weeks."""
    moves = recent_handovers(user)
    return {"moves": moves, "days": NOTICE_DAYS} if moves else None
