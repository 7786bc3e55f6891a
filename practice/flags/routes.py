"""Flag pages for staff, the private safety screen and safety page for clients, and panels."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import (
    can_manage_couple,
    child_of,
    client_required,
    counselor_required,
    couple_child,
    couple_for_counselor,
    couple_for_staff,
    couples_in_scope,
    own_checkin,
    own_completed_screen,
    own_couple,
    staff_required,
)
from ..appointments.services import appointment_ics
from ..audit.services import record
from ..auth.models import User
from ..checkins.models import CheckIn
from ..clock import to_local
from ..content import (
    BUILTIN_EXERCISES,
    SAFETY_AUDIENCE,
    SAFETY_DEFERRED_MESSAGE,
    SAFETY_FREE_TEXT_LABEL,
    SAFETY_PAGE_TEXT,
    SAFETY_PRIVACY_QUESTION,
    SAFETY_QUESTIONS,
    SAFETY_SCREEN_INTRO,
    SITUATION_DESCRIPTIONS,
    SITUATIONS,
    SUGGESTED_EXERCISES,
)
from ..couples.models import Couple
from ..exercises.models import Exercise
from ..extensions import db
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError
from ..pagination import paginate
from ..panels import panel
from ..templating import practice_settings
from . import bp
from .escalation import escalated_clause, is_escalated
from .forms import (
    FlagForm,
    IntervalForm,
    OutcomeForm,
    PrivacyForm,
    ScreenForm,
    SessionForm,
    TransitionForm,
)
from .holds import may_offer_resume, resume_after_resolving, shared_work_state
from .models import Flag, FocusedSession, SafetyScreen
from .rules import RULE_LABELS
from .services import (
    STATUS_LABELS,
    TRANSITION_LABELS,
    FlagError,
    allowed_transitions,
    change_status,
    claim_screen_token,
    client_sessions,
    complete_screen,
    defer_screen,
    flag_history,
    issue_screen_token,
    raise_flag,
    record_outcome,
    schedule_session,
    screen_context,
    screen_due,
    session_proposal,
    set_screen_interval,
    sort_flags,
)

BUILTINS = {exercise.slug: exercise for exercise in BUILTIN_EXERCISES}
JUST_ANSWERED = "screen_just_answered"  # the screen id, read once by the safety page
CONFLICT = ("Someone else changed this flag while you were working on it. Your text is kept "
            "below: check the history, then save again.")


def _labels() -> dict:
    return {"situations": SITUATIONS, "rule_labels": RULE_LABELS}


@bp.app_template_filter("flag_status")
def flag_status(status: str) -> str:
    """A flag status as every page names it, for every role (flags.services.STATUS_LABELS)."""
    return STATUS_LABELS.get(status, status)


# ---------------------------------------------------------------------------
# Loaders: every record through its couple, the couple through access.py
# ---------------------------------------------------------------------------


def _flag(couple_id: int, flag_id: int, write: bool = False) -> tuple[Couple, Flag]:
    loader = couple_for_counselor if write else couple_for_staff
    couple = loader(current_user, couple_id)
    return couple, couple_child(Flag, flag_id, couple)


def _session(flag: Flag, couple: Couple, session_id: int) -> FocusedSession:
    return child_of(couple_child(FocusedSession, session_id, couple), flag.id, "flag_id")


def _session_to_write(couple_id: int, flag_id: int, session_id: int) -> FocusedSession:
    couple, flag = _flag(couple_id, flag_id, write=True)
    return _session(flag, couple, session_id)


# ---------------------------------------------------------------------------
# Staff: raising, reading and working a flag
# ---------------------------------------------------------------------------


@bp.route("/couples/<int:couple_id>/flags/new", methods=["GET", "POST"])
@counselor_required
def new(couple_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    checkin = None
    checkin_id = request.args.get("checkin_id", type=int)
    if "checkin_id" in request.args:
        if checkin_id is None:
            abort(404)
        checkin = couple_child(CheckIn, checkin_id, couple)
    form = FlagForm()
    form.partner_id.choices = [("", "The couple as a whole")] + [
        (str(p.user_id), p.user.display_name) for p in couple.partners
    ]
    if request.method == "GET" and checkin is not None:
        form.partner_id.data = str(checkin.partner_id)
    if form.validate_on_submit():
        flag = raise_flag(
            couple, form.category.data, form.severity.data, form.description.data, "counselor",
            partner=int(form.partner_id.data) if form.partner_id.data else None,
            checkin=checkin, actor=current_user,
        )
        flash("Flag raised.", "success")
        return redirect(url_for("flags.detail", couple_id=couple.id, flag_id=flag.id))
    return render_template("flags/new.html", couple=couple, form=form, checkin=checkin)


def _render_detail(couple, flag, *, error_for=None, error=None, typed_note=None, status=200,
                   error_field="to_status", keep_typed=False):
    record("flag_viewed", obj=flag)
    screen = flag.screen
    if screen is not None:
        record("safety_screen_viewed", obj=screen)
    sessions = list(
        db.session.scalars(
            select(FocusedSession).where(FocusedSession.flag_id == flag.id)
            .order_by(FocusedSession.starts_at)
        )
    )
    slugs = SUGGESTED_EXERCISES.get(flag.category, [])
    exercises = {
        e.slug: e for e in db.session.scalars(select(Exercise).where(Exercise.slug.in_(slugs)))
    } if slugs else {}
    form = None
    if allowed_transitions(flag):
        form = TransitionForm(formdata=None)
        form.to_status.choices = [(t, TRANSITION_LABELS[t]) for t in allowed_transitions(flag)]
        form.version.data = flag.version
        if error or keep_typed:
            form.to_status.data = error_for if error_for in allowed_transitions(flag) else None
            form.note.data = typed_note
        if error:
            form[error_field].errors = [error]
    can_manage = can_manage_couple(current_user, couple)
    return render_template(
        "flags/detail.html",
        couple=couple,
        flag=flag,
        history=flag_history(flag),
        screen=screen,
        questions=SAFETY_QUESTIONS,
        sessions=sessions,
        suggested=[(slug, exercises.get(slug) or BUILTINS.get(slug)) for slug in slugs],
        situation_description=SITUATION_DESCRIPTIONS.get(flag.category),
        form=form if can_manage else None,
        can_manage=can_manage,
        escalated=is_escalated(flag, practice_settings()),
        shared_work=shared_work_state(flag),
        offer_resume=can_manage and may_offer_resume(flag),
        **_labels(),
    ), status


@bp.route("/couples/<int:couple_id>/flags/<int:flag_id>")
@staff_required
def detail(couple_id: int, flag_id: int):
    couple, flag = _flag(couple_id, flag_id)
    return _render_detail(couple, flag)


@bp.route("/couples/<int:couple_id>/flags/<int:flag_id>/status", methods=["POST"])
@counselor_required
def transition(couple_id: int, flag_id: int):
    couple, flag = _flag(couple_id, flag_id, write=True)
    form = TransitionForm()
    if not form.validate_on_submit():
        if form.note.errors and not form.to_status.errors:
            return _render_detail(couple, flag, error_for=form.to_status.data,
                                  error=form.note.errors[0], typed_note=form.note.data,
                                  error_field="note")
        return _render_detail(couple, flag, error_for=form.to_status.data,
                              error="Choose the new status.",
                              typed_note=form.note.data)
    offer_resume = may_offer_resume(flag)
    try:
        change_status(flag, form.to_status.data, current_user, form.note.data,
                      version=form.version.data)
    except FlagError as error:
        return _render_detail(couple, flag, error_for=form.to_status.data, error=str(error),
                              typed_note=form.note.data, error_field=error.field or "to_status")
    except EditConflictError:
        return edit_conflict_page(
            form, lambda: _flag(couple_id, flag_id, write=True)[1],
            lambda fresh: _render_detail(fresh.couple, fresh, error_for=form.to_status.data,
                                         typed_note=form.note.data, keep_typed=True),
            CONFLICT)
    flash(f"Flag is now: {STATUS_LABELS[flag.status].lower()}.", "success")
    if offer_resume:
        _resume_answer(flag, form.resume_shared.data)
    return redirect(url_for("flags.detail", couple_id=couple.id, flag_id=flag.id))


# ---------------------------------------------------------------------------
# Focused sessions
# ---------------------------------------------------------------------------


@bp.route("/couples/<int:couple_id>/flags/<int:flag_id>/sessions/new", methods=["GET", "POST"])
@counselor_required
def session_new(couple_id: int, flag_id: int):
    couple, flag = _flag(couple_id, flag_id, write=True)
    if flag.status == "resolved":
        flash("This flag is resolved. Reopen it to schedule a focused session.", "info")
        return redirect(url_for("flags.detail", couple_id=couple.id, flag_id=flag.id))
    form = SessionForm(partners=couple.partner_users,
                       data=session_proposal(flag) if request.method == "GET" else None)
    if request.method == "GET":
        record("flag_viewed", obj=flag, detail="session form")
    if form.validate_on_submit():
        try:
            session = schedule_session(flag, current_user, **form.session_data())
        except FlagError as error:
            form.attach(error)
        else:
            flash(f"Focused session scheduled for "
                  f"{to_local(session.starts_at, couple.timezone):%d %b %Y, %H:%M}.", "success")
            return redirect(url_for("flags.detail", couple_id=couple.id, flag_id=flag.id))
    return render_template("flags/session_new.html", couple=couple, flag=flag, form=form,
                           **_labels())


@bp.route("/couples/<int:couple_id>/flags/<int:flag_id>/sessions/<int:session_id>/outcome",
          methods=["GET", "POST"])
@counselor_required
def session_outcome(couple_id: int, flag_id: int, session_id: int):
    session = _session_to_write(couple_id, flag_id, session_id)
    flag, couple = session.flag, session.flag.couple
    form = OutcomeForm()
    offer_resume = may_offer_resume(flag)
    if request.method == "GET":
        record("flag_viewed", obj=flag, detail="session outcome form")
        form.version.data = session.version
        form.outcome.data = session.outcome
    if form.validate_on_submit():
        try:
            record_outcome(session, current_user, form.outcome.data,
                           resolve=form.next_step.data == "resolve",
                           resolution_note=form.resolution_note.data, version=form.version.data)
        except FlagError as error:
            target = form[error.field or "resolution_note"]
            target.errors = [*target.errors, str(error)]
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: _session_to_write(couple_id, flag_id, session_id),
                lambda fresh: _outcome_page(fresh.flag.couple, fresh.flag, fresh, form),
                CONFLICT)
        else:
            flash("Outcome saved.", "success")
            if offer_resume:
                _resume_answer(flag, form.resume_shared.data)
            return redirect(url_for("flags.detail", couple_id=couple.id, flag_id=flag.id))
    return _outcome_page(couple, flag, session, form)


def _outcome_page(couple, flag, session, form):
    return render_template("flags/session_outcome.html", couple=couple, flag=flag,
                           session=session, form=form,
                           offer_resume=may_offer_resume(flag), **_labels())


def _resume_answer(flag: Flag, answer: str | None) -> None:
    """The counselor's answer, on resolving a harm flag, to whether shared homework resumes."""
    if resume_after_resolving(flag, current_user, answer == "resume"):
        flash("Shared homework has resumed.", "success")
    elif flag.status == "resolved":
        flash("Shared homework stays paused. Resume it from the couple's page when it is "
              "safe.", "info")


