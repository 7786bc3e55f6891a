"""Who may see what. Role decorators, permission questions and scoped loaders: the one file to
audit.

Rules:
- A page meant for another role answers 403.
- A record outside the user's scope answers 404, exactly as if it did not exist, and the
  refusal is audited.
- No route loads a couple (or anything inside one) by a bare id: it goes through a loader here.
- Every "may this person manage / edit / see" question is one named function here; routes hand
  its answer to templates as a value. tests/test_access_guard.py keeps role and ownership
  comparisons from appearing anywhere else.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import joinedload

from .audit.models import AuditEntry
from .audit.services import record_refusal
from .auth.models import STAFF_ROLES, Supervision, User
from .checkins.models import CheckIn
from .couples.models import Couple, Partner
from .exercises.models import Assignment, Exercise
from .extensions import db
from .flags.models import FocusedSession, SafetyScreen

# ---------------------------------------------------------------- roles


def roles_required(*roles: str):
    """Signed-in users of the given roles only; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                record_refusal(f"role {current_user.role} on page for {','.join(roles)}")
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


staff_required = roles_required("counselor", "supervisor", "admin")
counselor_required = roles_required("counselor")
client_required = roles_required("client")
supervisor_required = roles_required("supervisor", "admin")
admin_required = roles_required("admin")


def holds_caseload(user: User) -> bool:
    """Counselors hold couples, write exercises and read supervision notes on their work."""
    return user.role == "counselor"


def sees_whole_practice(user: User) -> bool:
    """Administrators oversee every counselor, couple and audit entry."""
    return user.role == "admin"


def is_client(user: User) -> bool:
    """A partner in a couple: their pages leave no trace (no `next`, a welcome on first use)."""
    return user.role == "client"


def can_oversee(user: User) -> bool:
    """Supervisors and administrators oversee counselors (team, notes, reassignment)."""
    return user.role in ("supervisor", "admin")


def must_use_two_factor(user: User, counselors_too: bool) -> bool:
    """Whether `user` may not sign in without a second factor: admins and supervisors where the
    install requires it (TWO_FACTOR_REQUIRED, on in production), counselors when the practice
    setting says so. Clients may choose it."""
    from flask import current_app

    if user.role in ("admin", "supervisor"):
        return bool(current_app.config["TWO_FACTOR_REQUIRED"]) or counselors_too
    return user.role == "counselor" and counselors_too


def may_reset_two_factor(actor: User, member: User) -> bool:
    """An administrator resets another staff member's second factor (not their own)."""
    return actor.role == "admin" and member.role in STAFF_ROLES and member.id != actor.id


# ---------------------------------------------------------------- couples and teams


def supervised_counselor_ids(user: User) -> Select:
    return select(Supervision.counselor_id).where(Supervision.supervisor_id == user.id)


def team_ids(user: User) -> Select:
    """Ids of the counselors `user` oversees: those they supervise, or every counselor (admin)."""
    if sees_whole_practice(user):
        return select(User.id).where(User.role == "counselor")
    if user.role == "supervisor":
        return supervised_counselor_ids(user)
    return select(User.id).where(false())


def team_counselors(user: User) -> list[User]:
    """The counselors `user` oversees, by name."""
    return db.session.scalars(
        select(User)
        .where(User.id.in_(team_ids(user)), User.role == "counselor")
        .order_by(User.display_name, User.id)
    ).all()


def escalation_recipients(counselor_ids) -> dict[int, list[User]]:
    """Who is told of a counselor's escalated flag: the counselor's active supervisors, or,
    for a counselor nobody supervises, every active administrator."""
    ids = set(counselor_ids)
    told: dict[int, list[User]] = {cid: [] for cid in ids}
    for counselor_id, supervisor in db.session.execute(
        select(Supervision.counselor_id, User)
        .join(User, User.id == Supervision.supervisor_id)
        .where(Supervision.counselor_id.in_(ids), User.active.is_(True))
    ):
        told[counselor_id].append(supervisor)
    if not all(told.values()):
        admins = db.session.scalars(
            select(User).where(User.role == "admin", User.active.is_(True))
        ).all()
        for people in told.values():
            if not people:
                people.extend(admins)
    return told


