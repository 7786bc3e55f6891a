"""The first-use welcome: a few short screens right after a client sets their password.

Shown once: accepting the invitation (which happens once) marks the session, and finishing or
skipping the welcome clears the mark; without it the screens send the client home.
"""

from __future__ import annotations

from flask import session

PENDING = "welcome_pending"
SCREENS = (
    {
        "heading": "Welcome",
        "paragraphs": (
            "This is where your counselor leaves the homework you agree on in your sessions: "
            "small, practical things to try between appointments.",
            "Your home shows what is due today. One tap opens it, and a few questions "
            "afterwards tell your counselor how it went.",
        ),
    },
    {
        "heading": "Who reads what",
        "paragraphs": (
            "Every box you fill in says who will read it. Most are for your counselor only.",
            "Your partner sees an answer only when you choose to share it, and never your "
            "private notes or your numbers.",
        ),
    },
    {
        "heading": "Leaving quickly, and reminders",
        "paragraphs": (
            "The Quick exit button at the top of every page takes you straight to an everyday "
            "website and signs you out. Pressing Escape three times does the same.",
            "E-mail reminders are off until you choose them. They only say that something "
            "is waiting, and you can turn them on or off at any time.",
        ),
        "link": ("reminders.settings", "Choose reminders"),
    },
)


def start_welcome() -> None:
    session[PENDING] = True


def welcome_pending() -> bool:
    return bool(session.get(PENDING))


def finish_welcome() -> None:
    session.pop(PENDING, None)
