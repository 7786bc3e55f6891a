from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..content import SAFETY_ANSWERS, SAFETY_QUESTIONS, SITUATIONS

SEVERITY_CHOICES = [("low", "Low"), ("moderate", "Moderate"), ("high", "High"),
                    ("urgent", "Urgent")]


class FlagForm(FlaskForm):
    category = SelectField("Situation", choices=list(SITUATIONS.items()),
                           validators=[DataRequired("Choose the situation.")])
    severity = SelectField("Severity", choices=SEVERITY_CHOICES, default="moderate",
                           validators=[DataRequired("Choose how severe it is.")])
    partner_id = SelectField("About", coerce=str, validate_choice=True)
    description = TextAreaField(
        "What you noticed",
        validators=[DataRequired("Describe what you noticed."), Length(max=4000)],
        description="Staff only: the couple's counselor, their supervisor and admins.",
    )
    submit = SubmitField("Raise flag")


def _resume_shared_field() -> RadioField:
    """Asked on resolving the last open harm flag (see practice.flags.holds)."""
    return RadioField(
        "Shared homework", choices=[("keep", "Keep it paused for now"),
                                    ("resume", "Resume shared homework")],
        default="keep", validators=[Optional()],
        description="Only used when the flag is resolved. It was paused when this harm flag "
                    "was raised.",
    )


class TransitionForm(FlaskForm):
    version = HiddenField()
    to_status = RadioField("Change to", validators=[InputRequired("Choose the new status.")],
                           validate_choice=False)
    note = TextAreaField(
        "Note", validators=[Optional(), Length(max=4000)],
        description="Kept in the flag's history. Required to resolve: what was done and why "
                    "the flag can close.",
    )
    resume_shared = _resume_shared_field()
    submit = SubmitField("Change status")


class SessionForm(FlaskForm):
    day = DateField("Date", validators=[InputRequired("Choose the date.")])
    start = TimeField("Start time", validators=[InputRequired("Choose the start time.")],
                      description="In the couple's time zone.")
    duration_minutes = IntegerField(
        "Length (minutes)", default=50,
        validators=[InputRequired("Give the length in minutes."),
                    NumberRange(15, 240, "Between 15 and 240 minutes.")],
    )
    mode = RadioField("Session", choices=[("individual", "Individual"), ("joint", "Joint")],
                      default="individual", validators=[InputRequired("Choose the kind.")])
    partner_id = SelectField("With (individual sessions)", coerce=str, validate_choice=False)
    agenda = TextAreaField("Agenda", validators=[Optional(), Length(max=4000)],
                           description="Staff only. Never shown to the partners.")
    joint_safety_reason = TextAreaField(
        "Why a joint session is safe", validators=[Optional(), Length(max=4000)],
        description="Required for a joint session while a harm flag is open.",
    )
    submit = SubmitField("Schedule session")

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_id.choices = [("", "Choose a partner")] + [
            (str(u.id), u.display_name) for u in partners
        ]

    def session_data(self) -> dict:
        """The keyword arguments of schedule_session / schedule_appointment."""
        return {
            "day": self.day.data, "start": self.start.data,
            "duration_minutes": self.duration_minutes.data, "mode": self.mode.data,
            "partner_id": int(self.partner_id.data) if self.partner_id.data else None,
            "agenda": self.agenda.data, "joint_safety_reason": self.joint_safety_reason.data,
        }

    def attach(self, error) -> None:
        """Show a refusal from schedule_session beside the field it is about (without one:
        the reason for a joint session, or the partner of an individual one)."""
        if error.field:
            target = self[error.field]
        else:
            target = self.joint_safety_reason if self.mode.data == "joint" else self.partner_id
        target.errors = [*target.errors, str(error)]


class OutcomeForm(FlaskForm):
    version = HiddenField()
    outcome = TextAreaField("Outcome", validators=[DataRequired("Write what happened."),
                                                   Length(max=4000)])
    next_step = RadioField("The flag", choices=[("keep", "Keep it open"),
                                                ("resolve", "Resolve it")],
                           # Not shown for a resolved flag: left out, the flag stays as it is.
                           default="keep", validators=[Optional()])
    resolution_note = TextAreaField("Resolution note", validators=[Optional(), Length(max=4000)],
                                    description="Required to resolve.")
    resume_shared = _resume_shared_field()
    submit = SubmitField("Save outcome")


class IntervalForm(FlaskForm):
    version = HiddenField()
    screen_interval_days = IntegerField(
        "Ask each partner every (days)",
        validators=[InputRequired("Give a number of days."),
                    NumberRange(1, 365, "Between 1 and 365 days.")],
    )
    submit = SubmitField("Save")


class PrivacyForm(FlaskForm):
    private = RadioField(
        "Are you somewhere private?",
        choices=[("yes", "Yes, I can answer now"), ("no", "Not right now")],
        validators=[InputRequired("Choose one to continue.")],
    )
    submit = SubmitField("Continue")


class ScreenForm(FlaskForm):
    token = HiddenField()
    context = HiddenField()
    checkin_id = HiddenField()
    note = TextAreaField(validators=[Optional(), Length(max=4000)])
    submit = SubmitField("Send to my counselor")


def _question_field(text):
    return RadioField(text, choices=list(SAFETY_ANSWERS),
                      validators=[InputRequired("Choose an answer, or 'Prefer not to say'.")])


for _key, _text in SAFETY_QUESTIONS:
    setattr(ScreenForm, f"q_{_key}", _question_field(_text))
