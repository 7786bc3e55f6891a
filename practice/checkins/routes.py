import secrets
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import (
    assignment_for_client,
    can_manage_couple,
    client_required,
    counselor_required,
    couple_child,
    couple_for_counselor,
    couple_for_staff,
    own_checkin,
    own_couple,
    staff_required,
    written_by,
)
from ..audit.services import record
from ..clock import local_today, utcnow
from ..content import NEUTRAL_PAUSE_MESSAGE, SIGNS
from ..exercises.assignments import couple_assignments
from ..exercises.models import Assignment
from ..flags.hooks import after_checkin_edited, after_checkin_submitted
from ..forms import ButtonForm
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError
from ..pagination import paginate
from ..panels import panel
from . import bp
from .client_view import (
    SIGNS_EXPLANATION,
    feedback_is_new,
    mark_feedback_seen,
    own_signs_trend,
    reveal_moment,
    today_progress,
)
from .dashboards import client_home, counselor_home, couple_review
from .engagement import QUIET_DAYS
from .forms import (
    SIGN_FIELDS,
    CaseNoteForm,
    CheckInForm,
    FeedbackForm,
    ReplyForm,
    SignsForm,
)
from .models import CaseNote, CheckIn
from .privacy import SharedAnswer, shared_answers_query
from .replies import ReplyRefusedError, add_reply, may_reply, thread
from .review import (
    LIST_ORDER,
    ReviewFilter,
    mark_all_reviewed,
    next_unreviewed,
    unreviewed_among,
    waiting_count,
)
from .services import (
    ForeignTokenError,
    NoSuchOccurrenceError,
    OccurrenceClosedError,
    add_case_note,
    can_edit,
    edit_checkin,
    existing_checkin,
    form_values,
    give_feedback,
    mark_reviewed,
    occurrence_state,
    settled_message,
    submit_checkin,
)

PER_PAGE = 20


def _form_for(kind: str, **kwargs):
    return SignsForm(**kwargs) if kind == "signs" else CheckInForm(**kwargs)


def _sign_rows(form):
    return [(form[name], text) for name, (_key, text) in zip(SIGN_FIELDS, SIGNS, strict=True)]


# ---------------------------------------------------------------- client pages


@bp.route("/me/checkins/<int:assignment_id>/<due>", methods=["GET", "POST"])
@client_required
def new(assignment_id: int, due: str):
    couple = own_couple(current_user)
    assignment = assignment_for_client(current_user, couple, assignment_id)
    due_date = _due_date(due)
    existing = existing_checkin(assignment.id, current_user.id, due_date)
    if existing is not None:
        return redirect(url_for("checkins.mine", checkin_id=existing.id))
    try:
        state = occurrence_state(assignment, couple, due_date)
    except NoSuchOccurrenceError:
        abort(404)
    except OccurrenceClosedError as closed:
        flash(str(closed), "info")
        return redirect(url_for("main.client_home"))
    form = _form_for(assignment.exercise.kind)
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(32)
    if form.validate_on_submit():
        return _submit(assignment, due_date, form)
    return _form_page(form, assignment, due_date, state, None, couple)


def _due_date(due: str) -> date:
    try:
        return date.fromisoformat(due)
    except ValueError:
        abort(404)


def _submit(assignment, due_date: date, form):
    """Save a new check-in once, then send the client where the flag hooks say."""
    if not form.token_ok():
        abort(400)
    try:
        checkin, created = submit_checkin(assignment, current_user, due_date, form.data,
                                          form.token.data)
    except ForeignTokenError:
        abort(400)
    if not created:
        flash("This check-in was already saved. Here it is.", "info")
        return redirect(url_for("checkins.mine", checkin_id=checkin.id))
    next_url = after_checkin_submitted(checkin, bool(form.wants_safety_screen.data))
    flash("Thank you. Your check-in is saved.", "success")
    if next_url is None and reveal_moment(checkin, checkin.couple) is not None:
        next_url = url_for("checkins.mine", checkin_id=checkin.id)  # the reveal moment
    return redirect(next_url or url_for("main.client_home"))


