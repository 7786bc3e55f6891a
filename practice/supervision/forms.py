from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Form,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..content import SITUATIONS
from ..flags.models import FLAG_STATUSES, SEVERITIES
from ..flags.services import STATUS_LABELS

NOTE_MAX = 4000


def _optional_int(value):
    if value in (None, ""):
        return None
    return int(value)


class NoteForm(FlaskForm):
    body = TextAreaField(
        "Supervision note",
        validators=[DataRequired("Write the note before saving it."), Length(max=NOTE_MAX)],
        description="Read by the counselor, their supervisors and admins. Never by clients.",
    )
    submit = SubmitField("Save note")


class FlagReviewForm(FlaskForm):
    note = TextAreaField(
        "What was discussed in supervision",
        validators=[DataRequired("Add a short note on what was agreed."), Length(max=NOTE_MAX)],
        description="Kept in the flag's history, read by the counselor, supervisors and admins.",
    )
    submit = SubmitField("Record as reviewed in supervision")


class ReassignForm(FlaskForm):
    counselor_id = SelectField(
        "New counselor",
        coerce=_optional_int,
        validate_choice=False,
        validators=[DataRequired("Choose the counselor who takes over this couple.")],
    )
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Say why the couple moves: both counselors read it."),
                    Length(max=500)],
        description="Kept in the case history and shown to both counselors. Staff only.",
    )
    confirmed = HiddenField()
    submit = SubmitField("Continue")

    def validate_counselor_id(self, field):
        if field.data not in {value for value, _ in self.counselor_id.choices}:
            raise ValidationError("Choose one of the active counselors you oversee.")


def _labelled(choices, blank: str):
    return [("", blank), *choices]


class FlagFilterForm(Form):
    """The flag queue's filters: a GET form, read from the query string."""

    category = SelectField("Category", choices=_labelled(list(SITUATIONS.items()), "Any category"))
    severity = SelectField(
        "Severity", choices=_labelled([(s, s.capitalize()) for s in reversed(SEVERITIES)],
                                      "Any severity")
    )
    status = SelectField(
        "Status",
        choices=[
            ("unresolved", "Not resolved"),
            *[(s, STATUS_LABELS[s]) for s in FLAG_STATUSES],
            ("any", "Any status"),
        ],
        default="unresolved",
    )
    age = SelectField(
        "Older than",
        choices=[("", "Any age"), ("1", "1 day"), ("3", "3 days"), ("7", "7 days"),
                 ("30", "30 days")],
    )
    counselor = SelectField("Counselor", coerce=_optional_int, validate_choice=False)

    def __init__(self, *args, counselors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.counselor.choices = [("", "Any counselor")] + [
            (c.id, c.display_name) for c in counselors
        ]
        self._counselor_ids = {c.id for c in counselors}

    def validate_counselor(self, field):
        if field.data is not None and field.data not in self._counselor_ids:
            raise ValidationError("Choose a counselor from your team.")


class AuditFilterForm(Form):
    """The audit log's filters: a GET form, read from the query string."""

    person = SelectField("Person", coerce=_optional_int, validate_choice=False)
    couple = StringField("Couple (its number or part of its name)",
                         validators=[Optional(), Length(max=120)],
                         filters=[lambda value: value.strip() if value else value])
    date_from = DateField("From (UTC date)", validators=[Optional()])
    date_to = DateField("To (UTC date)", validators=[Optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = [("", "Anyone")] + [
            (p.id, f"{p.display_name} ({p.role})") for p in people
        ]
        self._people = {p.id for p in people}

    def validate_person(self, field):
        if field.data is not None and field.data not in self._people:
            raise ValidationError("Choose a person from the list.")

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date is before the start date.")
