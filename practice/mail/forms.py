from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional


class RetryForm(FlaskForm):
    submit = SubmitField("Send again")


class MailSettingsForm(FlaskForm):
    version = HiddenField()
    client_subject = StringField(
        "Subject of reminders and notices to clients",
        validators=[Optional(), Length(max=120, message="Use at most 120 characters.")],
        description="Anyone who shares the client's inbox may read it: keep it neutral. "
                    "Leave empty for the practice's name and \"a reminder\".",
    )
    digest_enabled = BooleanField("Send counselors a daily digest of what waits for them")
    digest_hour = IntegerField(
        "Hour of the daily digest (0-23, practice time zone)",
        validators=[NumberRange(0, 23, "Enter an hour from 0 to 23.")],
    )
    submit = SubmitField("Save mail settings")