def counselor_accounts() -> Select:
    """Every counselor account (an administrator choosing whom a supervisor oversees)."""
    return select(User).where(User.role == "counselor")


def staff_members() -> Select:
    """Every staff account (the administrator's staff list)."""
    return select(User).where(User.role.in_(STAFF_ROLES))


def overseen_people(user: User) -> Select:
    """People whose actions `user` may look up in the audit log: all staff (admin), else the
    supervisor and their team."""
    if sees_whole_practice(user):
        return staff_members()
    return select(User).where(or_(User.id.in_(team_ids(user)), User.id == user.id))


def audit_scope(user: User) -> ColumnElement[bool]:
    """Audit entries `user` may read: admins all; a supervisor those about their team."""
    if sees_whole_practice(user):
        return true()
    team = team_ids(user)
    # "+ 0" keeps the database from merging the actor and couple indexes and sorting every
    # entry of the team: it walks the log newest first and stops at a page's worth. A person
    # or couple filter, when given, still narrows through its own index.
    actor, couple = AuditEntry.actor_id + 0, AuditEntry.couple_id + 0
    return or_(
        actor.in_(team),
        actor == user.id,
        couple.in_(select(Couple.id).where(Couple.counselor_id.in_(team))),
    )


def couples_in_scope(user: User) -> ColumnElement[bool]:
    """A filter on Couple: the caseload (counselor), the team's couples (supervisor), all
    (admin), none (anyone else)."""
    if sees_whole_practice(user):
        return true()
    if holds_caseload(user):
        return Couple.counselor_id == user.id
    if user.role == "supervisor":
        return Couple.counselor_id.in_(supervised_counselor_ids(user))
    return false()


def visible_couples(user: User) -> Select:
    """The couples `user` may see as staff: their caseload, their team's, or all (admin)."""
    return select(Couple).where(couples_in_scope(user))


def can_see_couple(user: User, couple: Couple) -> bool:
    if sees_whole_practice(user):
        return True
    if holds_caseload(user):
        return couple.counselor_id == user.id
    if user.role == "supervisor":
        return can_supervise(user, couple.counselor_id)
    if user.role == "client":
        return couple.partner_slot(user.id) is not None
    return False


def can_manage_couple(user: User, couple: Couple) -> bool:
    """Only the couple's own counselor works the case (assigns, reviews, raises flags)."""
    return holds_caseload(user) and couple.counselor_id == user.id


def can_supervise(user: User, counselor_id: int) -> bool:
    if sees_whole_practice(user):
        return True
    if user.role != "supervisor":
        return False
    return (
        db.session.get(Supervision, {"supervisor_id": user.id, "counselor_id": counselor_id})
        is not None
    )


def can_reassign(user: User, couple: Couple, new_counselor: User) -> bool:
    """A couple moves only between two active counselors the user oversees."""
    return (
        new_counselor.role == "counselor"
        and new_counselor.active
        and new_counselor.id != couple.counselor_id
        and can_supervise(user, couple.counselor_id)
        and can_supervise(user, new_counselor.id)
    )


# ---------------------------------------------------------------- exercises


def visible_exercises(user: User) -> Select:
    """Built-ins, exercises shared with the practice, and the user's own private ones."""
    return select(Exercise).where(
        or_(Exercise.is_builtin.is_(True), Exercise.shared.is_(True), Exercise.owner_id == user.id)
    )


def can_see_exercise(user: User, exercise: Exercise) -> bool:
    return exercise.is_builtin or exercise.shared or is_own_exercise(user, exercise)


def is_own_exercise(user: User, exercise: Exercise) -> bool:
    return not exercise.is_builtin and exercise.owner_id == user.id


