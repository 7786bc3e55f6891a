from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..admin.forms import timezone_choices, validate_timezone
from ..auth.services import email_taken


def _unused_email(form, field):
    if field.data and email_taken(field.data):
        raise ValidationError("An account with this email already exists.")


class CoupleForm(FlaskForm):
    label = StringField(
        "Name for this couple",
        validators=[DataRequired("Give the couple a name you will recognise."), Length(max=120)],
        description="Shown to staff only, e.g. family names or a case code.",
    )
    timezone = SelectField("Their time zone", validators=[validate_timezone],
                           validate_choice=False)
    partner1_name = StringField(
        "Partner 1 name", validators=[DataRequired("Enter the first partner's name."),
                                      Length(max=120)]
    )
    partner1_email = EmailField(
        "Partner 1 email",
        validators=[DataRequired("Enter the first partner's email."),
                    Email("Enter a valid email address."), _unused_email],
    )
    partner2_name = StringField("Partner 2 name", validators=[Optional(), Length(max=120)])
    partner2_email = EmailField(
        "Partner 2 email",
        validators=[Optional(), Email("Enter a valid email address."), _unused_email],
        description="Leave partner 2 empty when only one partner is taking part for now.",
    )
    submit = SubmitField("Create couple and invitation links")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices(self.timezone.data)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        name, email = self.partner2_name.data, self.partner2_email.data
        if bool(name) != bool(email):
            target = self.partner2_email if name else self.partner2_name
            target.errors = [*target.errors, "Give both a name and an email for partner 2, "
                                             "or leave both empty."]
            ok = False
        if email and self.partner1_email.data and (
            email.strip().lower() == self.partner1_email.data.strip().lower()
        ):
            self.partner2_email.errors = [*self.partner2_email.errors,
                                          "Each partner needs their own email address."]
            ok = False
        return ok


class CoupleEditForm(FlaskForm):
    version = HiddenField()
    label = StringField(
        "Name for this couple",
        validators=[DataRequired("Give the couple a name you will recognise."), Length(max=120)],
    )
    timezone = SelectField("Their time zone", validators=[validate_timezone],
                           validate_choice=False)
    status = SelectField(
        "Status", choices=[("active", "Active"), ("paused", "Paused"), ("closed", "Closed")]
    )
    submit = SubmitField("Save changes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices(self.timezone.data)


class PartnerForm(FlaskForm):
    display_name = StringField(
        "Partner's name", validators=[DataRequired("Enter the partner's name."), Length(max=120)]
    )
    email = EmailField(
        "Partner's email",
        validators=[DataRequired("Enter the partner's email."),
                    Email("Enter a valid email address."), _unused_email],
    )
    submit = SubmitField("Add partner and make invitation link")
