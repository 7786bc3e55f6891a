import click
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..access import (
    counselor_required,
    couple_for_counselor,
    couple_for_staff,
    staff_required,
)
from ..audit.services import record_refusal
from ..clock import local_today
from ..content import NEUTRAL_PAUSE_MESSAGE, SITUATIONS
from ..extensions import db
from ..flags.holds import open_harm_flag
from ..modelbase import EditConflictError, check_version
from ..panels import panel
from . import bp
from .assignments import (
    ScheduleError,
    assign,
    chain_of,
    couple_assignments,
    current_rows,
    describe,
    edit_assignment,
    end_assignment,
    pause_assignment,
    resume_assignment,
    set_joint_work_paused,
)
from .forms import AssignmentForm, ButtonForm, ExerciseForm
from .library import load_builtin_exercises
from .models import Assignment, AssignmentEvent, Exercise
from .schedule import CADENCE_LABELS
from .services import (
    copy_exercise,
    create_exercise,
    exercise_for,
    exercise_to_edit,
    filter_by_situation,
    update_exercise,
    visible_exercises,
)

PER_PAGE = 20


@bp.cli.command("load-library")
def load_library_command() -> None:
    """Load or update the guide's built-in exercises (safe to run again)."""
    created = load_builtin_exercises()
    db.session.commit()
    click.echo(f"Exercise library ready ({created} new built-in exercises).")


# ---------------------------------------------------------------- the library


