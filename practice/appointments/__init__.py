"""Appointments: the couple's sessions (regular and focused), their calendar files and each
counselor's private calendar feed. Routes attach when create_app() imports the routes module."""

from flask import Blueprint

bp = Blueprint("appointments", __name__)
