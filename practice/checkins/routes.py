import secrets
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..access import (
    client_required,
    counselor_required,
    couple_for_counselor,
    couple_for_staff,
    own_couple,
    staff_required,
)
from ..audit.services import record
from ..clock import local_today, utcnow
from ..content import NEUTRAL_PAUSE_MESSAGE, SIGN_RATINGS, SIGNS
from ..exercises.assignments import chain_of, couple_assignments
from ..exercises.models import Assignment
from ..extensions import db
from ..flags.hooks import after_checkin_edited, after_checkin_submitted
from ..modelbase import EditConflictError
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
from .forms import (
    SIGN_FIELDS,
    ButtonForm,
    CaseNoteForm,
    CheckInForm,
    FeedbackForm,
    ReplyForm,
    SignsForm,
)
from .models import CaseNote, CheckIn
from .privacy import shared_answers, shared_answers_count
from .replies import ReplyRefusedError, add_reply, may_reply, thread
from .services import (
    OccurrenceClosedError,
    add_case_note,
    assignment_for_client,
    can_edit,
    checkin_for_staff,
    edit_checkin,
    existing_checkin,
    give_feedback,
    mark_reviewed,
    occurrence_state,
    own_checkin,
    submit_checkin,
)

PER_PAGE = 20
MAX_PAGE = 100_000


def _page_arg(name: str = "page") -> int:
    """A page number from the query string, 1 when missing or below 1, capped so the SQL
    offset stays a number the database can hold."""
    return min(max(request.args.get(name, 1, type=int) or 1, 1), MAX_PAGE)


def _paginate(query):
    """One page of `query`; a page number past the end shows the last page."""
    page = db.paginate(query, page=_page_arg(), per_page=PER_PAGE, error_out=False)
    if page.page > page.pages > 0:
        page = db.paginate(query, page=page.pages, per_page=PER_PAGE, error_out=False)
    return page


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
    try:
        due_date = date.fromisoformat(due)
    except ValueError:
        abort(404)
    existing = existing_checkin(assignment.id, current_user.id, due_date)
    if existing is not None:
        return redirect(url_for("checkins.mine", checkin_id=existing.id))
    try:
        state = occurrence_state(assignment, couple, due_date)
    except OccurrenceClosedError as closed:
        flash(str(closed), "info")
        return redirect(url_for("main.client_home"))
    kind = assignment.exercise.kind
    form = _form_for(kind)
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(32)
    if form.validate_on_submit():
        if not form.token_ok():
            abort(400)
        checkin, created = submit_checkin(assignment, current_user, due_date, form.data,
                                          form.token.data)
        if not created:
            flash("This check-in was already saved. Here it is.", "info")
            return redirect(url_for("checkins.mine", checkin_id=checkin.id))
        next_url = after_checkin_submitted(checkin, bool(form.wants_safety_screen.data))
        flash("Thank you. Your check-in is saved.", "success")
        if next_url is None and reveal_moment(checkin, couple) is not None:
            next_url = url_for("checkins.mine", checkin_id=checkin.id)  # the reveal moment
        return redirect(next_url or url_for("main.client_home"))
    return render_template("checkins/form.html", form=form, assignment=assignment,
                           due_date=due_date, state=state, kind=kind, checkin=None,
                           sign_rows=_sign_rows(form) if kind == "signs" else None,
                           partner=couple.other_partner(current_user.id))


