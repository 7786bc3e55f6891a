from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .services import PASSWORD_MAX, PASSWORD_MIN


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
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
        ],
        description=f"At least {PASSWORD_MIN} characters. A few unrelated words work well.",
    )


class SetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = PasswordField(
        "Type it again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", message="The two passwords do not match."),
        ],
    )
    submit = SubmitField("Set my password")


class EmailForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter an email address."), Email("Enter a valid email address.")],
    )
    display_name = StringField(
        "Name", validators=[DataRequired("Enter a name."), Length(max=120)]
    )
