from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..clock import utcnow
from ..content import SITUATIONS
from .schedule import CADENCE_LABELS, WEEKDAY_NAMES

CADENCE_CHOICES = list(CADENCE_LABELS.items())
START_YEARS_BACK = 5  # an assignment edited years after it began keeps its first day
START_YEARS_AHEAD = 2


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExerciseForm(FlaskForm):
    version = HiddenField()
    title = StringField("Title", validators=[DataRequired("Give the exercise a title."),
                                             Length(max=160)])
    purpose = StringField(
        "Purpose", validators=[DataRequired("Say in a sentence what the exercise is for."),
                               Length(max=500)],
        description="One sentence the couple reads first.",
    )
    instructions = TextAreaField(
        "Instructions", validators=[DataRequired("Write the steps the couple should follow."),
                                    Length(max=10000)],
        description="Numbered steps work best on a phone.",
    )
    suggested_cadence = SelectField("Suggested rhythm", choices=CADENCE_CHOICES)
    situations = MultiCheckboxField("Helps with", choices=list(SITUATIONS.items()))
    reveal_together = BooleanField(
        "Reveal together: a partner sees the other's shared answer only once both have "
        "checked in"
    )
    shared = BooleanField("Share with the practice (other counselors can use and copy it)")
    submit = SubmitField("Save exercise")


ENDS_CHOICES = [("never", "Until I end it"), ("date", "On a date"),
                ("count", "After a number of times")]


class AssignmentForm(FlaskForm):
    version = HiddenField()
    exercise_id = SelectField("Exercise", coerce=int, validate_choice=True)
    who = RadioField("Who does it", validators=[DataRequired("Choose who does it.")])
    cadence = RadioField("How often", choices=CADENCE_CHOICES,
                         validators=[DataRequired("Choose how often.")])
    weekdays = MultiCheckboxField("On these days", choices=[(str(i), n) for i, n in
                                                            enumerate(WEEKDAY_NAMES)])
    start_date = DateField("Start date", validators=[DataRequired("Enter a start date.")])
    ends = RadioField("Ends", choices=ENDS_CHOICES, default="never")
    end_date = DateField("End date", validators=[Optional()])
    occurrence_limit = IntegerField(
        "Number of times", validators=[Optional(), NumberRange(1, 366, "Enter 1 to 366.")]
    )
    instructions = TextAreaField(
        "Instructions for this couple", validators=[Optional(), Length(max=10000)],
        description="Adapt the steps for them. Leave empty to use the exercise's own.",
    )
    shared_work_reason = TextAreaField(
        "Why shared work is safe now", validators=[Optional(), Length(max=500)],
        description="Required to give work to both partners while a harm flag is open. "
                    "Staff only, kept in the assignment's history.",
    )
    # Which exercise's text the instructions box started from (unchanged text is not saved).
    instructions_from = HiddenField()
    submit = SubmitField("Save assignment")

    def __init__(self, *args, partners=(), exercises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.who.choices = [("both", "Both partners")] + [
            (str(u.id), f"{u.display_name} only") for u in partners
        ]
        if exercises is None:
            del self.exercise_id
        else:
            self.exercise_id.choices = [(e.id, e.title) for e in exercises]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.start_date.data:
            today = utcnow().date()
            earliest = today.replace(year=today.year - START_YEARS_BACK, day=1)
            latest = today.replace(year=today.year + START_YEARS_AHEAD, day=1)
            if not earliest <= self.start_date.data <= latest:
                self.start_date.errors = [
                    *self.start_date.errors,
                    f"Choose a start date between {earliest:%d %b %Y} and {latest:%d %b %Y}."]
                ok = False
        if self.cadence.data == "weekdays" and not self.weekdays.data:
            self.weekdays.errors = [*self.weekdays.errors, "Choose at least one day."]
            ok = False
        if self.cadence.data != "once":
            if self.ends.data == "date":
                if not self.end_date.data:
                    self.end_date.errors = [*self.end_date.errors, "Enter the end date."]
                    ok = False
                elif self.start_date.data and self.end_date.data < self.start_date.data:
                    self.end_date.errors = [*self.end_date.errors,
                                            "The end date is before the start date."]
                    ok = False
            if self.ends.data == "count" and not self.occurrence_limit.data:
                self.occurrence_limit.errors = [*self.occurrence_limit.errors,
                                                "Enter how many times."]
                ok = False
        return ok

    def service_data(self) -> dict:
        data = dict(self.data)
        data["partner_id"] = None if self.who.data == "both" else int(self.who.data)
        return data
