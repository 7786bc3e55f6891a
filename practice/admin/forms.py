from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.forms import new_password_field
from ..timezones import grouped_choices, offered

STAFF_ROLE_CHOICES = [
    ("counselor", "Counselor"),
    ("supervisor", "Supervisor"),
    ("admin", "Administrator"),
]


def timezone_choices(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """The practice's country's zones first, then all (practice/timezones.py)."""
    from ..templating import practice_settings

    return grouped_choices(practice_settings().default_timezone, current)


def validate_timezone(form, field):
    if not offered(field.data or ""):
        raise ValidationError("Choose a time zone from the list.")


class StaffForm(FlaskForm):
    display_name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=120)]
    )
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter an email address."), Email("Enter a valid email address.")],
    )
    role = SelectField("Role", choices=STAFF_ROLE_CHOICES)
    password = new_password_field("Initial password")
    submit = SubmitField("Create account")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SupervisionForm(FlaskForm):
    counselors = MultiCheckboxField("Counselors this person supervises", coerce=int)
    submit = SubmitField("Save supervision")


class ActiveForm(FlaskForm):
    submit = SubmitField("Save")


DEFAULT_APP_NAME = "Notes"
APP_ICON_CHOICES = [("leaf", "A leaf"), ("sun", "A sun"), ("wave", "A wave")]


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _phone(form, field):
    """Something a phone can dial: digits, spaces, dashes, brackets and a leading plus."""
    value = (field.data or "").strip()
    if value and (not any(ch.isdigit() for ch in value)
                  or any(ch not in "0123456789 +-()." for ch in value)):
        raise ValidationError("Enter a phone number: digits, spaces, dashes and a leading +.")


class SettingsForm(FlaskForm):
    version = HiddenField()
    counselors_two_factor = BooleanField(
        "Counselors sign in with a second factor (an authenticator app) as well as a password"
    )
    name = StringField(
        "Practice name", validators=[DataRequired("Enter the practice's name."), Length(max=120)]
    )
    default_timezone = SelectField(
        "Default time zone", validators=[validate_timezone], validate_choice=False
    )
    checkin_expiry_days = IntegerField(
        "Days a missed check-in can still be submitted",
        validators=[NumberRange(1, 30, "Enter a number of days from 1 to 30.")],
    )
    urgent_ack_hours = IntegerField(
        "Hours before an unacknowledged urgent flag is escalated",
        validators=[NumberRange(1, 168, "Enter a number of hours from 1 to 168.")],
    )
    high_ack_hours = IntegerField(
        "Hours before an unacknowledged high flag is escalated",
        validators=[NumberRange(1, 720, "Enter a number of hours from 1 to 720.")],
    )
    emergency_number = StringField(
        "Emergency number", validators=[DataRequired("Enter the local emergency number."),
                                        Length(max=40)]
    )
    hotline_name = StringField(
        "Support hotline name", validators=[DataRequired("Enter a hotline name."), Length(max=200)]
    )
    hotline_phone = StringField(
        "Support hotline number", validators=[DataRequired("Enter the hotline number."),
                                              Length(max=60)]
    )
    contact_text = StringField(
        "How clients reach the practice",
        validators=[DataRequired("Say how clients can reach you."), Length(max=500)],
    )
    practice_phone = StringField(
        "The practice's phone number", validators=[Optional(), Length(max=60), _phone],
        filters=[_stripped],
        description="Clients can tap it to call, on their home and the help page.",
    )
    crisis_line_text = StringField(
        "Crisis line", validators=[Optional(), Length(max=200)],
        filters=[_stripped],
        description="For example: Crisis line, any time, free.",
    )
    crisis_line_phone = StringField(
        "Crisis line number", validators=[Optional(), Length(max=60), _phone],
        filters=[_stripped],
        description="Shown tap-to-call beside the crisis line's text.",
    )
    app_name = StringField(
        "Name on a client's phone", default=DEFAULT_APP_NAME, validators=[Length(max=30)],
        filters=[lambda value: (value or "").strip() or DEFAULT_APP_NAME],
        description="When a client adds the app to their home screen. Choose a neutral word "
                    "that says nothing of counseling (left empty: \u201cNotes\u201d).",
    )
    app_icon = RadioField("Icon on a client's phone", choices=APP_ICON_CHOICES, default="leaf")
    note_template = RadioField(
        "Session notes are written as",
        choices=[("free", "Free text"), ("dap", "DAP: data, assessment, plan"),
                 ("soap", "SOAP: subjective, objective, assessment, plan")],
        default="free", validators=[Optional()],
        description="Applies to notes started from now on; earlier notes keep their sections.",
    )
    submit = SubmitField("Save settings")

    def validate_crisis_line_text(self, field):
        if field.data and not (self.crisis_line_phone.data or "").strip():
            raise ValidationError("Give the crisis line's number below, or clear this text.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_timezone.choices = timezone_choices(self.default_timezone.data)
