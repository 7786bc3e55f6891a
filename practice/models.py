"""Imports every model so that Alembic and the app see the whole schema."""

from .admin.models import PracticeSettings
from .appointments.models import Appointment, CalendarFeed, NoteAddendum, SessionNote
from .audit.models import AuditEntry
from .auth.models import Invitation, Supervision, User
from .auth.sessions import UserSession
from .auth.throttle import SignInFailure
from .auth.two_factor import RecoveryCode, TwoFactor
from .checkins.models import CaseNote, CheckIn, FeedbackReply
from .couples.models import CaseAssignment, Couple, Partner
from .exercises.models import Assignment, AssignmentEvent, Exercise
from .flags.models import Flag, FlagEvent, FocusedSession, FormToken, SafetyScreen
from .mail.models import MailSettings, OutboxMessage
from .password_reset.models import PasswordReset
from .reminders.models import ReminderSettings
from .supervision.models import SupervisionNote

__all__ = [
    "Appointment",
    "Assignment",
    "AssignmentEvent",
    "AuditEntry",
    "CaseAssignment",
    "CalendarFeed",
    "CaseNote",
    "CheckIn",
    "Couple",
    "Exercise",
    "FeedbackReply",
    "Flag",
    "FlagEvent",
    "FocusedSession",
    "FormToken",
    "Invitation",
    "MailSettings",
    "NoteAddendum",
    "OutboxMessage",
    "Partner",
    "PasswordReset",
    "PracticeSettings",
    "RecoveryCode",
    "ReminderSettings",
    "SafetyScreen",
    "SessionNote",
    "SignInFailure",
    "TwoFactor",
    "Supervision",
    "SupervisionNote",
    "User",
    "UserSession",
]
