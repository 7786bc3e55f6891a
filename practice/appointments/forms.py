from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

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


def _section(label: str) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=10000)])


class NoteForm(FlaskForm):
    """Every section a template may use; the page shows the note's own template's sections."""

    version = HiddenField()
    body = _section("Note")
    dap_data = _section("Data")
    subjective = _section("Subjective")
    objective = _section("Objective")
    assessment = _section("Assessment")
    plan = _section("Plan")
    submit = SubmitField("Save draft")


class AddendumForm(FlaskForm):
    body = TextAreaField("Addendum", validators=[DataRequired("Write the addendum first."),
                                                 Length(max=10000)],
                         description="Dated and signed with your name when saved; it cannot be "
                                     "changed afterwards.")
    submit = SubmitField("Sign and add")
