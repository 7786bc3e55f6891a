from flask_wtf import FlaskForm
from wtforms import (
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


class SettingsForm(FlaskForm):
    version = HiddenField()
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
    note_template = RadioField(
        "Session notes are written as",
        choices=[("free", "Free text"), ("dap", "DAP: data, assessment, plan"),
                 ("soap", "SOAP: subjective, objective, assessment, plan")],
        default="free", validators=[Optional()],
        description="Applies to notes started from now on; earlier notes keep their sections.",
    )
    submit = SubmitField("Save settings")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_timezone.choices = timezone_choices(self.default_timezone.data)
