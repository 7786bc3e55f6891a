"""Password reset by e-mail: "Forgot your password?" on the sign-in page.

Blueprint; its routes are attached when create_app() imports the routes module.
"""

from flask import Blueprint

bp = Blueprint("password_reset", __name__, url_prefix="/login")
