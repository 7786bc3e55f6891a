from flask_wtf import FlaskForm
from wtforms import SubmitField


class WelcomeForm(FlaskForm):
    submit = SubmitField("Skip")
