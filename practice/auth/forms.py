from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .passwords import PASSWORD_MAX, PASSWORD_MIN, PasswordPolicy

# Nothing longer is hashed: a sign-in with a longer password fails before the hasher runs.
TOO_LONG = f"Passwords here have at most {PASSWORD_MAX} characters."


def current_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired("Enter your password."), Length(max=PASSWORD_MAX, message=TOO_LONG),
    ])


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address.")])
    password = current_password_field()
    submit = SubmitField("Sign in")


def new_password_field(label: str = "New password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Use between {PASSWORD_MIN} and {PASSWORD_MAX} characters.",
            ),
            PasswordPolicy(),
        ],
        description=f"At least {PASSWORD_MIN} characters. A few unrelated words work well.",
    )


def confirm_field() -> PasswordField:
    return PasswordField(
        "Type it again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", message="The two passwords do not match."),
        ],
    )


class SetPasswordForm(FlaskForm):
    """A new password for an existing account: the view sets `account_email`."""

    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField("Set my password")


class ChangePasswordForm(FlaskForm):
    current = current_password_field("Current password")
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField("Change my password")


class EmailForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter an email address."), Email("Enter a valid email address.")],
    )
    display_name = StringField(
        "Name", validators=[DataRequired("Enter a name."), Length(max=120)]
    )


class SecondFactorForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired("Enter the code."), Length(max=40)])
    submit = SubmitField("Continue")
