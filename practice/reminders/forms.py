from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, SubmitField, TimeField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..exercises.schedule import WEEKDAY_NAMES

TIME_MESSAGE = "Choose a time of day, for example 18:00."


class TimeOfDayField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(TIME_MESSAGE) from None


class ReminderForm(FlaskForm):
    enabled = BooleanField("Send me an e-mail when homework is due that day")
    remind_at = TimeOfDayField(
        "At what time", validators=[InputRequired(TIME_MESSAGE)],
        description="In your couple's time zone. At most one e-mail a day.",
    )
    quiet_days = SelectMultipleField(
        "Days without reminders", coerce=int,
        choices=list(enumerate(WEEKDAY_NAMES)),
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
    )
    feedback_notices = BooleanField("Also send me an e-mail when my counselor writes feedback")
    submit = SubmitField("Save")


class PromptForm(FlaskForm):
    submit = SubmitField("Not now")


class StopForm(FlaskForm):
    submit = SubmitField("Stop these e-mails")
