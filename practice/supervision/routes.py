from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import (
    can_oversee,
    counselor_for_supervisor,
    counselor_required,
    couple_for_staff,
    holds_caseload,
    scoped_or_404,
    sees_whole_practice,
    supervisor_required,
    team_counselors,
)
from ..audit.models import AuditEntry
from ..audit.services import record
from ..checkins.engagement import COMPLETION_DAYS, QUIET_DAYS
from ..clock import utcnow
from ..content import SITUATIONS
from ..couples.services import case_history
from ..extensions import db
from ..flags.escalation import is_escalated
from ..flags.models import SEVERITIES, Flag
from ..flags.services import flag_history
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError
from ..pagination import keyset_paginate, paginate
from ..panels import panel
from ..templating import practice_settings as get_settings
from . import bp
from .exports import (
    CASELOAD_HEADER,
    FLAG_HEADER,
    caseload_rows,
    csv_response,
    flag_rows,
)
from .forms import AuditFilterForm, FlagFilterForm, FlagReviewForm, NoteForm, ReassignForm
from .services import (
    SORT_KEYS,
    AuditFilters,
    FlagFilters,
    ReassignmentRefusedError,
    add_note,
    audit_people,
    audit_select,
    caseload,
    caseload_summary,
    counselor_notes,
    couple_notes,
    flag_queue_select,
    notes_for_counselor_select,
    reassign_couple,
    reassignment_targets,
    record_supervision_review,
    sort_rows,
)

TEAM_PER_PAGE = 25
FLAGS_PER_PAGE = 50
AUDIT_PER_PAGE = 50
NOTES_PER_PAGE = 20
DRILL_DOWN_PER_PAGE = 50
EXPORT_LIMIT = 10_000

COLUMNS = [
    ("counselor", "Counselor", False),
    ("active", "Active", True),
    ("unreviewed", "To review", True),
    ("completion", "Homework", True),
    ("urgent", "Urgent", True),
    ("high", "High", True),
    ("moderate", "Moderate", True),
    ("low", "Low", True),
    ("oldest", "Waiting longest", True),
    ("escalated", "Escalated", True),
    ("quiet", "Quiet", True),
]


def _sort_args():
    sort = request.args.get("sort", "counselor")
    if sort not in SORT_KEYS:
        sort = "counselor"
    direction = request.args.get("dir", "asc")
    if direction not in ("asc", "desc"):
        direction = "asc"
    return sort, direction


# ---------------------------------------------------------------- team summary


@panel("supervisor_home", "supervision/_team_panel.html", order=10)
def team_panel(user):
    """The team's caseload table: one row per counselor, sortable, paginated."""
    settings = get_settings()
    now = utcnow()
    sort, direction = _sort_args()
    rows = sort_rows(caseload_summary(user, settings, now), sort, direction, now)
    return {
        "page": paginate(rows, TEAM_PER_PAGE),
        "columns": COLUMNS,
        "sort": sort,
        "dir": direction,
        "endpoint": request.endpoint,
        "now": now,
        "severities": list(reversed(SEVERITIES)),
        "completion_days": COMPLETION_DAYS,
        "quiet_days": QUIET_DAYS,
    }


@bp.route("/")
@supervisor_required
def team():
    """The team page: the supervisor home's table, also for admins (every counselor)."""
    return render_template("supervision/team.html", panel=team_panel(current_user),
                           sees_all=sees_whole_practice(current_user))


# ---------------------------------------------------------------- drill-down and notes


@bp.route("/counselors/<int:counselor_id>")
@supervisor_required
def counselor(counselor_id: int):
    person = counselor_for_supervisor(current_user, counselor_id)
    record("caseload_viewed", object_type="user", object_id=person.id)
    return render_template(
        "supervision/counselor.html",
        counselor=person,
        rows=paginate(caseload(person, get_settings()), DRILL_DOWN_PER_PAGE),
        notes=counselor_notes(person),
        form=NoteForm(),
        now=utcnow(),
        completion_days=COMPLETION_DAYS,
        quiet_days=QUIET_DAYS,
    )


