from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..clock import utcnow
from ..content import CHECKIN_OUTCOMES, CLOSENESS_HELP, SIGN_RATINGS, SIGNS

TOKEN_LENGTH = (20, 64)
EARLIEST_NOTE_DATE = date(2000, 1, 1)


class _CheckInBase(FlaskForm):
    token = HiddenField()
    version = HiddenField()
    reflection = TextAreaField(
        "Anything you'd like your counselor to know about how it went?",
        validators=[Optional(), Length(max=5000, message="Please keep it under 5000 characters.")],
    )
    private_note = TextAreaField(
        "A private note for your counselor",
        validators=[Optional(), Length(max=5000, message="Please keep it under 5000 characters.")],
        description="Something you want only your counselor to read.",
    )
    broke_trust = BooleanField("Something broke my trust")
    wants_safety_screen = BooleanField("I'd like to answer a few private safety questions")
    submit = SubmitField("Send my check-in")

    def token_ok(self) -> bool:
        token = self.token.data or ""
        return TOKEN_LENGTH[0] <= len(token) <= TOKEN_LENGTH[1] and token.replace(
            "-", "").replace("_", "").isalnum()


class CheckInForm(_CheckInBase):
    outcome = RadioField("Did you do it?", choices=list(CHECKIN_OUTCOMES),
                         validators=[InputRequired("Choose how it went.")])
    closeness = RadioField(
        "How close do you feel right now?", choices=[(str(i), str(i)) for i in range(1, 11)],
        validators=[InputRequired("Choose a number from 1 to 10.")], description=CLOSENESS_HELP,
    )
    share_with_partner = BooleanField("Share this answer with my partner")


def signs_form_class():
    """The signs self-check: each of the ten signs rated rarely / sometimes / often."""

    class SignsForm(_CheckInBase):
        pass

    for key, text in SIGNS:
        setattr(SignsForm, f"sign_{key}", RadioField(
            text, choices=[(k, label) for k, label, _v in SIGN_RATINGS],
            validators=[InputRequired("Choose rarely, sometimes or often.")],
        ))
    return SignsForm


SignsForm = signs_form_class()
SIGN_FIELDS = [f"sign_{key}" for key, _text in SIGNS]


class FeedbackForm(FlaskForm):
    version = HiddenField()
    feedback = TextAreaField(
        "Feedback for the client",
        validators=[DataRequired("Write the feedback first."), Length(max=5000)],
        description="The client who wrote this check-in reads it; their partner does not.",
    )
    submit = SubmitField("Send feedback")


class CaseNoteForm(FlaskForm):
    note_date = DateField("Date", validators=[DataRequired("Enter the date of the note.")])
    body = TextAreaField("Note", validators=[DataRequired("Write the note first."),
                                             Length(max=20000)],
                         description="Private to staff. Never shown to either partner.")
    submit = SubmitField("Save note")

    def validate_note_date(self, field):
        """A note records what happened: no future day (a day's slack for time zones)."""
        latest = utcnow().date() + timedelta(days=1)
        if field.data > latest:
            raise ValidationError("The note's date is in the future. Enter the day it is about.")
        if field.data < EARLIEST_NOTE_DATE:
            raise ValidationError(f"Enter a date from {EARLIEST_NOTE_DATE:%d %b %Y} on.")
