from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import (
    calendar_feed_for,
    can_manage_couple,
    counselor_required,
    couple_child,
    couple_for_counselor,
    couple_for_staff,
    staff_required,
)
from ..audit.services import record
from ..clock import to_local, utcnow
from ..flags.services import FlagError
from ..forms import ButtonForm
from ..links import public_url
from ..main.errors import edit_conflict_page
from ..modelbase import EditConflictError
from ..panels import panel
from ..templating import practice_settings
from . import bp
from .forms import AddendumForm, AppointmentForm, AttendanceForm, NoteForm
from .models import STATUS_LABELS, Appointment
from .notes import NoteError, add_addendum, new_note, note_of, save_note
from .services import (
    active_feed,
    agenda_for,
    appointment_ics,
    couple_appointments,
    feed_calendar,
    issue_feed,
    last_attended,
    next_scheduled,
    record_attendance,
    revoke_feed,
    schedule_appointment,
)
from .since import since_last_session

NOTE_CONFLICT = ("Someone else saved this note while you were writing. Your text is kept below: "
                 "compare it with theirs, then save again.")
CONFLICT = ("Someone else changed this appointment while you were working on it. Check what "
            "it says now, then save again.")


def _appointment(couple_id: int, appointment_id: int, write: bool = False):
    couple = (couple_for_counselor if write else couple_for_staff)(current_user, couple_id)
    return couple, couple_child(Appointment, appointment_id, couple)


@bp.route("/couples/<int:couple_id>/appointments")
@staff_required
def index(couple_id: int):
    couple = couple_for_staff(current_user, couple_id)
    record("appointments_viewed", obj=couple)
    appointments = couple_appointments(couple)
    now = utcnow()
    return render_template(
        "appointments/index.html", couple=couple,
        upcoming=[a for a in reversed(appointments)
                  if a.status == "scheduled" and a.starts_at >= now],
        past=[a for a in appointments if not (a.status == "scheduled" and a.starts_at >= now)],
        can_manage=can_manage_couple(current_user, couple), labels=STATUS_LABELS,
    )


@bp.route("/couples/<int:couple_id>/appointments/new", methods=["GET", "POST"])
@counselor_required
def new(couple_id: int):
    couple = couple_for_counselor(current_user, couple_id)
    form = AppointmentForm(partners=couple.partner_users,
                           data={"mode": "joint" if len(couple.partners) > 1 else "individual"}
                           if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            appointment = schedule_appointment(couple, current_user, **form.session_data())
        except FlagError as error:
            form.attach(error)
        else:
            flash(f"Appointment saved for "
                  f"{to_local(appointment.starts_at, couple.timezone):%d %b %Y, %H:%M}.",
                  "success")
            return redirect(url_for("appointments.detail", couple_id=couple.id,
                                    appointment_id=appointment.id))
    return render_template("appointments/new.html", couple=couple, form=form)


def _detail_page(couple, appointment, form=None, addendum_form=None):
    """The appointment, its attendance form and its session note (the note's read is audited
    here, whoever opens it)."""
    can_manage = can_manage_couple(current_user, couple)
    if can_manage and form is None:
        form = AttendanceForm(formdata=None, version=appointment.version,
                              status=None if appointment.status == "scheduled"
                              else appointment.status)
    note = note_of(appointment)
    if note is not None:
        record("session_note_viewed", obj=note)
    return render_template("appointments/detail.html", couple=couple, appointment=appointment,
                           form=form if can_manage else None, labels=STATUS_LABELS, note=note,
                           can_manage=can_manage,
                           addendum_form=addendum_form or AddendumForm(formdata=None))


@bp.route("/couples/<int:couple_id>/appointments/<int:appointment_id>")
@staff_required
def detail(couple_id: int, appointment_id: int):
    couple, appointment = _appointment(couple_id, appointment_id)
    record("appointment_viewed", obj=appointment)
    return _detail_page(couple, appointment)


def _back_to_note(couple, appointment):
    return redirect(url_for("appointments.detail", couple_id=couple.id,
                            appointment_id=appointment.id, _anchor="note"))


@bp.route("/couples/<int:couple_id>/appointments/<int:appointment_id>/note",
          methods=["GET", "POST"])
@counselor_required
def note(couple_id: int, appointment_id: int):
    """Write the session note: save the draft, or sign it, after which it is locked."""
    couple, appointment = _appointment(couple_id, appointment_id, write=True)
    current = note_of(appointment) or new_note(appointment)
    if current.is_signed:
        flash("This note is signed and locked. Add a dated addendum instead.", "error")
        if request.method == "GET":
            return _back_to_note(couple, appointment)
        return _detail_page(couple, appointment), 409
    form = NoteForm(obj=current if request.method == "GET" else None)
    if request.method == "GET" and current.id is not None:
        record("session_note_viewed", obj=current)
    if form.validate_on_submit():
        try:
            save_note(current, current_user, form.data, sign=bool(request.form.get("sign")),
                      version=form.version.data)
        except NoteError as error:
            flash(str(error), "error")
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: note_of(_appointment(couple_id, appointment_id, True)[1]),
                lambda fresh: _note_page(couple, appointment, fresh, form), NOTE_CONFLICT)
        else:
            flash("Note signed and locked." if current.is_signed else "Draft saved.", "success")
            return _back_to_note(couple, appointment)
    return _note_page(couple, appointment, current, form)


