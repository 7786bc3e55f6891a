"""Blueprint; its routes are attached when create_app() imports the routes module.

Its command (`flask run-flag-rules`) lives with the others in practice/cli.py.
"""

from flask import Blueprint

bp = Blueprint("flags", __name__)
