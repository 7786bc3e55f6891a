"""Imports every model so that Alembic and the app see the whole schema."""

from .admin.models import PracticeSettings
from .appointments.models import Appointment, CalendarFeed, NoteAddendum, SessionNote
from .audit.models import AuditEntry
from .auth.models import Invitation, Supervision, User
from .checkins.models import CaseNote, CheckIn
from .couples.models import CaseAssignment, Couple, Partner
from .exercises.models import Assignment, AssignmentEvent, Exercise
from .flags.models import Flag, FlagEvent, FocusedSession, FormToken, SafetyScreen
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
    "Flag",
    "FlagEvent",
    "FocusedSession",
    "FormToken",
    "Invitation",
    "NoteAddendum",
    "Partner",
    "PracticeSettings",
    "SafetyScreen",
    "SessionNote",
    "Supervision",
    "SupervisionNote",
    "User",
]