@bp.route("/couples/<int:couple_id>/flags/<int:flag_id>/sessions/<int:session_id>.ics")
@staff_required
def session_ics(couple_id: int, flag_id: int, session_id: int):
    """A calendar file. It names the couple and the kind of session, never the flag or agenda:
    calendar entries travel to phones and shared calendars."""
    couple, flag = _flag(couple_id, flag_id)
    session = _session(flag, couple, session_id)
    record("focused_session_downloaded", obj=session)
    return Response(
        appointment_ics(session, couple),
        mimetype="text/calendar",
        headers={"Content-Disposition":
                 f'attachment; filename="focused-session-{session.id}.ics"'},
    )


# ---------------------------------------------------------------------------
# Safety screens, staff side
# ---------------------------------------------------------------------------


@bp.route("/couples/<int:couple_id>/safety-screens/<int:screen_id>")
@staff_required
def screen_detail(couple_id: int, screen_id: int):
    couple = couple_for_staff(current_user, couple_id)
    screen = couple_child(SafetyScreen, screen_id, couple)
    record("safety_screen_viewed", obj=screen)
    partner = screen.partner
    flag = db.session.scalar(select(Flag).where(Flag.screen_id == screen.id).limit(1))
    return render_template("flags/screen_detail.html", couple=couple, screen=screen,
                           partner=partner, flag=flag, questions=SAFETY_QUESTIONS)


