"""Forms shared by several features."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ButtonForm(FlaskForm):
    """A one-button POST form (pause, review, copy…): only its CSRF token is checked."""

    submit = SubmitField("Go")
