"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from practice import create_app

app = create_app()
