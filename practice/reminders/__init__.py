"""Homework reminders that each client controls (off until they turn them on).

Blueprint; its routes are attached when create_app() imports the routes module.
"""

from flask import Blueprint

bp = Blueprint("reminders", __name__)