@bp.route("/couples/<int:couple_id>/safety-screens/interval", methods=["POST"])
@counselor_required
def screen_interval(couple_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    form = IntervalForm()
    if not form.validate_on_submit():
        for error in form.screen_interval_days.errors:
            flash(f"Screening interval not saved: {error}", "error")
        return redirect(url_for("couples.detail", couple_id=couple.id) + "#flags")
    try:
        set_screen_interval(couple, form.screen_interval_days.data, current_user,
                            version=form.version.data)
    except EditConflictError:
        db.session.rollback()
        flash("Someone else changed this couple meanwhile. Check the interval and save again.",
              "error")
        return redirect(url_for("couples.detail", couple_id=couple_id) + "#flags")
    flash(f"Each partner is now invited to the private check every "
          f"{couple.screen_interval_days} days.", "success")
    return redirect(url_for("couples.detail", couple_id=couple.id) + "#flags")


# ---------------------------------------------------------------------------
# Clients: the private safety screen and the safety page
# ---------------------------------------------------------------------------


def _screen_context(couple) -> tuple[str, CheckIn | None]:
    """'checkin' (with the client's own check-in) or first_login/scheduled from their history."""
    source = request.form if request.method == "POST" else request.args
    if source.get("context") == "checkin" or source.get("checkin_id"):
        try:
            checkin_id = int(source.get("checkin_id", ""))
        except ValueError:
            abort(404)
        return "checkin", own_checkin(current_user, checkin_id)
    return screen_context(current_user, couple), None


def _questions_form(context: str, checkin) -> ScreenForm:
    form = ScreenForm(formdata=None)
    form.token.data = issue_screen_token(current_user)
    form.context.data = context
    form.checkin_id.data = checkin.id if checkin else ""
    return form


def _render_questions(form):
    return render_template(
        "flags/screen_questions.html", form=form, intro=SAFETY_SCREEN_INTRO,
        question_fields=[form[f"q_{key}"] for key, _ in SAFETY_QUESTIONS],
        note_label=SAFETY_FREE_TEXT_LABEL, audience=SAFETY_AUDIENCE,
    )


@bp.route("/me/safety-check", methods=["GET", "POST"])
@client_required
def screen():
    couple = own_couple(current_user)
    context, checkin = _screen_context(couple)
    form = PrivacyForm()
    form.private.label.text = SAFETY_PRIVACY_QUESTION
    if form.validate_on_submit():
        if form.private.data == "no":
            defer_screen(current_user, couple, context, checkin)
            # A plain page to land on: reloading it records nothing more.
            return redirect(url_for("flags.screen_later"))
        # Redirect to a plain page: Back after a quick exit then asks for a password instead
        # of resending this form.
        where = {"context": "checkin", "checkin_id": checkin.id} if checkin else {}
        return redirect(url_for("flags.screen_questions", **where))
    return render_template("flags/screen_privacy.html", form=form, intro=SAFETY_SCREEN_INTRO,
                           question=SAFETY_PRIVACY_QUESTION, context=context,
                           checkin=checkin)


@bp.route("/me/safety-check/later")
@client_required
def screen_later():
    own_couple(current_user)
    return render_template("flags/screen_deferred.html", message=SAFETY_DEFERRED_MESSAGE)


@bp.route("/me/safety-check/questions")
@client_required
def screen_questions():
    couple = own_couple(current_user)
    context, checkin = _screen_context(couple)
    return _render_questions(_questions_form(context, checkin))


@bp.route("/me/safety-check/answers", methods=["POST"])
@client_required
def screen_answers():
    couple = own_couple(current_user)
    context, checkin = _screen_context(couple)
    form = ScreenForm()
    if not form.validate_on_submit():
        return _render_questions(form)
    claimed = claim_screen_token(current_user, form.token.data)
    if claimed is None:
        form.token.data = issue_screen_token(current_user)
        flash("Those answers could not be matched to this page. They were not saved: please "
              "answer again.", "error")
        return _render_questions(form)
    if claimed:
        answers = {key: form[f"q_{key}"].data for key, _ in SAFETY_QUESTIONS}
        screen, _flag = complete_screen(current_user, couple, answers, form.note.data, context,
                                        checkin)
        browser_session[JUST_ANSWERED] = screen.id
    # Every completed screen lands on the same page, so the browser history looks the same
    # whatever was answered.
    return redirect(url_for("flags.safety"))


@bp.route("/me/safety")
@client_required
def safety():
    """The help page. Right after a screen it thanks the partner, once: opened again later
    (from the menu, perhaps by someone else holding their phone) it reads as it always does,
    so it never shows that anything was disclosed."""
    couple = own_couple(current_user)
    screen_id = browser_session.pop(JUST_ANSWERED, None)
    latest = own_completed_screen(current_user, screen_id)
    settings = practice_settings()
    return render_template(
        "flags/safety.html",
        couple=couple,
        settings=settings,
        just_answered=latest is not None,
        disclosed=bool(latest and latest.indicates_harm),
        page_text=SAFETY_PAGE_TEXT,
        tel=lambda number: "".join(ch for ch in number if ch.isdigit() or ch == "+"),
    )


# ---------------------------------------------------------------------------
# Panels
# ---------------------------------------------------------------------------


FLAGS_PER_PAGE = 20


@panel("couple", "flags/_couple_panel.html", order=15)
def couple_panel(user, couple):
    """The couple's flags and screening record: staff in scope only (the page checks scope)."""
    if not user.is_staff:
        return None
    flags = list(db.session.scalars(
        select(Flag).where(Flag.couple_id == couple.id)
        .options(joinedload(Flag.partner))
        .order_by(Flag.created_at.desc())
    ))
    open_flags = sort_flags(f for f in flags if f.status != "resolved")
    closed = paginate([f for f in flags if f.status == "resolved"], FLAGS_PER_PAGE,
                      arg="resolved_page")
    screens = list(db.session.scalars(
        select(SafetyScreen).where(SafetyScreen.couple_id == couple.id)
        .order_by(SafetyScreen.created_at.desc()).limit(10)
    ))
    record("flags_listed", obj=couple, actor=user)
    names = {p.user_id: p.user.display_name for p in couple.partners}
    interval_form = IntervalForm(formdata=None)
    interval_form.version.data = couple.version
    interval_form.screen_interval_days.data = couple.screen_interval_days
    return {"couple": couple, "open_flags": open_flags, "closed_flags": closed,
            "screens": screens, "names": names, "can_manage": can_manage_couple(user, couple),
            "interval_form": interval_form, **_labels()}


@panel("counselor_home", "flags/_counselor_panel.html", order=10)
def counselor_panel(user):
    """Open flags on the counselor's caseload, most severe and oldest first."""
    flags = list(db.session.scalars(
        select(Flag).join(Couple, Couple.id == Flag.couple_id)
        .where(couples_in_scope(user), Flag.status != "resolved")
        .options(joinedload(Flag.couple), joinedload(Flag.partner))
    ))
    settings = practice_settings()
    page = paginate(sort_flags(flags), FLAGS_PER_PAGE, arg="flags_page")
    return {"flags": page.items, "page": page,
            "escalated": {f.id for f in flags if is_escalated(f, settings)}, **_labels()}


@panel("supervisor_home", "flags/_escalated_panel.html", order=10)
def escalated_panel(user):
    """Urgent/high flags past their acknowledgement window, for this supervisor's team."""
    query = (
        select(Flag, Couple.label, User.display_name)
        .join(Couple, Couple.id == Flag.couple_id)
        .join(User, User.id == Couple.counselor_id)
        .where(escalated_clause(practice_settings()), couples_in_scope(user))
        .order_by(Flag.created_at)
    )
    page = paginate(query, FLAGS_PER_PAGE, arg="escalated_page", rows=True)
    return {"rows": page.items, "page": page, **_labels()}


@panel("client_home", "flags/_screen_prompt.html", order=5)
def screen_prompt_panel(user, couple):
    """The gentle invitation to the private check. Its words never depend on any answer."""
    if not screen_due(user, couple):
        return None
    return {}


@panel("client_home", "flags/_client_sessions.html", order=30)
def client_sessions_panel(user, couple):
    """Upcoming focused sessions this client is part of: time only."""
    sessions = client_sessions(user, couple)
    if not sessions:
        return None
    return {"sessions": sessions, "tz": couple.timezone}

