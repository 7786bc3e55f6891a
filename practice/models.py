"""Imports every model so that Alembic and the app see the whole schema."""

from .admin.models import PracticeSettings
from .audit.models import AuditEntry
from .auth.models import Invitation, Supervision, User
from .checkins.models import CaseNote, CheckIn, FeedbackReply, FormToken
from .couples.models import CaseAssignment, Couple, Partner
from .exercises.models import Assignment, AssignmentEvent, Exercise
from .flags.models import Flag, FlagEvent, FocusedSession, SafetyScreen
from .supervision.models import SupervisionNote

__all__ = [
    "Assignment",
    "AssignmentEvent",
    "AuditEntry",
    "CaseAssignment",
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
    "Partner",
    "PracticeSettings",
    "SafetyScreen",
    "Supervision",
    "SupervisionNote",
    "User",
]