@bp.route("/me/checkins")
@client_required
def history():
    couple = own_couple(current_user)
    page = paginate(
        select(CheckIn).options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
        .where(written_by(current_user))
        .order_by(CheckIn.due_date.desc(), CheckIn.id.desc()), PER_PAGE
    )
    shared = paginate(shared_answers_query(current_user.id, couple.id), PER_PAGE,
                      arg="shared_page", wrap=SharedAnswer)
    return render_template("checkins/history.html", page=page, shared=shared, couple=couple,
                           can_edit=can_edit, trend=own_signs_trend(current_user, couple),
                           trend_explanation=SIGNS_EXPLANATION,
                           new_feedback={c.id for c in page.items if feedback_is_new(c)})


def _mine_page(checkin: CheckIn, reply_form: ReplyForm):
    mark_feedback_seen(checkin, current_user)
    trend = own_signs_trend(current_user, checkin.couple) if checkin.signs_answers else None
    return render_template("checkins/mine.html", checkin=checkin, editable=can_edit(checkin),
                           signs=SIGNS, trend=trend, trend_explanation=SIGNS_EXPLANATION,
                           reveal=reveal_moment(checkin, checkin.couple), replies=thread(checkin),
                           reply_form=reply_form if may_reply(checkin, current_user) else None)


@bp.route("/me/checkins/<int:checkin_id>")
@client_required
def mine(checkin_id: int):
    return _mine_page(own_checkin(current_user, checkin_id), ReplyForm(formdata=None))


@bp.route("/me/checkins/<int:checkin_id>/replies", methods=["POST"])
@client_required
def reply(checkin_id: int):
    """The author's reply to their counselor's feedback; a failed form keeps the text."""
    checkin = own_checkin(current_user, checkin_id)
    if not may_reply(checkin, current_user):  # no form was shown: nothing typed to keep
        flash("You can reply once your counselor has written to you here.", "info")
        return redirect(url_for("checkins.mine", checkin_id=checkin.id))
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            add_reply(checkin, current_user, form.body.data)
        except ReplyRefusedError as refused:
            form.body.errors = [*form.body.errors, str(refused)]
        else:
            flash("Your reply is saved for your counselor.", "success")
            return redirect(url_for("checkins.mine", checkin_id=checkin.id) + "#replies")
    return _mine_page(checkin, form)


@bp.route("/me/checkins/<int:checkin_id>/edit", methods=["GET", "POST"])
@client_required
def edit(checkin_id: int):
    checkin = own_checkin(current_user, checkin_id)
    couple = own_couple(current_user)
    if not can_edit(checkin):
        flash(settled_message(), "info")
        return redirect(url_for("checkins.mine", checkin_id=checkin.id))
    form = _form_for(checkin.assignment.exercise.kind,
                     data=form_values(checkin) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            change = edit_checkin(checkin, form.data, form.version.data)
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: own_checkin(current_user, checkin_id),
                lambda fresh: _edit_page(form, fresh, couple),
                "This check-in changed since you opened it. Your text is still below: "
                "check it and save again.")
        next_url = after_checkin_edited(
            checkin, was_broke_trust=change.was_broke_trust,
            numbers_changed=change.numbers_changed,
            wants_safety_screen=bool(form.wants_safety_screen.data))
        flash("Your changes are saved.", "success")
        return redirect(next_url or url_for("checkins.mine", checkin_id=checkin.id))
    return _edit_page(form, checkin, couple)


def _form_page(form, assignment, due_date, state: str, checkin, couple):
    kind = assignment.exercise.kind
    return render_template("checkins/form.html", form=form, assignment=assignment,
                           due_date=due_date, state=state, kind=kind, checkin=checkin,
                           sign_rows=_sign_rows(form) if kind == "signs" else None,
                           partner=couple.other_partner(current_user.id))


