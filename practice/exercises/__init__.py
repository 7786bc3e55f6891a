"""The exercise library and assignments. Routes live in routes.py.

No url_prefix here: the library answers under /exercises, assignments under
/couples/<couple_id>/assignments, next to the couple they belong to.
"""

from flask import Blueprint

bp = Blueprint("exercises", __name__)
