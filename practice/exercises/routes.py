from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import (
    can_edit_exercise,
    can_manage_couple,
    can_write_exercises,
    counselor_required,
    couple_child,
    couple_for_counselor,
    couple_for_staff,
    exercise_for,
    exercise_to_edit,
    is_own_exercise,
    staff_required,
    visible_exercises,
)
from ..clock import local_today
from ..content import NEUTRAL_PAUSE_MESSAGE, SITUATIONS
from ..extensions import db
from ..flags.holds import open_harm_flag
from ..forms import ButtonForm
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError
from ..pagination import paginate
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
    form_values,
    pause_assignment,
    resume_assignment,
    set_joint_work_paused,
)
from .cards import adapted_instructions, exercise_cards, open_flag_situations, proposal
from .forms import AssignmentForm, ExerciseForm
from .models import Assignment, AssignmentEvent, Exercise
from .schedule import CADENCE_LABELS
from .services import copy_exercise, create_exercise, filter_by_situation, update_exercise

PER_PAGE = 20


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
    page = paginate(filter_by_situation(list(exercises), situation), PER_PAGE)
    return render_template(
        "exercises/index.html", page=page, situations=SITUATIONS, situation=situation,
        cadences=CADENCE_LABELS, can_write=can_write_exercises(current_user),
        own_ids={e.id for e in page.items if is_own_exercise(current_user, e)},
    )


@bp.route("/exercises/<int:exercise_id>")
@staff_required
def detail(exercise_id: int):
    exercise = exercise_for(current_user, exercise_id)
    return render_template("exercises/detail.html", exercise=exercise, situations=SITUATIONS,
                           cadences=CADENCE_LABELS, button=ButtonForm(),
                           can_write=can_write_exercises(current_user),
                           can_edit=can_edit_exercise(current_user, exercise))


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
            update_exercise(exercise, form.data, form.version.data)
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: exercise_to_edit(current_user, exercise_id),
                lambda fresh: render_template("exercises/form.html", form=form, exercise=fresh),
                "Someone changed this exercise while you were editing. Your text is still in "
                "the form: check it and save again.")
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


def _superseded(couple, assignment: Assignment, *, editing: bool = False):
    """A row continued by a later one is history: changes go to the current row. An ended
    assignment is not edited either (it is assigned again instead). Else None."""
    successor = db.session.scalar(select(Assignment).where(Assignment.previous_id == assignment.id))
    if successor is not None:
        flash("This schedule was changed since; here is the current one.", "info")
        return redirect(url_for("exercises.assignment_detail", couple_id=couple.id,
                                assignment_id=successor.id))
    if editing and assignment.status == "ended":
        flash("This assignment has ended. Assign the exercise again to restart it.", "info")
        return redirect(url_for("exercises.assignment_detail", couple_id=couple.id,
                                assignment_id=assignment.id))
    return None


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
    chosen = request.args.get("exercise", type=int)
    exercise = next((e for e in exercises if e.id == chosen), None)
    if request.method == "GET":
        form.start_date.data = local_today(couple.timezone)
        form.who.data = "both"
        if exercise is not None:
            for name, value in proposal(couple, exercise).items():
                form[name].data = value
    if form.validate_on_submit():
        exercise = exercise_for(current_user, form.exercise_id.data)
        data = form.service_data()
        data["instructions"] = adapted_instructions(
            form.instructions.data, exercise,
            next((e for e in exercises if str(e.id) == form.instructions_from.data), None))
        try:
            assign(couple, exercise, current_user, data)
        except ScheduleError as error:
            _form_errors_from(form, error)
        else:
            flash(f"{exercise.title} assigned.", "success")
            return redirect(url_for("couples.detail", couple_id=couple.id))
    situation = request.args.get("situation")
    open_situations = open_flag_situations(couple)
    return render_template(
        "exercises/assign.html", form=form, couple=couple, assignment=None,
        cards=exercise_cards(exercises, situation, open_situations), chosen=exercise,
        situation=situation if situation in SITUATIONS or situation == "flags" else None,
        open_situations=open_situations, situations=SITUATIONS, cadences=CADENCE_LABELS,
        cards_all=exercises, suggested={e.id: e.suggested_cadence for e in exercises},
        harm_hold=open_harm_flag(couple.id))


@bp.route("/couples/<int:couple_id>/assignments/<int:assignment_id>")
@staff_required
def assignment_detail(couple_id: int, assignment_id: int):
    couple = couple_for_staff(current_user, couple_id)
    assignment = couple_child(Assignment, assignment_id, couple)
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
        can_manage=can_manage_couple(current_user, couple),
    )


@bp.route("/couples/<int:couple_id>/assignments/<int:assignment_id>/edit",
          methods=["GET", "POST"])
@counselor_required
def assignment_edit(couple_id: int, assignment_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    assignment = couple_child(Assignment, assignment_id, couple)
    superseded = _superseded(couple, assignment, editing=True)
    if superseded is not None:
        return superseded
    form = AssignmentForm(partners=couple.partner_users,
                          data=form_values(assignment) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            row = edit_assignment(assignment, current_user, form.service_data(),
                                  form.version.data)
        except ScheduleError as error:
            _form_errors_from(form, error)
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: couple_child(Assignment, assignment_id,
                                           couple_for_counselor(current_user, couple_id)),
                lambda fresh: render_template("exercises/assign.html", form=form,
                                              couple=fresh.couple, assignment=fresh,
                                              harm_hold=open_harm_flag(fresh.couple_id)),
                "Someone changed this assignment while you were editing. Your changes are "
                "still in the form: check them and save again.")
        else:
            flash("Saved. The changes apply from the next occurrence on.", "success")
            return redirect(url_for("exercises.assignment_detail", couple_id=couple.id,
                                    assignment_id=row.id))
    return render_template("exercises/assign.html", form=form, couple=couple,
                           assignment=assignment, harm_hold=open_harm_flag(couple.id))


def _state_change(couple_id: int, assignment_id: int, action, message: str):
    couple = couple_for_counselor(current_user, couple_id)
    assignment = couple_child(Assignment, assignment_id, couple)
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
        "can_manage": can_manage_couple(user, couple),
        "button": ButtonForm(),
    }
