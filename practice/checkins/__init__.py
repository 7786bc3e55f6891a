"""Homework check-ins, counselor review and case notes. Routes live in routes.py."""

from flask import Blueprint

bp = Blueprint("checkins", __name__)