def can_write_exercises(user: User) -> bool:
    """Counselors write their own exercises and copy others' to adapt them."""
    return holds_caseload(user)


def can_edit_exercise(user: User, exercise: Exercise) -> bool:
    """Only a counselor's own exercise is edited in place; built-ins are copied instead."""
    return can_write_exercises(user) and is_own_exercise(user, exercise)


def exercise_for(user: User, exercise_id: int) -> Exercise:
    """An exercise the staff member may see, else 404."""
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None or not can_see_exercise(user, exercise):
        _not_found("exercise", exercise_id)
    return exercise


def exercise_to_edit(user: User, exercise_id: int) -> Exercise:
    """An exercise the user may edit in place, else 403 with what to do instead."""
    exercise = exercise_for(user, exercise_id)
    if exercise.is_builtin:
        abort(403, description="Built-in exercises stay as written. Use 'Copy to adapt' on the "
                               "exercise's page to adapt it.")
    if not can_edit_exercise(user, exercise):
        abort(403, description="This exercise belongs to another counselor. Use 'Copy to adapt' "
                               "on the exercise's page to adapt it.")
    return exercise


# ---------------------------------------------------------------- loaders


def _not_found(kind: str, object_id) -> None:
    kind = kind.rstrip("s")  # a table name names the kind as the audit log does
    record_refusal(f"{kind} out of scope", object_type=kind, object_id=_int_or_none(object_id))
    abort(404)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def couple_for_staff(user: User, couple_id: int) -> Couple:
    """A couple in the staff member's scope (read access), else 404."""
    couple = db.session.get(Couple, couple_id)
    if couple is None or user.role == "client" or not can_see_couple(user, couple):
        _not_found("couple", couple_id)
    return couple


def couple_for_counselor(user: User, couple_id: int) -> Couple:
    """A couple the user counsels (write access), else 404 (or 403 for a supervisor in scope)."""
    couple = couple_for_staff(user, couple_id)
    if not can_manage_couple(user, couple):
        record_refusal("read-only access to couple", object_type="couple", object_id=couple.id)
        abort(403)
    return couple


def own_couple(user: User) -> Couple:
    """The signed-in client's own couple, else 404."""
    couple = db.session.scalar(
        select(Couple)
        .join(Partner, Partner.couple_id == Couple.id)
        .where(Partner.user_id == user.id)
    )
    if couple is None:
        abort(404)
    return couple


def counselor_for_supervisor(user: User, counselor_id: int) -> User:
    """A counselor the user supervises (admins: any counselor), else 404."""
    counselor = db.session.get(User, counselor_id)
    if counselor is None or counselor.role != "counselor" or not can_supervise(user, counselor.id):
        _not_found("user", counselor_id)
    return counselor


def staff_member(user_id: int) -> User:
    """A staff account, for the administrator's pages, else 404."""
    member = db.session.get(User, user_id)
    if member is None or not member.is_staff:
        _not_found("user", user_id)
    return member


def outbox_message(message_id: int):
    """A message in the outbox, for the administrator's mail page (no body is shown), else 404."""
    from .mail.models import OutboxMessage

    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        _not_found("outbox", message_id)
    return message


def scoped_or_404(user: User, model, object_id: int, *, couple_attr: str = "couple_id"):
    """Load a record that belongs to a couple, checking the couple is in the staff scope."""
    obj = db.session.get(model, object_id)
    if obj is None:
        _not_found(model.__tablename__, object_id)
    couple_for_staff(user, getattr(obj, couple_attr))
    return obj


def child_of(obj, parent_id: int, attr: str = "couple_id"):
    """A child object in a URL must belong to the parent in the same URL (else 404, audited)."""
    if getattr(obj, attr) != parent_id:
        _not_found(obj.__tablename__, obj.id)
    return obj


