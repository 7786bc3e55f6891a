from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.validators import InputRequired

from ..flags.forms import SessionForm


class AppointmentForm(SessionForm):
    """The focused-session form, for any session with the couple."""

    submit = SubmitField("Save appointment")


class AttendanceForm(FlaskForm):
    version = HiddenField()
    status = RadioField(
        "What happened",
        choices=[("attended", "Attended"), ("cancelled", "Cancelled"),
                 ("no_show", "Did not come")],
        validators=[InputRequired("Choose what happened.")],
    )
    submit = SubmitField("Save")