@bp.route("/me/checkins")
@client_required
def history():
    couple = own_couple(current_user)
    page = _paginate(
        select(CheckIn).options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
        .where(CheckIn.partner_id == current_user.id)
        .order_by(CheckIn.due_date.desc(), CheckIn.id.desc())
    )
    shared_page = _page_arg("shared_page")
    shared = shared_answers(current_user.id, couple.id, limit=PER_PAGE,
                            offset=(shared_page - 1) * PER_PAGE)
    shared_total = shared_answers_count(current_user.id, couple.id)
    return render_template("checkins/history.html", page=page, shared=shared,
                           shared_page=shared_page, shared_total=shared_total,
                           per_page=PER_PAGE, couple=couple, can_edit=can_edit,
                           trend=own_signs_trend(current_user, couple),
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
        hours = current_app.config.get("CHECKIN_EDIT_HOURS", 48)
        flash(f"Check-ins can be changed for {hours} hours after sending. This one is now "
              "settled; you can add anything new in your next check-in.", "info")
        return redirect(url_for("checkins.mine", checkin_id=checkin.id))
    kind = checkin.assignment.exercise.kind
    form = _form_for(kind)
    if request.method == "GET":
        form.version.data = checkin.version
        form.reflection.data = checkin.reflection
        form.private_note.data = checkin.private_note
        form.broke_trust.data = checkin.broke_trust
        if kind == "signs":
            labels = {v: k for k, _l, v in SIGN_RATINGS}
            for key, _text in SIGNS:
                form[f"sign_{key}"].data = labels.get((checkin.signs_answers or {}).get(key))
        else:
            form.outcome.data = checkin.outcome
            form.closeness.data = str(checkin.closeness) if checkin.closeness else None
            form.share_with_partner.data = checkin.share_with_partner
    if form.validate_on_submit():
        before = (checkin.broke_trust, checkin.closeness, checkin.signs_score)
        try:
            edit_checkin(checkin, form.data, form.version.data)
        except (EditConflictError, StaleDataError):
            db.session.rollback()
            checkin = own_checkin(current_user, checkin_id)
            form.version.data = checkin.version
            flash("This check-in changed since you opened it. Your text is still below: "
                  "check it and save again.", "error")
            return render_template("checkins/form.html", form=form,
                                   assignment=checkin.assignment, due_date=checkin.due_date,
                                   state="edit", kind=kind, checkin=checkin,
                                   sign_rows=_sign_rows(form) if kind == "signs" else None,
                                   partner=couple.other_partner(current_user.id)), 409
        next_url = after_checkin_edited(
            checkin, was_broke_trust=before[0],
            numbers_changed=before[1:] != (checkin.closeness, checkin.signs_score),
            wants_safety_screen=bool(form.wants_safety_screen.data))
        flash("Your changes are saved.", "success")
        return redirect(next_url or url_for("checkins.mine", checkin_id=checkin.id))
    return render_template("checkins/form.html", form=form, assignment=checkin.assignment,
                           due_date=checkin.due_date, state="edit", kind=kind, checkin=checkin,
                           sign_rows=_sign_rows(form) if kind == "signs" else None,
                           partner=couple.other_partner(current_user.id))


# ---------------------------------------------------------------- counselor review


@bp.route("/couples/<int:couple_id>/checkins")
@staff_required
def couple_checkins(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    assignments = couple_assignments(couple.id)
    query = (select(CheckIn)
             .options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
             .where(CheckIn.couple_id == couple.id))
    chosen = request.args.get("assignment", type=int)
    chosen_row = next((a for a in assignments if a.id == chosen), None)
    if chosen_row is not None:
        rows = chain_of(chosen_row, assignments)
        later = [a for a in assignments if a.previous_id in {r.id for r in rows}]
        while later:
            rows += later
            later = [a for a in assignments if a.previous_id in {r.id for r in later}]
        query = query.where(CheckIn.assignment_id.in_([r.id for r in rows]))
    partner = request.args.get("partner", type=int)
    names = {p.user_id: p.user.display_name for p in couple.partners}
    if partner in names:
        query = query.where(CheckIn.partner_id == partner)
    else:
        partner = None
    if request.args.get("unreviewed"):
        query = query.where(CheckIn.reviewed_at.is_(None))
    page = _paginate(query.order_by(CheckIn.due_date.desc(), CheckIn.id.desc()))
    record("checkins_viewed", obj=couple, detail=f"page {page.page}")
    return render_template(
        "checkins/couple_list.html", couple=couple, page=page, names=names,
        assignments=assignments, chosen=chosen_row, partner=partner,
        unreviewed_only=bool(request.args.get("unreviewed")),
        can_manage=couple.counselor_id == current_user.id and current_user.role == "counselor",
        button=ButtonForm(),
    )


def _detail_page(couple, checkin, feedback_form, status=200):
    names = {p.user_id: p.user.display_name for p in couple.partners}
    return render_template(
        "checkins/detail.html", couple=couple, checkin=checkin, names=names, signs=SIGNS,
        feedback_form=feedback_form, button=ButtonForm(), replies=thread(checkin),
        can_manage=couple.counselor_id == current_user.id and current_user.role == "counselor",
    ), status


@bp.route("/couples/<int:couple_id>/checkins/<int:checkin_id>")
@staff_required
def detail(couple_id: int, checkin_id: int):
    couple = couple_for_staff(current_user, couple_id)
    checkin = checkin_for_staff(couple, checkin_id)
    record("checkin_viewed", obj=checkin)
    form = FeedbackForm(data={"version": checkin.version, "feedback": checkin.feedback})
    return _detail_page(couple, checkin, form)


@bp.route("/couples/<int:couple_id>/checkins/<int:checkin_id>/review", methods=["POST"])
@counselor_required
def review(couple_id: int, checkin_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    checkin = checkin_for_staff(couple, checkin_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    mark_reviewed(checkin, current_user)
    record("checkin_reviewed", obj=checkin)
    flash("Marked as reviewed.", "success")
    back = request.form.get("back")
    if back == "list":
        return redirect(url_for("checkins.couple_checkins", couple_id=couple.id))
    return redirect(url_for("checkins.detail", couple_id=couple.id, checkin_id=checkin.id))


@bp.route("/couples/<int:couple_id>/checkins/<int:checkin_id>/feedback", methods=["POST"])
@counselor_required
def feedback(couple_id: int, checkin_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    checkin = checkin_for_staff(couple, checkin_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _detail_page(couple, checkin, form, 200)
    try:
        give_feedback(checkin, current_user, form.feedback.data, form.version.data)
    except (EditConflictError, StaleDataError):
        db.session.rollback()
        couple = couple_for_counselor(current_user, couple_id)
        checkin = checkin_for_staff(couple, checkin_id)
        form.version.data = checkin.version
        flash("This check-in changed while you were writing (new feedback or an edit by the "
              "client). Your text is kept below: read the latest version, then send again.",
              "error")
        return _detail_page(couple, checkin, form, 409)
    record("checkin_feedback", obj=checkin)
    flash("Feedback sent. The client sees it with their check-in.", "success")
    return redirect(url_for("checkins.detail", couple_id=couple.id, checkin_id=checkin.id))


@bp.route("/couples/<int:couple_id>/notes", methods=["GET", "POST"])
@staff_required
def notes(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    can_manage = couple.counselor_id == current_user.id and current_user.role == "counselor"
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
    page = _paginate(
        select(CaseNote).options(joinedload(CaseNote.author))
        .where(CaseNote.couple_id == couple.id)
        .order_by(CaseNote.note_date.desc(), CaseNote.id.desc())
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
    rows = counselor_home(user)
    page = _page_arg("homework_page")
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(page, pages)
    return {"rows": rows[(page - 1) * PER_PAGE: page * PER_PAGE], "page": page,
            "pages": pages, "now": utcnow(), "pause_message": NEUTRAL_PAUSE_MESSAGE}



def _register_demo() -> None:
    from ..demo import DEMO_EXTENSIONS
    from .demo import seed_homework

    if seed_homework not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(seed_homework)


_register_demo()