def couple_child(model, object_id: int, couple: Couple):
    """A record of `model` (check-in, assignment, flag, session, screen) that belongs to
    `couple`, a couple already loaded through a loader above; else 404, audited."""
    obj = db.session.get(model, object_id)
    if obj is None:
        _not_found(model.__tablename__, object_id)
    return child_of(obj, couple.id)


def partner_of(couple: Couple, user_id: int) -> User:
    """A partner of `couple` (loaded through a loader above), else 404, audited."""
    partner = next((p.user for p in couple.partners if p.user_id == user_id), None)
    if partner is None:
        _not_found("user", user_id)
    return partner


# ---------------------------------------------------------------- a client's own records


def written_by(user: User, model=CheckIn) -> ColumnElement[bool]:
    """A filter on a client's own rows of `model` (check-ins, safety screens)."""
    return model.partner_id == user.id


def is_author(user: User, checkin: CheckIn) -> bool:
    """Whether `user` wrote the check-in (only its author opens feedback or replies to it)."""
    return checkin.partner_id == user.id


def can_reply_to_feedback(user: User, checkin: CheckIn) -> bool:
    """The check-in's author, once their counselor has written feedback on it; never the other
    partner, who learns nothing of a reply."""
    return is_author(user, checkin) and bool(checkin.feedback)


def own_checkin(user: User, checkin_id: int) -> CheckIn:
    """A check-in the client wrote, else 404 (a partner's check-in is never opened here)."""
    checkin = db.session.scalars(
        select(CheckIn).options(joinedload(CheckIn.assignment).joinedload(Assignment.exercise))
        .where(CheckIn.id == checkin_id)
    ).first()
    if checkin is None or checkin.partner_id != user.id:
        _not_found("checkins", checkin_id)
    return checkin


def own_completed_screen(user: User, screen_id) -> SafetyScreen | None:
    """The client's own completed safety screen, or None (never anyone else's)."""
    screen = db.session.get(SafetyScreen, screen_id) if isinstance(screen_id, int) else None
    if screen is None or screen.partner_id != user.id or screen.status != "completed":
        return None
    return screen


def assignment_for_client(user: User, couple: Couple, assignment_id: int) -> Assignment:
    """An assignment of the client's couple that includes this client, else 404."""
    from .exercises.schedule import partner_ids_for

    assignment = db.session.get(Assignment, assignment_id)
    partner_ids = [p.user_id for p in couple.partners]
    if (assignment is None or assignment.couple_id != couple.id
            or user.id not in partner_ids_for(assignment, partner_ids)):
        _not_found("assignments", assignment_id)
    return assignment


def sessions_known_to(user: User) -> ColumnElement[bool]:
    """Focused sessions a client may know about: joint ones and their own individual ones."""
    return (FocusedSession.mode == "joint") | (
        (FocusedSession.mode == "individual") & (FocusedSession.partner_id == user.id)
    )


def calendar_feed_for(token: str):
    """The active calendar feed whose secret address carries `token`, else 404 (audited)."""
    from .appointments.models import CalendarFeed
    from .appointments.services import feed_token_hash

    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == feed_token_hash(token),
                                   CalendarFeed.revoked_at.is_(None))
    )
    if feed is None or not holds_caseload(feed.counselor) or not feed.counselor.active:
        _not_found("calendar_feed", None)
    return feed


def handovers_of(user: User, since) -> Select:
    """Cases that changed hands to or from the counselor `user` since `since`: rows
    (their CaseAssignment row, the couple's label, whether the couple is still theirs). The old
    counselor sees the label and the new holder only, never the record."""
    from .couples.models import CaseAssignment

    mine_now = Couple.counselor_id == user.id
    return (
        select(CaseAssignment, Couple.label, mine_now)
        .join(Couple, Couple.id == CaseAssignment.couple_id)
        .where(CaseAssignment.counselor_id == user.id,
               or_(CaseAssignment.ended_at >= since,
                   (CaseAssignment.started_at >= since)
                   & (CaseAssignment.assigned_by_id != user.id)))
        .order_by(CaseAssignment.started_at.desc())
    )
