from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..access import (
    admin_required,
    can_oversee,
    counselor_accounts,
    may_reset_two_factor,
    staff_member,
    staff_members,
)
from ..audit.services import record
from ..auth.models import Supervision, User
from ..auth.services import create_user, email_taken, set_supervision
from ..auth.sessions import end_sessions
from ..auth.two_factor import enrolled_ids, remove_second_factor
from ..couples.models import Couple
from ..extensions import db
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError, apply_edit
from ..pagination import paginate
from . import bp
from .forms import ActiveForm, SettingsForm, StaffForm, SupervisionForm
from .services import get_settings, set_active


def _open_couples(member: User) -> int:
    return db.session.scalar(
        select(func.count(Couple.id))
        .where(Couple.counselor_id == member.id, Couple.status != "closed")
    )


STAFF_PER_PAGE = 50


@bp.route("/")
@admin_required
def index():
    staff = paginate(staff_members().order_by(User.role, User.display_name, User.id),
                     STAFF_PER_PAGE)
    on_page = [u.id for u in staff.items]
    links = db.session.execute(
        select(Supervision.supervisor_id, User.display_name)
        .join(User, User.id == Supervision.counselor_id)
        .where(Supervision.supervisor_id.in_(on_page)).order_by(User.display_name)
    ).all()
    supervises: dict[int, list[str]] = {}
    for supervisor_id, name in links:
        supervises.setdefault(supervisor_id, []).append(name)
    held = dict(db.session.execute(
        select(Couple.counselor_id, func.count(Couple.id))
        .where(Couple.status != "closed").group_by(Couple.counselor_id)
    ).all())
    return render_template("admin/index.html", staff=staff, supervises=supervises,
                           overseers={u.id for u in staff.items if can_oversee(u)}, held=held,
                           two_factor=enrolled_ids(on_page),
                           resettable={u.id for u in staff.items
                                       if may_reset_two_factor(current_user, u)})


@bp.route("/staff/<int:user_id>/two-factor/reset", methods=["POST"])
@admin_required
def reset_two_factor(user_id: int):
    """Forget a staff member's authenticator and recovery codes (a lost phone); they set up a
    new one at their next sign-in, and every session of theirs ends."""
    user = staff_member(user_id)
    if ActiveForm().validate_on_submit():
        if not may_reset_two_factor(current_user, user):
            flash("You cannot reset your own second factor here.", "error")
            return redirect(url_for("admin.index"))
        had = remove_second_factor(user)
        ended = end_sessions(user)
        record("two_factor_reset", obj=user, detail=f"had={int(had)} sessions ended={ended}")
        flash(f"The second factor of {user.display_name} is reset. They set up a new one when "
              "they next sign in.", "success")
    return redirect(url_for("admin.index"))


@bp.route("/staff/new", methods=["GET", "POST"])
@admin_required
def new_staff():
    form = StaffForm()
    if form.validate_on_submit():
        if email_taken(form.email.data):
            form.email.errors.append("An account with this email already exists.")
        else:
            user = create_user(
                form.email.data, form.display_name.data, form.role.data, form.password.data
            )
            record("staff_created", obj=user, detail=f"role={user.role}")
            flash(f"Account created for {user.display_name}.", "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/staff_form.html", form=form)


@bp.route("/staff/<int:user_id>/active", methods=["POST"])
@admin_required
def set_staff_active(user_id: int):
    user = staff_member(user_id)
    form = ActiveForm()
    if form.validate_on_submit():
        make_active = request.form.get("active") == "1"
        if not make_active and user.active and _open_couples(user):
            # Their couples move first, in the same flow: nobody is left unread.
            return redirect(url_for("handovers.handover", user_id=user.id))
        if user.id == current_user.id and not make_active:
            flash("You cannot deactivate your own account.", "error")
        else:
            set_active(current_user, user, make_active)
            state = "reactivated" if make_active else "deactivated"
            flash(f"{user.display_name} is {state}.", "success")
            held = _open_couples(user) if not make_active else 0
            if held:
                flash(f"{user.display_name} still holds {held} open "
                      f"{'couple' if held == 1 else 'couples'}. Until a supervisor reassigns "
                      "them (Team, then the counselor's page), their check-ins and flags wait "
                      "with no one to read them.", "error")
    return redirect(url_for("admin.index"))


@bp.route("/staff/<int:user_id>/sessions/end", methods=["POST"])
@admin_required
def end_staff_sessions(user_id: int):
    user = staff_member(user_id)
    if ActiveForm().validate_on_submit():
        ended = end_sessions(user)
        record("sessions_ended", obj=user, detail=f"count={ended}")
        flash(f"Every session of {user.display_name} is ended.", "success")
    return redirect(url_for("admin.index"))


@bp.route("/staff/<int:user_id>/supervision", methods=["GET", "POST"])
@admin_required
def supervision(user_id: int):
    supervisor = staff_member(user_id)
    if not can_oversee(supervisor):
        flash("Only supervisors and administrators can supervise counselors.", "error")
        return redirect(url_for("admin.index"))
    counselors = db.session.scalars(
        counselor_accounts().order_by(User.display_name)
    ).all()
    form = SupervisionForm()
    form.counselors.choices = [(c.id, c.display_name) for c in counselors]
    if request.method == "GET":
        form.counselors.data = [c.id for c in supervisor.supervised]
    if form.validate_on_submit():
        set_supervision(supervisor, form.counselors.data)
        record("supervision_changed", obj=supervisor,
               detail="counselors=" + ",".join(map(str, sorted(form.counselors.data))))
        flash(f"Saved who {supervisor.display_name} supervises.", "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/supervision.html", form=form, supervisor=supervisor)


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    current = get_settings()
    form = SettingsForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            apply_edit(current, form.data, form.version.data)
        except EditConflictError:
            return edit_conflict_page(
                form, get_settings,
                lambda _fresh: render_template("admin/settings.html", form=form),
                "Someone else saved these settings first. Your changes are still in the form: "
                "review them and save again.")
        record("settings_changed", object_type="practice_settings", object_id=current.id)
        flash("Practice settings saved.", "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form)
