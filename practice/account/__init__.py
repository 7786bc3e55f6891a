"""Blueprint; its routes are attached when create_app() imports the routes module."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")