def _edit_page(form, checkin, couple):
    return _form_page(form, checkin.assignment, checkin.due_date, "edit", checkin, couple)


# ---------------------------------------------------------------- counselor review


def _review_filter(couple, assignments, values) -> ReviewFilter:
    return ReviewFilter.read(values, assignments, [p.user_id for p in couple.partners])


@bp.route("/couples/<int:couple_id>/checkins")
@staff_required
def couple_checkins(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    assignments = couple_assignments(couple.id)
    names = {p.user_id: p.user.display_name for p in couple.partners}
    where = _review_filter(couple, assignments, request.args)
    page = paginate(where.query(couple, assignments).order_by(*LIST_ORDER), PER_PAGE)
    record("checkins_viewed", obj=couple, detail=f"page {page.page}")
    return render_template(
        "checkins/couple_list.html", couple=couple, page=page, names=names,
        assignments=assignments, chosen=where.assignment, partner=where.partner,
        unreviewed_only=where.unreviewed, where=where,
        shown_waiting=[c.id for c in page.items if c.reviewed_at is None],
        can_manage=can_manage_couple(current_user, couple),
        button=ButtonForm(),
    )


def _detail_page(couple, checkin, feedback_form, status=200, where=None):
    names = {p.user_id: p.user.display_name for p in couple.partners}
    assignments = couple_assignments(couple.id)
    where = where or _review_filter(couple, assignments, request.args)
    return render_template(
        "checkins/detail.html", couple=couple, checkin=checkin, names=names, signs=SIGNS,
        feedback_form=feedback_form, button=ButtonForm(), replies=thread(checkin), where=where,
        waiting=waiting_count(couple, assignments, where),
        can_manage=can_manage_couple(current_user, couple),
    ), status


@bp.route("/couples/<int:couple_id>/checkins/<int:checkin_id>")
@staff_required
def detail(couple_id: int, checkin_id: int):
    couple = couple_for_staff(current_user, couple_id)
    checkin = couple_child(CheckIn, checkin_id, couple)
    record("checkin_viewed", obj=checkin)
    form = FeedbackForm(data={"version": checkin.version, "feedback": checkin.feedback})
    return _detail_page(couple, checkin, form)


@bp.route("/couples/<int:couple_id>/checkins/next")
@staff_required
def next_waiting(couple_id: int):
    """The first check-in waiting for review within the filter, or the list when none is."""
    couple = couple_for_staff(current_user, couple_id)
    return _to_next(couple, _review_filter(couple, couple_assignments(couple.id), request.args))


def _to_next(couple, where: ReviewFilter):
    waiting = next_unreviewed(couple, couple_assignments(couple.id), where)
    if waiting is None:
        flash("Nothing else is waiting for review here.", "info")
        return redirect(url_for("checkins.couple_checkins", couple_id=couple.id,
                                **where.args()))
    return redirect(url_for("checkins.detail", couple_id=couple.id, checkin_id=waiting.id,
                            **where.args()))


def _after_review(couple, checkin, where: ReviewFilter):
    """Where a review action leads: the next one waiting ("… and next"), the list it came from,
    or the check-in again; always with the list's filter."""
    if request.form.get("and_next"):
        return _to_next(couple, where)
    if request.form.get("back") == "list":
        return redirect(url_for("checkins.couple_checkins", couple_id=couple.id,
                                **where.args()))
    return redirect(url_for("checkins.detail", couple_id=couple.id, checkin_id=checkin.id,
                            **where.args()))


@bp.route("/couples/<int:couple_id>/checkins/<int:checkin_id>/review", methods=["POST"])
@counselor_required
def review(couple_id: int, checkin_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    checkin = couple_child(CheckIn, checkin_id, couple)
    if not ButtonForm().validate_on_submit():
        abort(400)
    mark_reviewed(checkin, current_user)
    record("checkin_reviewed", obj=checkin)
    flash("Marked as reviewed.", "success")
    return _after_review(couple, checkin,
                         _review_filter(couple, couple_assignments(couple.id), request.form))


@bp.route("/couples/<int:couple_id>/checkins/review-shown", methods=["POST"])
@counselor_required
def review_shown(couple_id: int):
    """Mark the check-ins shown on a list page as reviewed, after a confirmation naming how
    many."""
    couple = couple_for_counselor(current_user, couple_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    where = _review_filter(couple, couple_assignments(couple.id), request.form)
    ids = [int(v) for v in request.form.getlist("checkin") if v.isdigit() and len(v) < 10]
    checkins = unreviewed_among(couple, ids)
    if not request.form.get("confirmed") and checkins:
        names = {p.user_id: p.user.display_name for p in couple.partners}
        return render_template("checkins/review_shown.html", couple=couple, checkins=checkins,
                               names=names, where=where)
    count = mark_all_reviewed(checkins, current_user)
    for checkin in checkins:
        record("checkin_reviewed", obj=checkin, detail="with the others shown")
    flash(f"{count} check-in{'' if count == 1 else 's'} marked as reviewed.", "success")
    return redirect(url_for("checkins.couple_checkins", couple_id=couple.id,
                            **where.args(page=False)))


@bp.route("/couples/<int:couple_id>/checkins/<int:checkin_id>/feedback", methods=["POST"])
@counselor_required
def feedback(couple_id: int, checkin_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    checkin = couple_child(CheckIn, checkin_id, couple)
    where = _review_filter(couple, couple_assignments(couple.id), request.form)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _detail_page(couple, checkin, form, 200, where)
    try:
        give_feedback(checkin, current_user, form.feedback.data, form.version.data)
    except EditConflictError:
        return edit_conflict_page(
            form, lambda: couple_child(CheckIn, checkin_id,
                                       couple_for_counselor(current_user, couple_id)),
            lambda fresh: _detail_page(fresh.couple, fresh, form, where=where),
            "This check-in changed while you were writing (new feedback or an edit by the "
            "client). Your text is kept below: read the latest version, then send again.")
    record("checkin_feedback", obj=checkin)
    flash("Feedback sent. The client sees it with their check-in.", "success")
    return _after_review(couple, checkin, where)


@bp.route("/couples/<int:couple_id>/notes", methods=["GET", "POST"])
@staff_required
def notes(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    can_manage = can_manage_couple(current_user, couple)
    form = CaseNoteForm()
    if request.method == "POST":
        couple = couple_for_counselor(current_user, couple_id)
        if form.validate_on_submit():
            add_case_note(couple, current_user, form.note_date.data, form.body.data)
            record("case_note_added", obj=couple)
            flash("Note saved.", "success")
            return redirect(url_for("checkins.notes", couple_id=couple.id))
    elif can_manage:
        form.note_date.data = local_today(couple.timezone)
    page = paginate(
        select(CaseNote).options(joinedload(CaseNote.author))
        .where(CaseNote.couple_id == couple.id)
        .order_by(CaseNote.note_date.desc(), CaseNote.id.desc()), PER_PAGE
    )
    record("case_notes_viewed", obj=couple)
    return render_template("checkins/notes.html", couple=couple, page=page, form=form,
                           can_manage=can_manage)


# ---------------------------------------------------------------- panels


@panel("client_home", "checkins/_client_panel.html", order=10)
def client_home_panel(user, couple):
    context = client_home(user, couple)
    return {**context, **today_progress(user, couple),
            "new_feedback": {c.id for c in context["feedback"] if feedback_is_new(c)}}


@panel("couple", "checkins/_couple_panel.html", order=30)
def couple_panel(user, couple):
    return couple_review(user, couple)


@panel("counselor_home", "checkins/_counselor_panel.html", order=20)
def counselor_panel(user):
    return {"page": paginate(counselor_home(user), PER_PAGE, arg="homework_page"),
            "quiet_days": QUIET_DAYS, "now": utcnow(), "pause_message": NEUTRAL_PAUSE_MESSAGE}