@bp.route("/counselors/<int:counselor_id>/notes", methods=["POST"])
@supervisor_required
def add_counselor_note(counselor_id: int):
    person = counselor_for_supervisor(current_user, counselor_id)
    form = NoteForm()
    if form.validate_on_submit():
        add_note(current_user, person, form.body.data)
        flash(f"Note saved. {person.display_name} can read it.", "success")
        return redirect(url_for("supervision.counselor", counselor_id=person.id))
    return render_template(
        "supervision/counselor.html",
        counselor=person,
        rows=paginate(caseload(person, get_settings()), DRILL_DOWN_PER_PAGE),
        notes=counselor_notes(person),
        form=form,
        now=utcnow(),
        completion_days=COMPLETION_DAYS,
        quiet_days=QUIET_DAYS,
    ), 422


@panel("couple", "supervision/_couple_notes_panel.html", order=80)
def couple_notes_panel(user, couple):
    """Supervision notes on this couple: for staff in scope only; supervisors may add one."""
    if not user.is_staff:
        return None
    notes = couple_notes(couple)
    can_write = can_oversee(user)
    if not notes and not can_write:
        return None
    return {"couple": couple, "notes": notes, "can_write": can_write,
            "form": NoteForm() if can_write else None}


@bp.route("/couples/<int:couple_id>/notes", methods=["GET", "POST"])
@supervisor_required
def add_couple_note(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    form = NoteForm()
    if form.validate_on_submit():
        add_note(current_user, couple.counselor, form.body.data, couple=couple)
        flash(f"Note saved on {couple.label}.", "success")
        return redirect(url_for("couples.detail", couple_id=couple.id))
    status = 422 if request.method == "POST" else 200
    return render_template("supervision/couple_note.html", couple=couple, form=form), status


@bp.route("/notes")
@counselor_required
def my_notes():
    """A counselor reads the notes supervision wrote on them and on the couples they hold."""
    page = paginate(notes_for_counselor_select(current_user), NOTES_PER_PAGE, rows=True)
    return render_template("supervision/my_notes.html", page=page)


@panel("counselor_home", "supervision/_counselor_notes_panel.html", order=90)
def counselor_notes_panel(user):
    if not holds_caseload(user):
        return None
    latest = db.session.execute(notes_for_counselor_select(user).limit(3)).all()
    if not latest:
        return None
    return {"notes": latest}


# ---------------------------------------------------------------- flag review


def _take_valid_filters(form, filters, names: tuple[str, ...]) -> None:
    """Copy each filled-in filter that passed validation; a bad one is shown and ignored."""
    for name in names:
        field = getattr(form, name)
        if not field.errors and field.data not in (None, ""):
            setattr(filters, name, field.data)


def _flag_filters():
    counselors = team_counselors(current_user)
    form = FlagFilterForm(request.args, counselors=counselors)
    filters = FlagFilters()
    if request.args:
        form.validate()
    _take_valid_filters(form, filters, ("category", "severity", "status", "age", "counselor"))
    return form, filters


@bp.route("/flags")
@supervisor_required
def flag_queue_view():
    form, filters = _flag_filters()
    page = paginate(flag_queue_select(current_user, filters, get_settings(), utcnow()),
                    FLAGS_PER_PAGE, rows=True)
    record("flag_queue_viewed", detail=_filter_detail(filters.as_args()))
    return render_template(
        "supervision/flags.html", form=form, page=page, args=filters.as_args(), now=utcnow(),
        situations=SITUATIONS,
    )


def _filter_detail(args: dict) -> str | None:
    return ", ".join(f"{k}={v}" for k, v in sorted(args.items())) or None


@bp.route("/flags/<int:flag_id>", methods=["GET", "POST"])
@supervisor_required
def flag_review(flag_id: int):
    flag = scoped_or_404(current_user, Flag, flag_id)
    form = FlagReviewForm()
    if form.validate_on_submit():
        try:
            record_supervision_review(flag, current_user, form.note.data)
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: scoped_or_404(current_user, Flag, flag_id),
                lambda fresh: _flag_page(fresh, form),
                "The flag changed while you were writing. Your note is kept below: "
                "check the flag and record it again.")
        flash("Recorded as reviewed in supervision.", "success")
        return redirect(url_for("supervision.flag_review", flag_id=flag.id))
    if request.method == "GET":
        record("flag_viewed", obj=flag)
    return _flag_page(flag, form), (422 if request.method == "POST" else 200)


