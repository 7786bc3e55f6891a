"""Safe handovers: a counselor's couples move to colleagues before the account is deactivated,
each move with a reason and a confirmation, and both counselors are told in the app."""

from flask import Blueprint

bp = Blueprint("handovers", __name__)
