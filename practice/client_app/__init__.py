"""The client's phone: first-use welcome, and what makes the app installable (manifest, service
worker, offline page). Its routes are attached when create_app() imports the routes module."""

from flask import Blueprint

bp = Blueprint("client_app", __name__)
