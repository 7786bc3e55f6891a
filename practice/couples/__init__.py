"""Blueprint; its routes are attached when create_app() imports the routes module."""

from flask import Blueprint

bp = Blueprint("couples", __name__, url_prefix="/couples")