@bp.route("/exercises/")
@staff_required
def index():
    situation = request.args.get("situation") or None
    if situation not in SITUATIONS:
        situation = None
    exercises = db.session.scalars(
        visible_exercises(current_user).order_by(Exercise.is_builtin.desc(), Exercise.title)
    ).all()
    exercises = filter_by_situation(list(exercises), situation)
    page = request.args.get("page", 1, type=int)
    pages = max(1, -(-len(exercises) // PER_PAGE))
    page = min(max(page, 1), pages)
    return render_template(
        "exercises/index.html", exercises=exercises[(page - 1) * PER_PAGE: page * PER_PAGE],
        situations=SITUATIONS, situation=situation, page=page, pages=pages,
        cadences=CADENCE_LABELS,
    )


@bp.route("/exercises/<int:exercise_id>")
@staff_required
def detail(exercise_id: int):
    exercise = exercise_for(current_user, exercise_id)
    return render_template("exercises/detail.html", exercise=exercise, situations=SITUATIONS,
                           cadences=CADENCE_LABELS, button=ButtonForm())


@bp.route("/exercises/new", methods=["GET", "POST"])
@counselor_required
def new():
    form = ExerciseForm()
    if form.validate_on_submit():
        exercise = create_exercise(current_user, form.data)
        flash("Exercise saved.", "success")
        return redirect(url_for("exercises.detail", exercise_id=exercise.id))
    return render_template("exercises/form.html", form=form, exercise=None)


@bp.route("/exercises/<int:exercise_id>/edit", methods=["GET", "POST"])
@counselor_required
def edit(exercise_id: int):
    exercise = exercise_to_edit(current_user, exercise_id)
    form = ExerciseForm(obj=exercise if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            check_version(exercise, form.version.data)
            update_exercise(exercise, form.data)
        except (EditConflictError, StaleDataError):
            db.session.rollback()
            exercise = exercise_to_edit(current_user, exercise_id)
            form.version.data = exercise.version
            flash("Someone changed this exercise while you were editing. Your text is still "
                  "in the form: check it and save again.", "error")
            return render_template("exercises/form.html", form=form, exercise=exercise), 409
        flash("Exercise saved.", "success")
        return redirect(url_for("exercises.detail", exercise_id=exercise.id))
    return render_template("exercises/form.html", form=form, exercise=exercise)


@bp.route("/exercises/<int:exercise_id>/copy", methods=["POST"])
@counselor_required
def copy(exercise_id: int):
    source = exercise_for(current_user, exercise_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    exercise = copy_exercise(current_user, source)
    flash("This is your own copy: adapt it and save.", "success")
    return redirect(url_for("exercises.edit", exercise_id=exercise.id))


# ---------------------------------------------------------------- assignments


def _assignment(couple, assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.couple_id != couple.id:
        record_refusal("assignment out of scope", object_type="assignment",
                       object_id=assignment_id)
        abort(404)
    return assignment


def _superseded(couple, assignment: Assignment):
    """A row continued by a later one is history: changes go to the current row."""
    successor = db.session.scalar(select(Assignment).where(Assignment.previous_id == assignment.id))
    if successor is None:
        return None
    flash("This schedule was changed since; here is the current one.", "info")
    return redirect(url_for("exercises.assignment_detail", couple_id=couple.id,
                            assignment_id=successor.id))


def _assignable(user) -> list[Exercise]:
    return list(db.session.scalars(
        visible_exercises(user).order_by(Exercise.is_builtin.desc(), Exercise.title)
    ))


def _form_errors_from(form, error: ScheduleError) -> None:
    target = getattr(form, error.field, form.start_date)
    target.errors = [*target.errors, str(error)]


@bp.route("/couples/<int:couple_id>/assignments/new", methods=["GET", "POST"])
@counselor_required
def assign_view(couple_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    exercises = _assignable(current_user)
    form = AssignmentForm(partners=couple.partner_users, exercises=exercises)
    if request.method == "GET":
        form.start_date.data = local_today(couple.timezone)
        form.who.data = "both"
        chosen = request.args.get("exercise", type=int)
        exercise = next((e for e in exercises if e.id == chosen), None)
        if exercise is not None:
            form.exercise_id.data = exercise.id
            form.cadence.data = exercise.suggested_cadence
    if form.validate_on_submit():
        exercise = exercise_for(current_user, form.exercise_id.data)
        try:
            assign(couple, exercise, current_user, form.service_data())
        except ScheduleError as error:
            _form_errors_from(form, error)
        else:
            flash(f"{exercise.title} assigned.", "success")
            return redirect(url_for("couples.detail", couple_id=couple.id))
    return render_template("exercises/assign.html", form=form, couple=couple, assignment=None,
                           harm_hold=open_harm_flag(couple.id))


@bp.route("/couples/<int:couple_id>/assignments/<int:assignment_id>")
@staff_required
def assignment_detail(couple_id: int, assignment_id: int):
    couple = couple_for_staff(current_user, couple_id)
    assignment = _assignment(couple, assignment_id)
    rows = couple_assignments(couple.id)
    chain = chain_of(assignment, rows)
    events = db.session.scalars(
        select(AssignmentEvent).options(selectinload(AssignmentEvent.actor))
        .where(AssignmentEvent.assignment_id.in_([a.id for a in chain]))
        .order_by(AssignmentEvent.at, AssignmentEvent.id)
    ).all()
    successor = next((a for a in rows if a.previous_id == assignment.id), None)
    return render_template(
        "exercises/assignment.html", couple=couple, assignment=assignment, chain=chain,
        events=events, describe=describe, successor=successor, button=ButtonForm(),
        can_manage=couple.counselor_id == current_user.id,
    )


@bp.route("/couples/<int:couple_id>/assignments/<int:assignment_id>/edit",
          methods=["GET", "POST"])
@counselor_required
def assignment_edit(couple_id: int, assignment_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    assignment = _assignment(couple, assignment_id)
    superseded = _superseded(couple, assignment)
    if superseded is not None:
        return superseded
    if assignment.status == "ended":
        flash("This assignment has ended. Assign the exercise again to restart it.", "info")
        return redirect(url_for("exercises.assignment_detail", couple_id=couple.id,
                                assignment_id=assignment.id))
    form = AssignmentForm(partners=couple.partner_users)
    if request.method == "GET":
        form.version.data = assignment.version
        form.who.data = str(assignment.partner_id) if assignment.partner_id else "both"
        form.cadence.data = assignment.cadence
        form.weekdays.data = (assignment.weekdays or "").split(",") if assignment.weekdays else []
        form.start_date.data = assignment.start_date
        form.end_date.data = assignment.end_date
        form.occurrence_limit.data = assignment.occurrence_limit
        form.ends.data = ("count" if assignment.occurrence_limit else
                          "date" if assignment.end_date else "never")
        form.instructions.data = assignment.instructions
    if form.validate_on_submit():
        try:
            check_version(assignment, form.version.data)
            row = edit_assignment(assignment, current_user, form.service_data())
        except ScheduleError as error:
            _form_errors_from(form, error)
        except (EditConflictError, StaleDataError):
            db.session.rollback()
            couple = couple_for_counselor(current_user, couple_id)
            assignment = _assignment(couple, assignment_id)
            form.version.data = assignment.version
            flash("Someone changed this assignment while you were editing. Your changes are "
                  "still in the form: check them and save again.", "error")
            return render_template("exercises/assign.html", form=form, couple=couple,
                                   assignment=assignment,
                                   harm_hold=open_harm_flag(couple.id)), 409
        else:
            flash("Saved. The changes apply from the next occurrence on.", "success")
            return redirect(url_for("exercises.assignment_detail", couple_id=couple.id,
                                    assignment_id=row.id))
    return render_template("exercises/assign.html", form=form, couple=couple,
                           assignment=assignment, harm_hold=open_harm_flag(couple.id))


def _state_change(couple_id: int, assignment_id: int, action, message: str):
    couple = couple_for_counselor(current_user, couple_id)
    assignment = _assignment(couple, assignment_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    superseded = _superseded(couple, assignment)
    if superseded is not None:
        return superseded
    row = action(assignment, current_user)
    flash(message, "success")
    return redirect(url_for("exercises.assignment_detail", couple_id=couple.id,
                            assignment_id=row.id))


@bp.route("/couples/<int:couple_id>/assignments/<int:assignment_id>/pause", methods=["POST"])
@counselor_required
def assignment_pause(couple_id: int, assignment_id: int):
    return _state_change(couple_id, assignment_id, pause_assignment,
                         "Paused. Nothing of this exercise is due until you resume it.")


@bp.route("/couples/<int:couple_id>/assignments/<int:assignment_id>/resume", methods=["POST"])
@counselor_required
def assignment_resume(couple_id: int, assignment_id: int):
    return _state_change(couple_id, assignment_id, resume_assignment, "Resumed.")


@bp.route("/couples/<int:couple_id>/assignments/<int:assignment_id>/end", methods=["POST"])
@counselor_required
def assignment_end(couple_id: int, assignment_id: int):
    return _state_change(couple_id, assignment_id, end_assignment, "Ended.")


@bp.route("/couples/<int:couple_id>/joint-work", methods=["POST"])
@counselor_required
def joint_work(couple_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    paused = request.form.get("paused") == "1"
    set_joint_work_paused(couple, paused, current_user)
    flash("Shared homework is paused: work given to both partners. Work given to one partner "
          "alone continues. Both partners see the same neutral message, with no reason."
          if paused else "Shared homework has resumed.", "success")
    return redirect(url_for("couples.detail", couple_id=couple.id))


@panel("couple", "exercises/_couple_panel.html", order=20)
def couple_homework_panel(user, couple):
    """The couple's assignments (current rows), with the shared-homework pause switch."""
    rows = couple_assignments(couple.id)
    current = current_rows(rows)
    return {
        "couple": couple,
        "assignments": [a for a in current if a.status != "ended"],
        "ended": [a for a in current if a.status == "ended"],
        "describe": describe,
        "pause_message": NEUTRAL_PAUSE_MESSAGE,
        "names": {p.user_id: p.user.display_name for p in couple.partners},
        "can_manage": couple.counselor_id == user.id and user.role == "counselor",
        "button": ButtonForm(),
    }
