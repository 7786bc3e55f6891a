"""Blueprint; its routes are attached when create_app() imports the routes module.

cli_group=None puts the feature's commands at the top level (`flask run-flag-rules`).
"""

from flask import Blueprint

bp = Blueprint("flags", __name__, cli_group=None)