def _note_page(couple, appointment, current, form):
    return render_template("appointments/note.html", couple=couple, appointment=appointment,
                           note=current, form=form)


@bp.route("/couples/<int:couple_id>/appointments/<int:appointment_id>/note/addenda",
          methods=["POST"])
@counselor_required
def addendum(couple_id: int, appointment_id: int):
    couple, appointment = _appointment(couple_id, appointment_id, write=True)
    form = AddendumForm()
    current = note_of(appointment)
    if form.validate_on_submit() and current is not None:
        try:
            add_addendum(current, current_user, form.body.data)
        except NoteError as error:
            flash(str(error), "error")
        else:
            flash("Addendum signed and added.", "success")
            return _back_to_note(couple, appointment)
    elif current is None:
        flash("Write and sign the note first.", "error")
    return _detail_page(couple, appointment, addendum_form=form)


@bp.route("/couples/<int:couple_id>/appointments/<int:appointment_id>/attendance",
          methods=["POST"])
@counselor_required
def attendance(couple_id: int, appointment_id: int):
    couple, appointment = _appointment(couple_id, appointment_id, write=True)
    form = AttendanceForm()
    if form.validate_on_submit():
        try:
            record_attendance(appointment, current_user, form.status.data,
                              version=form.version.data)
        except FlagError as error:
            form.status.errors = [*form.status.errors, str(error)]
        except EditConflictError:
            return edit_conflict_page(
                form, lambda: _appointment(couple_id, appointment_id, write=True)[1],
                lambda fresh: _detail_page(fresh.couple, fresh, form), CONFLICT)
        else:
            flash(f"Marked {STATUS_LABELS[appointment.status].lower()}.", "success")
            return redirect(url_for("appointments.detail", couple_id=couple.id,
                                    appointment_id=appointment.id))
    return _detail_page(couple, appointment, form)


def _ics(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/couples/<int:couple_id>/appointments/<int:appointment_id>.ics")
@staff_required
def ics(couple_id: int, appointment_id: int):
    """One appointment as a calendar file: time, couple label and a link, nothing else."""
    couple, appointment = _appointment(couple_id, appointment_id)
    record("appointment_downloaded", obj=appointment)
    return _ics(appointment_ics(appointment, couple), f"appointment-{appointment.id}.ics")


@bp.route("/couples/<int:couple_id>/brief")
@staff_required
def brief(couple_id: int):
    """The summary since the last session as a page to print or save as PDF; audited like an
    export, since it takes the couple's words off the screen."""
    couple = couple_for_staff(current_user, couple_id)
    record("export_session_brief", obj=couple)
    now = utcnow()
    upcoming = [a for a in reversed(couple_appointments(couple))
                if a.status == "scheduled" and a.starts_at >= now]
    return render_template("appointments/brief.html", couple=couple, now=now,
                           upcoming=upcoming[:3], panel=since_last_session(couple, None))


# ---------------------------------------------------------------- the counselor's calendar feed


@bp.route("/calendar")
@counselor_required
def calendar():
    return render_template("appointments/calendar.html", feed=active_feed(current_user),
                           address=None, button=ButtonForm())


@bp.route("/calendar/address", methods=["POST"])
@counselor_required
def new_address():
    """A new secret address, shown this once (only its hash is stored)."""
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("appointments.calendar"))
    token = issue_feed(current_user)
    address = public_url("appointments.feed", token=token)
    return render_template("appointments/calendar.html", feed=active_feed(current_user),
                           address=address, button=ButtonForm())


@bp.route("/calendar/address/revoke", methods=["POST"])
@counselor_required
def revoke_address():
    if ButtonForm().validate_on_submit() and revoke_feed(current_user):
        flash("The calendar address no longer works. Calendars subscribed to it stop updating.",
              "success")
    return redirect(url_for("appointments.calendar"))


@bp.route("/calendar/feed/<token>.ics")
def feed(token: str):
    """The subscribed calendar: a capability address, no sign-in. Times and labels only."""
    return _ics(feed_calendar(calendar_feed_for(token)), "sessions.ics")


# ---------------------------------------------------------------- panels


@panel("counselor_home", "appointments/_counselor_panel.html", order=5)
def counselor_panel(user):
    """Today's and tomorrow's sessions, in the practice's time zone."""
    tz = practice_settings().default_timezone
    return {"days": agenda_for(user, tz), "tz": tz}


@panel("couple_top", "appointments/_since.html", order=1)
def since_panel(user, couple):
    """The story since the last attended session, at the top of the couple's page."""
    return {**since_last_session(couple), "can_manage": can_manage_couple(user, couple)}


@panel("couple", "appointments/_couple_panel.html", order=12)
def couple_panel(user, couple):
    """The next session and the last one attended."""
    return {
        "next": next_scheduled(couple),
        "last": last_attended(couple),
        "can_manage": can_manage_couple(user, couple),
        "couple": couple,
    }
