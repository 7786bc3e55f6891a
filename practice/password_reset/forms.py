from flask_wtf import FlaskForm
from wtforms import EmailField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class ForgotForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter the email address you sign in with."),
                    Email("Enter a valid email address."), Length(max=254)],
    )
    submit = SubmitField("Send me a link")