def _flag_page(flag, form):
    return render_template(
        "supervision/flag.html",
        flag=flag,
        form=form,
        history=flag_history(flag),
        escalated=is_escalated(flag, get_settings()),
        situations=SITUATIONS,
        now=utcnow(),
    )


# ---------------------------------------------------------------- reassignment


@bp.route("/couples/<int:couple_id>/reassign", methods=["GET", "POST"])
@supervisor_required
def reassign(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    targets = reassignment_targets(current_user, couple)
    form = ReassignForm()
    form.counselor_id.choices = [("", "Choose a counselor")] + [
        (c.id, c.display_name) for c in targets]
    if request.form.get("change"):
        form.confirmed.data = ""  # back to the form, everything chosen kept
    elif form.validate_on_submit():
        new = next(c for c in targets if c.id == form.counselor_id.data)
        old_name = couple.counselor.display_name
        if form.confirmed.data != "1":
            # The move happens only once confirmed on a page naming both counselors.
            form.confirmed.data = "1"
            return render_template("supervision/reassign_confirm.html", couple=couple,
                                   form=form, new=new)
        try:
            reassign_couple(current_user, couple, new, form.reason.data)
        except ReassignmentRefusedError as error:
            form.counselor_id.errors.append(str(error))
        else:
            flash(f"{couple.label} moved from {old_name} to {new.display_name}.", "success")
            return redirect(url_for("supervision.counselor", counselor_id=new.id))
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(
        "supervision/reassign.html", couple=couple, form=form, targets=targets,
        history=case_history(couple),
    ), status


# ---------------------------------------------------------------- audit log


def _audit_filters():
    form = AuditFilterForm(request.args, people=audit_people(current_user))
    filters = AuditFilters()
    if request.args:
        form.validate()
    _take_valid_filters(form, filters, ("person", "couple", "date_from", "date_to"))
    return form, filters


@bp.route("/audit")
@supervisor_required
def audit_log():
    form, filters = _audit_filters()
    page = keyset_paginate(audit_select(current_user, filters), AuditEntry.id, AUDIT_PER_PAGE,
                           key_of=lambda row: row[0].id)
    return render_template("supervision/audit.html", form=form, page=page,
                           args=filters.as_args(), sees_all=sees_whole_practice(current_user))


# ---------------------------------------------------------------- exports


@bp.route("/export/caseload.csv")
@supervisor_required
def export_caseload():
    now = utcnow()
    sort, direction = _sort_args()
    rows = sort_rows(caseload_summary(current_user, get_settings(), now), sort, direction, now)
    record("export_caseload", detail=f"{len(rows)} counselors")
    stamp = now.strftime("%Y%m%d-%H%M")
    return csv_response(f"caseload-{stamp}.csv", CASELOAD_HEADER, caseload_rows(rows, now))


@bp.route("/export/flags.csv")
@supervisor_required
def export_flags():
    now = utcnow()
    _, filters = _flag_filters()
    query = flag_queue_select(current_user, filters, get_settings(), now).limit(EXPORT_LIMIT)
    items = db.session.execute(query).all()
    detail = _filter_detail(filters.as_args())
    record("export_flags", detail=f"{len(items)} flags" + (f"; {detail}" if detail else ""))
    stamp = now.strftime("%Y%m%d-%H%M")
    return csv_response(f"flags-{stamp}.csv", FLAG_HEADER, flag_rows(items, now))

